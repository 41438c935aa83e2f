package org.flip.imagingapi.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.flip.imagingapi.model.User;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.Creation;
import org.flip.imagingapi.xnat.NewAccount;
import org.flip.imagingapi.xnat.TestFailures;
import org.flip.imagingapi.xnat.XnatFailure;
import org.flip.imagingapi.xnat.XnatUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.slf4j.LoggerFactory;

class UserProvisioningTest {

    XnatUsers xnat = mock(XnatUsers.class);
    Invitations invitations = mock(Invitations.class);
    UserProvisioning provisioning = new UserProvisioning(xnat, invitations, new RandomPasswords(),
            new PrivilegedAccounts(xnat, "imaging-api"), 8);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void setUp() {
        when(xnat.members("P1")).thenReturn(Optional.of(Map.of()));
        when(invitations.invite(any(), anyBoolean())).thenAnswer(call -> {
            User user = call.getArgument(0);
            return new CreatedUser(user.username(), user.email(), "envelope-for-" + user.username());
        });
        when(xnat.create(any())).thenAnswer(call -> {
            NewAccount account = call.getArgument(0);
            return Creation.made(account(100L, account.username(), account.email(), null));
        });
        when(xnat.addToGroup(anyString(), anyString(), anyString())).thenReturn(true);
        logs.start();
        ((Logger) LoggerFactory.getLogger("org.flip.imagingapi")).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger("org.flip.imagingapi")).detachAppender(logs);
    }

    static User account(long id, String username, String email, Long lastLogin) {
        return new User(id, username, email, username, username, true, true, true, null, lastLogin);
    }

    static CentralHubUser hub(String email) {
        return new CentralHubUser(UUID.randomUUID().toString(), email, false);
    }

    @Test
    void aNewHubUserGetsAnAccountMembershipAndInvitationAndIsInBothLists() {
        when(xnat.profiles()).thenReturn(List.of(account(1, "admin", "admin@localhost", 1L)));

        ProvisionedUsers result = provisioning.provision("P1", List.of(hub("john.doe@hospital.nhs.uk")));

        ArgumentCaptor<NewAccount> created = ArgumentCaptor.forClass(NewAccount.class);
        verify(xnat).create(created.capture());
        NewAccount account = created.getValue();
        assertThat(account.username()).isEqualTo("johndoe");
        assertThat(account.email()).isEqualTo("john.doe@hospital.nhs.uk");
        assertThat(account.firstName()).isEqualTo("johndoe");
        assertThat(account.lastName()).isEqualTo("johndoe");
        assertThat(account.enabled()).isTrue();
        assertThat(account.verified()).isTrue();
        assertThat(account.password()).hasSizeGreaterThanOrEqualTo(24);
        verify(xnat).addToGroup("P1", "Members", "johndoe");
        assertThat(result.createdUsers()).extracting(CreatedUser::username).containsExactly("johndoe");
        assertThat(result.addedUsers()).extracting(User::username).containsExactly("johndoe");
        assertThat(result.toString()).doesNotContain(account.password());
    }

    @Test
    void anExistingAccountIsFoundByEmailIgnoringCaseAndIsOnlyAdded() {
        when(xnat.profiles()).thenReturn(List.of(account(5, "jdoe", "John.Doe@Hospital.NHS.uk", 1700000000000L)));

        ProvisionedUsers result = provisioning.provision("P1", List.of(hub("john.doe@hospital.nhs.uk")));

        verify(xnat, never()).create(any());
        verify(xnat).addToGroup("P1", "Members", "jdoe");
        assertThat(result.createdUsers()).isEmpty();
        assertThat(result.addedUsers()).extracting(User::username).containsExactly("jdoe");
    }

    @Test
    void anExistingAccountThatNeverLoggedInGetsAFreshInvitation() {
        when(xnat.profiles()).thenReturn(List.of(account(5, "jdoe", "john.doe@hospital.nhs.uk", null)));

        ProvisionedUsers result = provisioning.provision("P1", List.of(hub("john.doe@hospital.nhs.uk")));

        verify(xnat, never()).create(any());
        assertThat(result.createdUsers()).extracting(CreatedUser::username).containsExactly("jdoe");
        assertThat(result.addedUsers()).extracting(User::username).containsExactly("jdoe");
    }

    @Test
    void disabledHubUsersAreSkippedEntirely() {
        ProvisionedUsers result = provisioning.provision("P1",
                List.of(new CentralHubUser(UUID.randomUUID().toString(), "gone@x.org", true)));

        assertThat(result).isEqualTo(ProvisionedUsers.none());
        verifyNoInteractions(xnat, invitations);
    }

    @Test
    void manyUsersCostOneListing() {
        when(xnat.profiles()).thenReturn(List.of(account(1, "johndoe", "other@x.org", 1L)));
        List<CentralHubUser> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(hub("john.doe+" + i + "@hospital.nhs.uk"));
        }

        ProvisionedUsers result = provisioning.provision("P1", users);

        verify(xnat, times(1)).profiles();
        verify(xnat, times(1)).members("P1");
        verify(xnat, times(20)).create(any());
        assertThat(result.addedUsers()).extracting(User::username).doesNotHaveDuplicates().hasSize(20)
                .doesNotContain("johndoe");
    }

    @Test
    void theSamePersonTwiceInOneRequestIsProvisionedOnce() {
        when(xnat.profiles()).thenReturn(List.of());

        ProvisionedUsers result = provisioning.provision("P1",
                List.of(hub("john.doe@hospital.nhs.uk"), hub("JOHN.DOE@hospital.nhs.uk")));

        verify(xnat, times(1)).create(any());
        assertThat(result.addedUsers()).hasSize(1);
    }

    @Test
    void aConflictOnCreateForTheSamePersonUsesTheAccountSomeoneMadeMeanwhile() {
        when(xnat.profiles()).thenReturn(List.of());
        doReturn(Creation.taken()).when(xnat).create(any());
        when(xnat.profile("johndoe")).thenReturn(Optional.of(account(9, "johndoe", "john.doe@hospital.nhs.uk", null)));

        ProvisionedUsers result = provisioning.provision("P1", List.of(hub("john.doe@hospital.nhs.uk")));

        verify(xnat, times(1)).create(any());
        verify(xnat).addToGroup("P1", "Members", "johndoe");
        assertThat(result.createdUsers()).extracting(CreatedUser::username).containsExactly("johndoe");
    }

    @Test
    void aConflictOnCreateForSomeoneElseTriesTheNextUsername() {
        when(xnat.profiles()).thenReturn(List.of());
        doReturn(Creation.taken())
                .doAnswer(call -> Creation.made(account(10, ((NewAccount) call.getArgument(0)).username(),
                        "john.doe@hospital.nhs.uk", null)))
                .when(xnat).create(any());
        when(xnat.profile("johndoe")).thenReturn(Optional.of(account(9, "johndoe", "someone.else@x.org", 5L)));

        ProvisionedUsers result = provisioning.provision("P1", List.of(hub("john.doe@hospital.nhs.uk")));

        verify(xnat).addToGroup("P1", "Members", "johndoe1");
        assertThat(result.addedUsers()).extracting(User::username).containsExactly("johndoe1");
    }

    @Test
    void aCreateWhoseAnswerWasLostIsLookedUpAndNotRepeated() {
        when(xnat.profiles()).thenReturn(List.of());
        doThrow(TestFailures.timedOut("XNAT did not answer user creation within 10000 ms.")).when(xnat).create(any());
        when(xnat.profile("johndoe")).thenReturn(Optional.of(account(9, "johndoe", "john.doe@hospital.nhs.uk", null)));

        ProvisionedUsers result = provisioning.provision("P1", List.of(hub("john.doe@hospital.nhs.uk")));

        verify(xnat, times(1)).create(any());
        verify(xnat).profile("johndoe");
        assertThat(result.addedUsers()).extracting(User::username).containsExactly("johndoe");
    }

    @Test
    void aCreateWhoseAnswerWasLostAndThatDidNotHappenFailsWithoutASecondCreate() {
        when(xnat.profiles()).thenReturn(List.of());
        doThrow(TestFailures.timedOut("XNAT did not answer user creation within 10000 ms.")).when(xnat).create(any());
        when(xnat.profile("johndoe")).thenReturn(Optional.empty());

        assertThatThrownBy(() -> provisioning.provision("P1", List.of(hub("john.doe@hospital.nhs.uk"))))
                .isInstanceOf(XnatFailure.InDoubt.class);
        verify(xnat, times(1)).create(any());
    }

    @Test
    void aCreateThatWasNeverSentIsNotLookedUp() {
        when(xnat.profiles()).thenReturn(List.of());
        doThrow(TestFailures.unreachable("XNAT is unreachable (user creation): the connection was refused."))
                .when(xnat).create(any());

        assertThatThrownBy(() -> provisioning.provision("P1", List.of(hub("john.doe@hospital.nhs.uk"))))
                .isInstanceOf(XnatFailure.NotSent.class);
        verify(xnat, never()).profile(anyString());
    }

    @Test
    void anUnknownProjectIsNotFoundBeforeAnyAccountIsCreated() {
        when(xnat.members("NOPE")).thenReturn(Optional.empty());

        assertThatThrownBy(() -> provisioning.provision("NOPE", List.of(hub("john.doe@hospital.nhs.uk"))))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status().value()).isEqualTo(404));
        verify(xnat, never()).create(any());
    }

    @Test
    void aUserAlreadyInMembersIsNotPutAgain() {
        when(xnat.members("P1")).thenReturn(Optional.of(Map.of("jdoe", "Members")));
        when(xnat.profiles()).thenReturn(List.of(account(5, "jdoe", "john.doe@hospital.nhs.uk", 1L)));

        ProvisionedUsers result = provisioning.provision("P1", List.of(hub("john.doe@hospital.nhs.uk")));

        verify(xnat, never()).addToGroup(anyString(), anyString(), anyString());
        assertThat(result.addedUsers()).extracting(User::username).containsExactly("jdoe");
    }

    @Test
    void aUserAlreadyInAnotherGroupOfTheProjectKeepsTheirRole() {
        when(xnat.members("P1")).thenReturn(Optional.of(Map.of("jdoe", "Owners")));
        when(xnat.profiles()).thenReturn(List.of(account(5, "jdoe", "john.doe@hospital.nhs.uk", 1L)));

        ProvisionedUsers result = provisioning.provision("P1", List.of(hub("john.doe@hospital.nhs.uk")));

        verify(xnat, never()).addToGroup(anyString(), anyString(), anyString());
        assertThat(result.addedUsers()).extracting(User::username).containsExactly("jdoe");
    }

    @Test
    void noEmailOrPasswordReachesTheLog() {
        when(xnat.profiles()).thenReturn(List.of(account(5, "jdoe", "existing@hospital.nhs.uk", null)));
        List<String> passwords = new ArrayList<>();
        doAnswer(call -> {
            NewAccount account = call.getArgument(0);
            passwords.add(account.password());
            return Creation.made(account(100L, account.username(), account.email(), null));
        }).when(xnat).create(any());

        provisioning.provision("P1", List.of(hub("existing@hospital.nhs.uk"), hub("john.doe@hospital.nhs.uk"),
                new CentralHubUser(UUID.randomUUID().toString(), "gone@hospital.nhs.uk", true)));

        assertThat(logs.list).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getFormattedMessage()).doesNotContain("@").doesNotContain(passwords.get(0));
        });
    }
}
