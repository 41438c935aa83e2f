package org.flip.imagingapi.xnat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.codehaus.stax2.XMLStreamWriter2;
import org.codehaus.stax2.util.StreamWriter2Delegate;

/**
 * The {@code xnat:projectData} document of {@code POST /data/projects}, written by Jackson XML so
 * that {@code <}, {@code &} and quotes in any field are escaped and nothing a caller sends can
 * become markup (the reference's §5.3 defence, without string templates).
 */
final class ProjectDataXml {

    static final String NS = "http://nrg.wustl.edu/xnat";

    /** {@code ID} and {@code secondary_ID} are XSD attributes; name and description child elements. */
    @JacksonXmlRootElement(localName = "projectData", namespace = NS)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ProjectData(
            @JacksonXmlProperty(isAttribute = true, localName = "ID") String id,
            @JacksonXmlProperty(isAttribute = true, localName = "secondary_ID") String secondaryId,
            @JacksonXmlProperty(localName = "name", namespace = NS) String name,
            @JacksonXmlProperty(localName = "description", namespace = NS) String description) {
    }

    private static final XmlMapper MAPPER = new XmlMapper(safeFactory());

    private ProjectDataXml() {
    }

    /** DTDs and external entities off: whatever reads XML here can never resolve an entity. */
    private static XmlFactory safeFactory() {
        XMLInputFactory input = XMLInputFactory.newFactory();
        input.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        input.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return XmlFactory.builder().xmlInputFactory(input).xmlOutputFactory(XMLOutputFactory.newFactory()).build();
    }

    static byte[] write(ProjectData data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter2 base = (XMLStreamWriter2) MAPPER.getFactory().getXMLOutputFactory()
                    .createXMLStreamWriter(out, "UTF-8");
            // XmlMapper binds the root namespace as the default xmlns; XNAT's documents (and its
            // docs) use the xnat: prefix, so the default-namespace call is swallowed (toolchain.md).
            XMLStreamWriter writer = new StreamWriter2Delegate(base) {
                @Override
                public void setDefaultNamespace(String uri) {
                }
            };
            writer.setPrefix("xnat", NS);
            MAPPER.writeValue(writer, data);
            writer.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Could not write the projectData document", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads a projectData document back (tests, and any reader of XNAT's XML): no DTD, no entities. */
    static ProjectData read(byte[] xml) {
        try {
            return MAPPER.readValue(xml, ProjectData.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
