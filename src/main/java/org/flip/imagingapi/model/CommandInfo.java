package org.flip.imagingapi.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The XNAT command that runs a container image, and the wrapper a subscription triggers. Both ids
 * are kept: the project-enable URL names the command id and the wrapper name, while the
 * subscription's action key names the wrapper id.
 */
public record CommandInfo(
        @JsonProperty("command_id") long commandId,
        @JsonProperty("command_name") String commandName,
        @JsonProperty("image") String image,
        @JsonProperty("wrapper_id") long wrapperId,
        @JsonProperty("wrapper_name") String wrapperName) {
}
