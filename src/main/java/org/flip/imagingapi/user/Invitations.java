package org.flip.imagingapi.user;

import java.util.List;
import org.flip.imagingapi.model.User;
import org.flip.imagingapi.xnat.AliasToken;
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

    /** Revocations per user per request: bounds the calls one replay makes for a user with a backlog. */
    static final int MAX_REVOCATIONS = 5;

    private final XnatAliasTokens tokens;
    private final InvitationCipher cipher;

    Invitations(XnatAliasTokens tokens, InvitationCipher cipher) {
        this.tokens = tokens;
        this.cipher = cipher;
    }

    /**
     * A fresh invitation. {@code mayHoldTokens}: the account existed before this request, so earlier
     * invitations (a replay mints one each time) may still be live: up to {@value #MAX_REVOCATIONS}
     * of them are revoked first, one listing call and one call each. A replay therefore leaves one
     * live token however often it runs (a backlog from before shrinks by five per request).
     */
    CreatedUser invite(User user, boolean mayHoldTokens) {
        if (mayHoldTokens) {
            List<String> older = tokens.aliasesOf(user.username());
            int revoked = 0;
            for (String alias : older) {
                if (revoked == MAX_REVOCATIONS) {
                    break;
                }
                tokens.revoke(alias);
                revoked++;
            }
            if (revoked > 0) {
                log.info("Revoked {} of {} earlier alias tokens of XNAT user {}", revoked, older.size(),
                        user.username());
            }
        }
        AliasToken token = tokens.issueFor(user.username());
        String path = XnatAliasTokens.setPasswordPath(token);
        log.info("Issued an invitation for XNAT user {}", user.username());
        return new CreatedUser(user.username(), user.email(), cipher.encrypt(path));
    }
}
