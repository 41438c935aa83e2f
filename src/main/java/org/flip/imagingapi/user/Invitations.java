package org.flip.imagingapi.user;

import java.nio.charset.StandardCharsets;
import org.flip.imagingapi.xnat.XnatAliasTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Contract §4 step 7: an invitation is XNAT's set-password page with a fresh alias token for the
 * user, as a host-less path (XNAT is reachable only inside the trust; the hub tells the user to
 * open it on their trust's XNAT), encrypted for the hub. The token logs the user in until they set
 * a password, or until XNAT's alias-token timeout (two days by default).
 */
@Component
class Invitations {

    private static final Logger log = LoggerFactory.getLogger(Invitations.class);
    static final String SET_PASSWORD_PAGE = "/app/template/XDATScreen_UpdateUser.vm";

    private final XnatAliasTokens tokens;
    private final InvitationCipher cipher;

    Invitations(XnatAliasTokens tokens, InvitationCipher cipher) {
        this.tokens = tokens;
        this.cipher = cipher;
    }

    CreatedUser invite(User user) {
        AliasToken token = tokens.issueFor(user.username());
        String path = setPasswordPath(token);
        log.info("Issued an invitation for XNAT user {}", user.username());
        return new CreatedUser(user.username(), user.email(), cipher.encrypt(path));
    }

    static String setPasswordPath(AliasToken token) {
        return SET_PASSWORD_PAGE + "?a=" + percentEncode(token.alias()) + "&s=" + percentEncode(token.secret());
    }

    /**
     * RFC 3986: everything but the unreserved characters is percent-encoded (a space is
     * {@code %20}, never {@code +}), as the reference's {@code quote(value, safe="")} did.
     */
    static String percentEncode(String value) {
        StringBuilder out = new StringBuilder(value.length() * 3);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
