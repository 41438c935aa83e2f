package org.flip.imagingapi.xnat;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Map;
import org.flip.imagingapi.project.Project;
import org.springframework.stereotype.Component;

/** XNAT's project resources ({@code /data/projects}). */
@Component
public class XnatProjects {

    static final XnatOperation LIST = XnatOperation.read("project listing", "/data/projects?format=json");

    private final XnatGateway gateway;

    XnatProjects(XnatGateway gateway) {
        this.gateway = gateway;
    }

    /** Every project the service account can read. */
    public List<Project> list() {
        return rows(gateway.call(LIST)).stream().map(XnatProjects::toProject).toList();
    }

    List<Map<String, String>> rows(XnatResponse response) {
        return gateway.read(response, RESULT_SET).resultSet().result();
    }

    static Project toProject(Map<String, String> row) {
        String description = row.get("description");
        return new Project(row.get("ID"), row.get("secondary_ID"), row.get("name"),
                description == null || description.isEmpty() ? null : description,
                orEmpty(row.get("pi_firstname")), orEmpty(row.get("pi_lastname")),
                row.getOrDefault("URI", "/data/projects/" + row.get("ID")));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    static final TypeReference<ResultSetEnvelope> RESULT_SET = new TypeReference<>() { };
}
