package org.flip.imagingapi.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.flip.imagingapi.config.InvitationProperties;
import org.flip.imagingapi.model.User;
import org.flip.imagingapi.xnat.AliasToken;
import org.flip.imagingapi.xnat.XnatAliasTokens;
import org.junit.jupiter.api.Test;

/** Reference §14.4 "issue_setup_token", adapted. */
class InvitationsTest {

    @Test
    void anInvitationMintsOneTokenForTheUserAndEncryptsThePath() throws Exception {
        XnatAliasTokens tokens = mock(XnatAliasTokens.class);
        when(tokens.issueFor("johndoe")).thenReturn(new AliasToken("al-123", "sek ret"));
        InvitationCipher cipher = new InvitationCipher(new InvitationProperties(InvitationCipherTest.KEY, "xnat_setup_path"));
        User john = new User(2L, "johndoe", "john.doe@hospital.nhs.uk", "johndoe", "johndoe", true, true, true, null, null);

        CreatedUser invited = new Invitations(tokens, cipher).invite(john, false);

        verify(tokens).issueFor("johndoe");
        assertThat(invited.username()).isEqualTo("johndoe");
        assertThat(invited.email()).isEqualTo("john.doe@hospital.nhs.uk");
        assertThat(InvitationCipherTest.decrypt(invited.encryptedSetupPath(), "FLIP|v1|shared|xnat_setup_path"))
                .isEqualTo("/app/template/XDATScreen_UpdateUser.vm?a=al-123&s=sek%20ret");
        assertThat(invited.toString()).doesNotContain(invited.encryptedSetupPath()).doesNotContain("@");
    }
}
