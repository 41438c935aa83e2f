package org.flip.imagingapi.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.flip.imagingapi.config.ProvisioningProperties;
import org.flip.imagingapi.model.Project;
import org.flip.imagingapi.subscription.CommandLookup;
import org.flip.imagingapi.user.PrivilegedAccounts;
import org.flip.imagingapi.web.CallerDeadline;
import org.flip.imagingapi.xnat.TestFailures;
import org.flip.imagingapi.xnat.XnatEventSubscriptions;
import org.flip.imagingapi.xnat.XnatProjects;
import org.flip.imagingapi.xnat.XnatUsers;
import org.junit.jupiter.api.Test;

/**
 * The service account is told apart as the privileged-accounts code tells it (XNAT matches logins
 * without case): configured in another case than XNAT lists it, it is still the project's owner, not
 * an Owner out of place nor a privileged member.
 */
class ProvisioningAuditServiceAccountTest {

    @Test
    void theServiceAccountMatchesWithoutCase() {
        XnatProjects projects = mock(XnatProjects.class);
        XnatUsers users = mock(XnatUsers.class);
        CommandLookup commands = mock(CommandLookup.class);
        given(projects.find("P1")).willReturn(Optional.of(new Project("P1", null, "P1", null, null, null, null)));
        given(projects.prearchiveCode("P1")).willReturn(Optional.of(4));
        given(commands.find(anyString())).willThrow(TestFailures.rejected("command lookup failed: HTTP 500", 500));
        Map<String, String> members = new LinkedHashMap<>();
        members.put("imaging-api", "Owners");
        members.put("alice", "Members");
        given(users.members("P1")).willReturn(Optional.of(members));
        given(users.administrators()).willReturn(Optional.of(Set.of("admin")));
        given(users.profiles()).willReturn(List.of());
        CallerDeadline deadline = new CallerDeadline(Duration.ofSeconds(5), Duration.ofMinutes(1), 1,
                new SimpleMeterRegistry());
        ProvisioningAudit audit = new ProvisioningAudit(projects, mock(XnatEventSubscriptions.class), users, commands,
                new ProvisioningProperties(ProvisioningProperties.DEFAULT_DCM2NIIX_IMAGE, 4),
                new PrivilegedAccounts(users, "Imaging-API"), deadline);

        AuditReport report = audit.byProjectId("P1", true, true, List.of());

        Map<String, AuditCheck> checks = new LinkedHashMap<>();
        report.checks().forEach(c -> checks.put(c.check(), c));
        assertThat(checks.get("member_groups").status()).isEqualTo(AuditCheck.Status.OK);
        assertThat(checks.get("member_groups").found()).isEqualTo("1 in Members");
        assertThat(checks.get("privileged_members").status()).isEqualTo(AuditCheck.Status.OK);
        assertThat(checks.get("extra_members").found()).isEqualTo("alice (Members)");
    }
}
