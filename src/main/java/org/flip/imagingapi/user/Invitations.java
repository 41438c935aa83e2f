package org.flip.imagingapi.user;

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

    private final XnatAliasTokens tokens;
    private final InvitationCipher cipher;

    Invitations(XnatAliasTokens tokens, InvitationCipher cipher) {
        this.tokens = tokens;
        this.cipher = cipher;
    }

    CreatedUser invite(User user) {
        AliasToken token = tokens.issueFor(user.username());
        String path = XnatAliasTokens.setPasswordPath(token);
        log.info("Issued an invitation for XNAT user {}", user.username());
        return new CreatedUser(user.username(), user.email(), cipher.encrypt(path));
    }
}
