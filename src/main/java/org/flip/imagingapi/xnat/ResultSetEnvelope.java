package org.flip.imagingapi.xnat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Map;

/**
 * XNAT's listing shape: {@code {"ResultSet":{"Result":[{...}],"totalRecords":"1"}}}. Every value in
 * a row is a string and SQL NULL is {@code ""}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ResultSetEnvelope(@JsonProperty(value = "ResultSet", required = true) ResultSet resultSet) {

    static final TypeReference<ResultSetEnvelope> TYPE = new TypeReference<>() { };

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ResultSet(@JsonProperty(value = "Result", required = true) List<Map<String, String>> result,
            @JsonProperty("totalRecords") String totalRecords) {
    }
}
