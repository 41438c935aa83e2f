package org.flip.imagingapi.xnat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.flip.imagingapi.xnat.AliasToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * XNAT alias tokens ({@code /data/services/tokens}): a token minted for a user logs that user in
 * once, which is how an invitation lets someone set their first password.
 *
 * <p>A successful answer carries the token's secret, so its body is never logged.
 */
@Component
public class XnatAliasTokens {

    private static final Logger log = LoggerFactory.getLogger(XnatAliasTokens.class);

    /** A GET that mints a token: not replayed, so a lost answer never leaves a second live token. */
    static final XnatOperation ISSUE_FOR_USER = XnatOperation.create("alias token issuance",
            HttpMethod.GET, "/data/services/tokens/issue/user/{username}");
    /** XNAT's set-password page; an alias token in its query logs the user in. */
    static final String SET_PASSWORD_PAGE = "/app/template/XDATScreen_UpdateUser.vm";

    private final XnatGateway gateway;

    XnatAliasTokens(XnatGateway gateway) {
        this.gateway = gateway;
    }

    /** A fresh token for the user (the service account must be a site administrator). */
    public AliasToken issueFor(String username) {
        XnatResponse response = gateway.call(ISSUE_FOR_USER, username);
        if (!response.is2xx()) {
            throw gateway.unexpected(response);
        }
        String alias = null;
        String secret = null;
        if (!response.isHtml()) {
            try {
                JsonNode token = gateway.objectMapper().readTree(response.body());
                alias = text(token, "alias");
                secret = text(token, "secret");
            } catch (IOException e) {
                // falls through to the failure below
            }
        }
        if (alias == null || secret == null) {
            log.warn("XNAT {} for user {} answered HTTP {} without an alias and a secret ({} bytes, body not logged)",
                    ISSUE_FOR_USER.key(), username, response.status(), response.body().length);
            throw XnatFailure.unusable("XNAT " + ISSUE_FOR_USER.description() + " for user '" + username
                    + "' answered an unexpected body (HTTP " + response.status()
                    + "): expected JSON with an alias and a secret", response.status());
        }
        return new AliasToken(alias, secret);
    }

    /**
     * The host-less set-password link for a token (XNAT is reachable only inside the trust). Both
     * values are percent-encoded as RFC 3986 asks: a space is {@code %20}, never {@code +}.
     */
    public static String setPasswordPath(AliasToken token) {
        return SET_PASSWORD_PAGE + "?a=" + UriUtils.encode(token.alias(), StandardCharsets.UTF_8)
                + "&s=" + UriUtils.encode(token.secret(), StandardCharsets.UTF_8);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            return null;
        }
        return value.textValue();
    }
}
