package org.flip.imagingapi.xnat;


import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** A real gateway pointed at WireMock, without Spring, for the project/experiment/DQR clients. */
final class ProjectsTestGateway {

    private ProjectsTestGateway() {
    }

    static XnatGateway against(WireMockExtension wm) {
        wm.stubFor(TestGateways.acceptingLogin());
        return TestGateways.gateway(wm.baseUrl());
    }

    static String resultSet(String rowsJson) {
        return "{\"ResultSet\":{\"Result\":[" + rowsJson + "],\"totalRecords\":\"1\"}}";
    }

    static String projectRow(String id, String secondaryId) {
        return "{\"ID\":\"" + id + "\",\"secondary_ID\":\"" + secondaryId + "\",\"name\":\"Name " + id
                + "\",\"description\":\"\",\"pi_firstname\":\"\",\"pi_lastname\":\"\",\"URI\":\"/data/projects/"
                + id + "\"}";
    }

    static final String HTML_500 = "<html><head><title>Status page</title></head><body><h3>Internal Server Error"
            + "</h3><p>details</p></body></html>";
}
