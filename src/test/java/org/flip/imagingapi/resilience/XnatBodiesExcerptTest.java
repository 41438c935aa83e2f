package org.flip.imagingapi.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.flip.imagingapi.xnat.XnatBodies;
import org.junit.jupiter.api.Test;

/** What a detail quotes of XNAT's body: the message in words, no banner, no Java type name; the log keeps it all. */
class XnatBodiesExcerptTest {

    private static String excerpt(String body) {
        return XnatBodies.excerpt(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRestletStatusPageGivesItsMessage() {
        assertThat(excerpt("<html><head><title>Status page</title></head><body><h3>Project already exists.</h3>"
                + "<p>You can get technical details <a href=\"x\">here</a>.</p></body></html>"))
                .isEqualTo("Project already exists.");
    }

    @Test
    void aTomcatErrorReportGivesItsHeadlineAndMessageWithoutBannerOrStackTrace() {
        String page = ProblemDetailHygieneTest.TOMCAT_500;
        assertThat(excerpt(page)).isEqualTo(
                "HTTP Status 500 \u2013 Internal Server Error: Request processing failed; nested exception is an error");
        // the log keeps everything, on one line
        assertThat(XnatBodies.forLog(page.getBytes(StandardCharsets.UTF_8)))
                .contains("Apache Tomcat/9.0.108", "java.lang.NullPointerException").doesNotContain("\n");
    }

    @Test
    void webServerPagesGiveTheirHeadline() {
        assertThat(excerpt(ProblemDetailHygieneTest.NGINX_502)).isEqualTo("502 Bad Gateway");
        assertThat(excerpt(ProblemDetailHygieneTest.JETTY_503)).isEqualTo("HTTP ERROR 503 Service Unavailable");
        assertThat(excerpt(ProblemDetailHygieneTest.APACHE_HTTPD_503)).isEqualTo("Service Unavailable");
    }

    @Test
    void exceptionNamesInTextBecomeNeutralWords() {
        assertThat(excerpt("There was an error in the request : java.lang.NullPointerException: Cannot invoke "
                + "\"org.nrg.xft.XFTItem.getProperty(String)\" because \"item\" is null"))
                .isEqualTo("There was an error in the request : an error: Cannot invoke \"an XNAT component\" "
                        + "because \"item\" is null");
        assertThat(excerpt("failed with a NullPointerException\n\tat org.nrg.xnat.Foo.bar(Foo.java:12)\n\tat "
                + "org.nrg.xnat.Baz.qux(Baz.java:7)")).isEqualTo("failed with an error");
        assertThat(excerpt("Server: Apache-Coyote/1.1\nX-Powered-By: Servlet/4.0\nsomething failed"))
                .isEqualTo("something failed");
    }

    @Test
    void aSpringJsonErrorGivesItsMessage() {
        assertThat(excerpt("{\"status\":500,\"error\":\"Internal Server Error\",\"exception\":\"java.lang."
                + "IllegalStateException\",\"message\":\"Project P1 is locked\",\"path\":\"/xapi/x\"}"))
                .isEqualTo("Project P1 is locked");
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        String text = "The project P1 (secondary ID hub-1.2) is owned by user svc; see www.w3.org/Protocols. Done.";
        assertThat(excerpt(text)).isEqualTo(text);
    }
}
