package org.flip.imagingapi.subscription;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import org.flip.imagingapi.model.CommandInfo;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/commands", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "event subscriptions")
class CommandController {

    private final CommandLookup lookup;

    CommandController(CommandLookup lookup) {
        this.lookup = lookup;
    }

    @GetMapping
    @Operation(operationId = "findCommand",
            summary = "Find the XNAT command and wrapper registered for a container image")
    @ApiResponse(responseCode = "200", description = "The command and its wrapper")
    @ApiResponse(responseCode = "404", description = "Nothing registered at this image. The detail diagnoses the miss: "
            + "what is registered instead (a stale image), or an empty registry (nothing registered, or the commands "
            + "are not public and the service account lacks XNAT's ContainerManager role)")
    CommandInfo find(@Parameter(description = "Container image; defaults to DCM2NIIX_IMAGE")
            @RequestParam(required = false) @Pattern(regexp = ContainerImages.PATTERN,
                    message = ContainerImages.MESSAGE) String image) {
        return lookup.find(image);
    }
}
