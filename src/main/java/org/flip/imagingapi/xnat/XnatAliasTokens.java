package org.flip.imagingapi.xnat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    /**
     * The user's live tokens ({@code AliasTokenRestlet} "show": {@code findTokensForUser}), as JSON
     * entities with their secrets: the body is never logged.
     */
    static final XnatOperation SHOW_FOR_USER = XnatOperation.read("alias token listing",
            "/data/services/tokens/show/user/{username}");
    /**
     * "invalidate": XNAT deletes the token (admins may name anyone's). A GET, and replaying it is
     * harmless: a token already gone is a 404, which is the state asked for.
     */
    static final XnatOperation INVALIDATE = XnatOperation.set("alias token revocation", HttpMethod.GET,
            "/data/services/tokens/invalidate/{alias}");
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
     * The aliases of the user's live tokens, in XNAT's order. The body holds every token's secret,
     * so it is read here and never logged; entries without an alias are left out.
     */
    public List<String> aliasesOf(String username) {
        XnatResponse response = gateway.call(SHOW_FOR_USER, username);
        if (!response.is2xx()) {
            throw gateway.unexpected(response);
        }
        JsonNode tokens = null;
        if (!response.isHtml()) {
            try {
                tokens = gateway.objectMapper().readTree(response.body());
            } catch (IOException e) {
                // falls through to the failure below
            }
        }
        if (tokens == null || !tokens.isArray()) {
            log.warn("XNAT {} for user {} answered HTTP {} with something other than a list of tokens ({} bytes, "
                    + "body not logged)", SHOW_FOR_USER.key(), username, response.status(), response.body().length);
            throw XnatFailure.unusable("XNAT " + SHOW_FOR_USER.description() + " for user '" + username
                    + "' answered an unexpected body (HTTP " + response.status() + "): expected a JSON list of tokens",
                    response.status());
        }
        List<String> aliases = new ArrayList<>();
        for (JsonNode token : tokens) {
            String alias = text(token, "alias");
            if (alias != null) {
                aliases.add(alias);
            }
        }
        return aliases;
    }

    /** Deletes one token; a token XNAT no longer knows (404) is already what was asked for. */
    public void revoke(String alias) {
        XnatResponse response = gateway.call(INVALIDATE, alias);
        if (response.status() == 404) {
            return;
        }
        if (!response.is2xx() || response.isHtml()) {
            throw gateway.unexpected(response);
        }
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
