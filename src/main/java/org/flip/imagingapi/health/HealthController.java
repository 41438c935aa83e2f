package org.flip.imagingapi.health;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The reference's {@code GET /health}: no key, no XNAT call, always 200. The version is
 * {@code FLIP_RELEASE} when set (the reference reports its image tag this way), else the build's.
 */
@RestController
@Tag(name = "health")
class HealthController {

    private final String version;

    HealthController(ObjectProvider<BuildProperties> build, @Value("${imaging-api.release:}") String release) {
        BuildProperties properties = build.getIfAvailable();
        this.version = !release.isBlank() ? release.strip() : properties == null ? null : properties.getVersion();
    }

    @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "health", summary = "Service status and version (never calls XNAT)")
    @ApiResponse(responseCode = "200", description = "Always, while the process serves requests")
    Map<String, Object> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("version", version);
        return body;
    }
}
