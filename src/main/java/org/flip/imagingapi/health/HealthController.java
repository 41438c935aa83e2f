package org.flip.imagingapi.health;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The reference's {@code GET /health}: no key, no XNAT call, always 200. */
@RestController
@Tag(name = "health", description = "Liveness for callers of the reference service")
class HealthController {

    private final String version;

    HealthController(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        this.version = properties == null ? null : properties.getVersion();
    }

    @GetMapping({"/health", "/health/"})
    @Operation(summary = "Service status and version (never calls XNAT)", security = {})
    Map<String, Object> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("version", version);
        return body;
    }
}
