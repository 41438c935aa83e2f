package org.flip.imagingapi.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.flip.imagingapi.model.Project;
import org.flip.imagingapi.model.Subject;
import org.flip.imagingapi.web.CallerDeadline;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.Creation;
import org.flip.imagingapi.xnat.XnatDqrQueue;
import org.flip.imagingapi.xnat.XnatExperiments;
import org.flip.imagingapi.xnat.TestFailures;
import org.flip.imagingapi.xnat.XnatFailure;
import org.flip.imagingapi.xnat.XnatProjects;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The lifecycle rules. Reference checklist §14.1 counterparts: create_project (no existing → created
 * and read back; ID listed → already exists, now 409; POST failure propagates), get_project and
 * get_project_from_central_hub_project_id (found / NotFound), delete_project (returns the project;
 * failure propagates), plus the reference's ordering bug fixed: DQR imports are cancelled first.
 */
class ProjectServiceTest {

    private static final Project P1 = new Project("P1", "S1", "n", null, "", "", "/data/projects/P1");

    private final XnatProjects projects = mock(XnatProjects.class);
    private final XnatDqrQueue dqr = mock(XnatDqrQueue.class);
    private final XnatExperiments experiments = mock(XnatExperiments.class);
    private final ProjectService service = new ProjectService(projects, dqr, experiments,
            new CallerDeadline(Duration.ofSeconds(25), Duration.ofMinutes(5), 2, new SimpleMeterRegistry()));

    @Test
    void createChecksFirstThenPostsThenReadsTheProjectBack() {
        given(projects.find("P1")).willReturn(Optional.empty(), Optional.of(P1));
        given(projects.create("P1", "S1", "n", "d")).willReturn(Creation.made(P1));
        assertThat(service.create(new CreateProjectRequest("P1", "S1", "n", "d"))).isEqualTo(P1);
        InOrder order = inOrder(projects);
        order.verify(projects).find("P1");
        order.verify(projects).create("P1", "S1", "n", "d");
        order.verify(projects).find("P1");
    }

    @Test
    void createOfATakenIdIsAConflictWithoutAnyPost() {
        given(projects.find("P1")).willReturn(Optional.of(P1));
        assertThatThrownBy(() -> service.create(new CreateProjectRequest("P1", "S1", "n", null)))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(409);
                    assertThat(e.detail()).contains("already exists");
                });
        verify(projects, never()).create(anyString(), anyString(), anyString(), any());
    }

    @Test
    void createOfASecondaryIdAnotherProjectHoldsIsAConflictWithoutAnyPost() {
        given(projects.find("P2")).willReturn(Optional.empty());
        given(projects.findBySecondaryId("S1")).willReturn(Optional.of(P1));
        assertThatThrownBy(() -> service.create(new CreateProjectRequest("P2", "S1", "n", null)))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(409);
                    assertThat(e.detail()).contains("secondary ID 'S1'");
                });
        verify(projects, never()).create(anyString(), anyString(), anyString(), any());
    }

    @Test
    void aCreatedProjectXnatDoesNotListIsABadGateway() {
        given(projects.find("P1")).willReturn(Optional.empty());
        given(projects.create("P1", "S1", "n", null)).willReturn(Creation.made(P1));
        assertThatThrownBy(() -> service.create(new CreateProjectRequest("P1", "S1", "n", null)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status().value()).isEqualTo(502));
    }

    @Test
    void getAndGetByHubIdAreNotFoundWhenAbsent() {
        given(projects.find("P1")).willReturn(Optional.of(P1));
        given(projects.find("NOPE")).willReturn(Optional.empty());
        given(projects.findBySecondaryId("S1")).willReturn(Optional.of(P1));
        given(projects.findBySecondaryId("S2")).willReturn(Optional.empty());
        assertThat(service.get("P1")).isEqualTo(P1);
        assertThat(service.getByCentralHubId("S1")).isEqualTo(P1);
        assertThatThrownBy(() -> service.get("NOPE")).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.detail()).isEqualTo("Project with ID 'NOPE' not found."));
        assertThatThrownBy(() -> service.getByCentralHubId("S2")).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.status().value()).isEqualTo(404));
    }

    @Test
    void deleteCancelsQueuedImportsBeforeDeletingAndAnswersTheProjectAsItWas() {
        given(projects.find("P1")).willReturn(Optional.of(P1), Optional.empty());
        given(projects.delete("P1")).willReturn(true);
        assertThat(service.delete("P1")).isEqualTo(P1);
        InOrder order = inOrder(projects, dqr);
        order.verify(projects).find("P1");
        order.verify(dqr).cancelQueuedImports("P1");
        order.verify(projects).delete("P1");
        order.verify(projects).find("P1");
    }

    @Test
    void aProjectXnatKeepsAfterItsTwoHundredIsAConflictNamingTheSubjectsThatHoldIt() {
        given(projects.find("P1")).willReturn(Optional.of(P1));
        given(projects.delete("P1")).willReturn(true);
        given(experiments.subjects("P1")).willReturn(Optional.of(List.of(
                new Subject("XNAT_S1", "SHARED_SUBJ", "", "P1", "admin", "/data/subjects/XNAT_S1"))));
        assertThatThrownBy(() -> service.delete("P1")).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.status().value()).isEqualTo(409);
            assertThat(e.code()).isEqualTo("project_not_deleted");
            assertThat(e.detail()).contains("XNAT kept project 'P1'").contains("SHARED_SUBJ")
                    .contains("other projects");
        });
    }

    @Test
    void deleteOfAnUnknownProjectTouchesNeitherTheQueueNorXnat() {
        given(projects.find("NOPE")).willReturn(Optional.empty());
        assertThatThrownBy(() -> service.delete("NOPE")).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.status().value()).isEqualTo(404));
        verify(dqr, never()).cancelQueuedImports(anyString());
        verify(projects, never()).delete(anyString());
    }

    @Test
    void aQueueThatCannotBeCancelledStopsTheDeletion() {
        given(projects.find("P1")).willReturn(Optional.of(P1));
        willThrow(TestFailures.rejected("XNAT DQR import queue listing failed: HTTP 403", 403))
                .given(dqr).cancelQueuedImports("P1");
        assertThatThrownBy(() -> service.delete("P1")).isInstanceOf(XnatFailure.class);
        verify(projects, never()).delete(anyString());
    }

    @Test
    void aDeletionFailureInXnatPropagates() {
        given(projects.find("P1")).willReturn(Optional.of(P1));
        willThrow(TestFailures.rejected("XNAT project deletion failed: HTTP 500", 500)).given(projects).delete("P1");
        assertThatThrownBy(() -> service.delete("P1")).isInstanceOf(XnatFailure.class);
    }
}
