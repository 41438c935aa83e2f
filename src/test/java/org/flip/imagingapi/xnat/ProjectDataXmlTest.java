package org.flip.imagingapi.xnat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reference checklist §14.1 create_payload_for_project_creation, adapted to attributes and the xnat prefix. */
class ProjectDataXmlTest {

    private static String write(String id, String secondaryId, String name, String description) {
        return new String(ProjectDataXml.write(new ProjectDataXml.ProjectData(id, secondaryId, name, description)),
                StandardCharsets.UTF_8);
    }

    @Test
    void payloadCarriesIdAndSecondaryIdAsAttributesAndNameAndDescriptionAsXnatElements() {
        String xml = write("P1", "S1", "My Project", "A description");
        assertThat(xml).contains("<xnat:projectData xmlns:xnat=\"http://nrg.wustl.edu/xnat\"")
                .contains("ID=\"P1\"").contains("secondary_ID=\"S1\"")
                .contains("<xnat:name>My Project</xnat:name>")
                .contains("<xnat:description>A description</xnat:description>")
                .doesNotContain("xmlns=\"");
    }

    @Test
    void anAbsentDescriptionIsNoElement() {
        assertThat(write("P1", "S1", "n", null)).doesNotContain("description");
    }

    @Test
    void markupInANameIsEscapedAndParsesBackToTheOriginalString() {
        String name = "evil</xnat:name><xnat:name>injected";
        String xml = write("P1", "S1", name, "a & b < c > d \"q\" 'q'");
        assertThat(xml).contains("evil&lt;/xnat:name>&lt;xnat:name>injected").contains("a &amp; b &lt; c");
        assertThat(xml.split("<xnat:name>", -1)).hasSize(2);
        ProjectDataXml.ProjectData back = ProjectDataXml.read(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(back.name()).isEqualTo(name);
        assertThat(back.description()).isEqualTo("a & b < c > d \"q\" 'q'");
    }

    @Test
    void quotesInAnAttributeValueStayInsideTheAttribute() {
        String secondary = "S1\" injected=\"yes";
        String xml = write("P1", secondary, "n", null);
        assertThat(xml).doesNotContain("injected=\"yes\"");
        assertThat(ProjectDataXml.read(xml.getBytes(StandardCharsets.UTF_8)).secondaryId()).isEqualTo(secondary);
    }

    @Test
    void aDoctypeOrEntityInANameNeverBecomesMarkup() {
        String name = "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>&xxe;";
        String xml = write("P1", "S1", name, null);
        assertThat(xml).doesNotContain("<!DOCTYPE").doesNotContain("<!ENTITY").contains("&lt;!DOCTYPE")
                .contains("&amp;xxe;");
        assertThat(ProjectDataXml.read(xml.getBytes(StandardCharsets.UTF_8)).name()).isEqualTo(name);
    }

    @Test
    void theReaderRefusesADocumentWithAnExternalEntity() {
        String hostile = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<xnat:projectData xmlns:xnat=\"http://nrg.wustl.edu/xnat\" ID=\"P1\"><xnat:name>&xxe;</xnat:name>"
                + "</xnat:projectData>";
        assertThatThrownBy(() -> ProjectDataXml.read(hostile.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RuntimeException.class);
    }
}
