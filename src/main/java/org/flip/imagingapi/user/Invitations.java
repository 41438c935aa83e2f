package org.flip.imagingapi.user;

import java.util.List;
import org.flip.imagingapi.model.User;
import org.flip.imagingapi.xnat.AliasToken;
import org.flip.imagingapi.xnat.XnatAliasTokens;
import org.flip.imagingapi.xnat.XnatFailure;
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
            revokeEarlierTokens(user.username());
        }
        AliasToken token = tokens.issueFor(user.username());
        String path = XnatAliasTokens.setPasswordPath(token);
        log.info("Issued an invitation for XNAT user {}", user.username());
        return new CreatedUser(user.username(), user.email(), cipher.encrypt(path));
    }

    /**
     * Housekeeping, never a reason to withhold the invitation: when XNAT answers the listing or a
     * revocation with an error or an unreadable body (an older AliasTokenRestlet has no "show" and
     * answers 400 "Unknown operation"), the earlier tokens stay live until they expire and the
     * invitation is still issued. A failure of XNAT itself (unreachable, the service account
     * refused, no answer in time) is not swallowed: the issuance would meet it too.
     */
    private void revokeEarlierTokens(String username) {
        int revoked = 0;
        int older = 0;
        try {
            List<String> aliases = tokens.aliasesOf(username);
            older = aliases.size();
            for (String alias : aliases) {
                if (revoked == MAX_REVOCATIONS) {
                    break;
                }
                tokens.revoke(alias);
                revoked++;
            }
        } catch (XnatFailure.Rejected rejected) {
            if (rejected.serviceAccount()) {
                throw rejected;
            }
            skipped(username, revoked, "XNAT answered HTTP " + rejected.xnatStatus());
        } catch (XnatFailure.Unusable unusable) {
            skipped(username, revoked, "XNAT's answer was unusable (HTTP " + unusable.xnatStatus() + ")");
        }
        if (revoked > 0) {
            log.info("Revoked {} of {} earlier alias tokens of XNAT user {}", revoked, older, username);
        }
    }

    private static void skipped(String username, int revoked, String why) {
        log.warn("Could not revoke the earlier alias tokens of XNAT user {} ({}; {} revoked): the invitation is "
                + "issued anyway and the earlier tokens stay live until XNAT's alias-token timeout", username, why,
                revoked);
    }
}
