package org.flip.imagingapi.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Seed data sets for {@link XnatEmulator#seedDemo()} and {@link XnatEmulator#seedBulk}. The constants name the
 * demo data so tests in other packages can refer to it.
 */
public final class Seeds {
    private Seeds() {
    }

    /** Regular project with MR sessions. */
    public static final String NEURO = "NEURO_MRI_2024";
    /** Project holding an {@code xnat:dxSessionData} (hidden by the project-scoped listing). */
    public static final String CHEST = "CHEST_XRAY";
    /** Hub-provisioned project: UUID ID, hub project UUID as secondary_ID. */
    public static final String HUB = "2b1f4a8e-6c3d-4e5f-9a7b-1c2d3e4f5a6b";
    public static final String HUB_PROJECT = "7e9c1d2a-3b4c-4d5e-8f6a-9b0c1d2e3f4a";

    /** Password of the demo "admin" account (site admin, e-mail admin@localhost, no lastModified). */
    public static final String ADMIN_PASSWORD = "admin";
    public static final String JSMITH = "jsmith";
    public static final String JSMITH_PASSWORD = "jsmith-password";
    public static final String DQR_OPERATOR = "dqr-operator";
    public static final String DQR_OPERATOR_PASSWORD = "dqr-password";
    /** Disabled demo user (member of NEURO, hidden from member listings). */
    public static final String FORMER_MEMBER = "former-member";
    /**
     * Name of the hub project's demo subscription; also the name the Python reference service and the older FLIP
     * bootstrap give their dcm2niix subscriptions.
     */
    public static final String SUBSCRIPTION_NAME = "DICOM-NIfTI Conversion";
    /**
     * The demo's throw-away project: Swagger UI's examples of the irreversible DELETE calls point at it
     * (and at its subscription) so that trying them leaves the demo data above intact. Seeded by
     * {@link XnatEmulator#seedDemoScratch()} only, so the emulator's own tests see the demo unchanged.
     */
    public static final String SCRATCH = "DEMO_SCRATCH";
    /** The reference service's payload filter (reference-imaging-api.md section 7.3). */
    public static final String DICOM_PAYLOAD_FILTER = "(@.resources.length() > 0 && \"DICOM\" in @.resources[*].label)";
    static final String SCAN_EVENT = "org.nrg.xnat.eventservice.events.ScanEvent";

    /** What {@link XnatEmulator#seedSubjectWithAnotherProjectsExperiment} created. */
    public record SharedSubject(Subject subject, Experiment ownExperiment, Experiment otherProjectsExperiment) {
    }

    static void demo(XnatEmulator emu) {
        EmulatorState st = emu.state();
        st.atomically(() -> {
            long now = System.currentTimeMillis();
            long day = 86_400_000L;
            // users: admin is the "odd" built-in account (localhost e-mail, no lastModified)
            st.addUser(new User(0, "admin", "admin@localhost", "Admin", "Admin", true, true, "admin", null,
                    now - 3 * day, User.SITE_ADMIN_ROLES));
            st.addUser(new User(0, "jsmith", "jane.smith@example.org", "Jane", "Smith", true, true,
                    "jsmith-password", now - 30 * day, null, Set.of()));
            st.addUser(new User(0, "dqr-operator", "dqr.operator@example.org", "Dora", "Operator", true, true,
                    "dqr-password", now - 60 * day, now - day, Set.of(User.DQR)));
            st.addUser(new User(0, "former-member", "former.member@example.org", "Fred", "Former", false, true,
                    "former-password", now - 90 * day, now - 80 * day, Set.of()));

            // projects
            st.addProject(new Project(NEURO, "NEURO_MRI", "Neuro MRI Research Cohort",
                    "Longitudinal brain MRI cohort", "Alice", "Jones", "private", 4, List.of("NEURO"),
                    XnatEmulator.SERVICE_USER, Instant.now().minusSeconds(200 * 86400L)));
            st.addMember(NEURO, "jsmith", ProjectGroup.MEMBERS);
            st.addMember(NEURO, "former-member", ProjectGroup.MEMBERS);
            st.addMember(NEURO, "dqr-operator", ProjectGroup.COLLABORATORS);
            st.addProject(new Project(CHEST, "CXR_SCREEN", "Chest X-ray Screening", null, null, null, "protected", 0,
                    List.of(), "admin", Instant.now().minusSeconds(100 * 86400L)));
            st.addProject(new Project(HUB, HUB_PROJECT, "Lung Nodule Detection:" + HUB_PROJECT + "-FL-Project",
                    "Project corresponding to central hub project " + HUB_PROJECT, null, null, "protected", 4,
                    List.of(), XnatEmulator.SERVICE_USER, Instant.now().minusSeconds(10 * 86400L)));
            st.addMember(HUB, "jsmith", ProjectGroup.MEMBERS);

            // subjects and experiments
            Subject n1 = st.addSubject(NEURO, "SUBJ001");
            Subject n2 = st.addSubject(NEURO, "SUBJ002");
            st.addExperiment(NEURO, n1.id(), "MR_SUBJ001_01", "xnat:mrSessionData", "2024-03-14",
                    "1.2.826.0.1.3680043.8.498.10001", List.of(
                            new Scan("1", "T1_MPRAGE", "t1_mprage_sag", "1.2.826.0.1.3680043.8.498.10001.1", 176,
                                    List.of("DICOM", "NIFTI")),
                            new Scan("2", "FLAIR", "t2_flair_ax", "1.2.826.0.1.3680043.8.498.10001.2", 40,
                                    List.of("DICOM"))));
            st.addExperiment(NEURO, n2.id(), "MR_SUBJ002_01", "xnat:mrSessionData", "2024-04-02",
                    "1.2.826.0.1.3680043.8.498.10002", List.of(
                            new Scan("1", "T1_MPRAGE", "t1_mprage_sag", "1.2.826.0.1.3680043.8.498.10002.1", 176,
                                    List.of("DICOM"))));
            Subject c1 = st.addSubject(CHEST, "CXR001");
            st.addExperiment(CHEST, c1.id(), "CXR001_DX", "xnat:dxSessionData", "2023-11-20",
                    "1.2.826.0.1.3680043.8.498.20001", List.of(
                            new Scan("1", "PA", "Chest PA", "1.2.826.0.1.3680043.8.498.20001.1", 1,
                                    List.of("DICOM"))));
            st.addExperiment(CHEST, c1.id(), "CXR001_CT", "xnat:ctSessionData", "2023-11-21",
                    "1.2.826.0.1.3680043.8.498.20002", List.of());
            Subject h1 = st.addSubject(HUB, "5d3c2b1a-0f9e-4d8c-b7a6-954321fedcba");
            st.addExperiment(HUB, h1.id(), "ACC0001", "xnat:ctSessionData", "2025-01-09",
                    "1.2.826.0.1.3680043.8.498.30001", List.of(
                            new Scan("2", "CHEST_CT", "Thorax 1.0 B45f", "1.2.826.0.1.3680043.8.498.30001.2", 312,
                                    List.of("DICOM", "NIFTI"))));

            // commands: a two-wrapper command first, so dcm2niix's command id (2) differs from its wrapper id (3)
            st.addCommand("debug", "xnat/debug-command:latest", "1.0", List.of("debug-session", "debug-scan"),
                    null);
            Command dcm = st.addCommand("dcm2niix", XnatEmulator.DCM2NIIX_IMAGE, "1.0.20260724",
                    List.of("dcm2niix-scan"), dcm2niixDefinition());
            long dcmWrapper = dcm.wrappers().get(0).id();
            st.setWrapperEnabledForSite(dcmWrapper, true);
            st.addCommand("mriqc", "nipreps/mriqc:24.0.2", "24.0.2", List.of("mriqc-session"), null);
            st.setWrapperEnabledForProject(HUB, dcmWrapper, true);
            st.setEventServiceEnabled(true);
            st.addSubscription(new Subscription(0, SUBSCRIPTION_NAME, true,
                    Xapi.ACTION_PROVIDER + ":" + dcmWrapper, Map.of(), SCAN_EVENT, List.of(HUB), "CREATED",
                    DICOM_PAYLOAD_FILTER, XnatEmulator.SERVICE_USER, now - 10 * day));

            // DQR queue: owned by another user than the service account
            st.queueDqrRequest(new QueuedRequest(0, "dqr-operator", NEURO, "1.2.826.0.1.3680043.8.498.40001",
                    "ACC4001", 1, "XNAT", "QUEUED", 10, now - 2 * 3600_000L));
            st.queueDqrRequest(new QueuedRequest(0, "dqr-operator", HUB, "1.2.826.0.1.3680043.8.498.40002",
                    "ACC4002", 1, "XNAT", "QUEUED", 10, now - 3600_000L));
        });
    }

    /**
     * A subject of {@code project} holding one experiment of {@code project} and one owned by {@code otherProject}
     * (in XNAT: the subject shared into the other project, which archived a session for it). Such a subject makes
     * {@code DELETE /data/projects/{project}} answer 200 yet keep the project.
     */
    static SharedSubject sharedSubject(XnatEmulator emu, String project, String otherProject) {
        EmulatorState st = emu.state();
        SharedSubject[] out = new SharedSubject[1];
        st.atomically(() -> {
            if (st.project(project).isEmpty() || st.project(otherProject).isEmpty()) {
                throw new IllegalArgumentException("Both projects must exist: " + project + ", " + otherProject);
            }
            Subject subject = st.addSubject(project, "SHARED_" + (st.subjects(project).size() + 1));
            Experiment own = st.addExperiment(project, subject.id(), subject.label() + "_MR", "xnat:mrSessionData",
                    "2025-02-03");
            Experiment other = st.addExperiment(otherProject, subject.id(), subject.label() + "_CT_" + otherProject,
                    "xnat:ctSessionData", "2025-02-04");
            out[0] = new SharedSubject(subject, own, other);
        });
        return out[0];
    }

    /** The registered dcm2niix command's wrapper id (the one {@link #demo} registers). */
    private static long dcm2niixWrapper(EmulatorState st) {
        return st.commands().stream().filter(c -> c.image().equals(XnatEmulator.DCM2NIIX_IMAGE)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No dcm2niix command registered; call seedDemo() first"))
                .wrappers().get(0).id();
    }

    /**
     * A site-wide subscription (no project ids) running dcm2niix on every new DICOM scan, as the older FLIP
     * bootstrap created it as {@code admin}; the wrapper is enabled site-wide so it validates.
     */
    static Subscription siteWideSubscription(XnatEmulator emu, String name) {
        EmulatorState st = emu.state();
        long wrapper = dcm2niixWrapper(st);
        st.setWrapperEnabledForSite(wrapper, true);
        return st.addSubscription(new Subscription(0, name, true, Xapi.ACTION_PROVIDER + ":" + wrapper, Map.of(),
                SCAN_EVENT, List.of(), "CREATED", DICOM_PAYLOAD_FILTER, "admin", System.currentTimeMillis()));
    }

    /**
     * A project subscription for the dcm2niix wrapper made by someone else, e.g. the Python reference service
     * ({@code name} {@value #SUBSCRIPTION_NAME}, its exact payload: ScanEvent CREATED, the DICOM payload filter,
     * empty attributes, active) or an admin in XNAT's UI under any other name. The wrapper is enabled for the site
     * and the project, as the reference does before subscribing. The action key carries the wrapper id: the
     * reference puts the command id there, which XNAT only accepted where both ids were equal.
     */
    static Subscription projectSubscription(XnatEmulator emu, String project, String name, String owner) {
        EmulatorState st = emu.state();
        if (st.project(project).isEmpty()) {
            throw new IllegalArgumentException("No project " + project);
        }
        long wrapper = dcm2niixWrapper(st);
        st.setWrapperEnabledForSite(wrapper, true);
        st.setWrapperEnabledForProject(project, wrapper, true);
        return st.addSubscription(new Subscription(0, name, true, Xapi.ACTION_PROVIDER + ":" + wrapper, Map.of(),
                SCAN_EVENT, List.of(project), "CREATED", DICOM_PAYLOAD_FILTER, owner, System.currentTimeMillis()));
    }

    static void scratch(XnatEmulator emu) {
        EmulatorState st = emu.state();
        st.addProject(new Project(SCRATCH, SCRATCH, "Scratch project (delete me)",
                "Seeded by the demo for trying out the DELETE calls", null, null, "private", 0, List.of(),
                XnatEmulator.SERVICE_USER, Instant.now().minusSeconds(86400L)));
        projectSubscription(emu, SCRATCH, "Scratch dcm2niix", XnatEmulator.SERVICE_USER);
    }

    /**
     * The demo's drifted hub project, for Swagger UI's audit examples: provisioned once, then changed by hand in
     * XNAT (prearchive code 0, the dcm2niix wrapper disabled for it, its subscription deactivated, the site admin
     * among its Members). Seeded by {@link XnatEmulator#seedDemoAuditDrift()} only.
     */
    public static final String DRIFT = "DEMO_DRIFT";
    public static final String DRIFT_HUB_PROJECT = "4d7a2c9e-1f3b-4a6d-8e5c-0b9a8f7e6d5c";

    static Subscription auditDrift(XnatEmulator emu) {
        EmulatorState st = emu.state();
        st.addProject(new Project(DRIFT, DRIFT_HUB_PROJECT, "Cardiac MRI:" + DRIFT_HUB_PROJECT + "-FL-Project",
                "Project corresponding to central hub project " + DRIFT_HUB_PROJECT, null, null, "private", 0,
                List.of(), XnatEmulator.SERVICE_USER, Instant.now().minusSeconds(30 * 86400L)));
        Subscription subscription = projectSubscription(emu, DRIFT,
                "imaging-api dcm2niix " + DRIFT, XnatEmulator.SERVICE_USER);
        st.setSubscriptionActive(subscription.id(), false);
        st.setWrapperEnabledForProject(DRIFT, dcm2niixWrapper(st), false);
        st.addMember(DRIFT, "jsmith", ProjectGroup.MEMBERS);
        st.addMember(DRIFT, "admin", ProjectGroup.MEMBERS);
        return subscription;
    }

    /** A command definition shaped like FLIP's dcm2niix_command.json. */
    static ObjectNode dcm2niixDefinition() {
        ObjectNode d = Http.MAPPER.createObjectNode();
        d.put("name", "dcm2niix");
        d.put("label", "dcm2niix");
        d.put("description", "Converts DICOM scans to NIfTI with dcm2niix");
        d.put("version", "1.0.20260724");
        d.put("image", XnatEmulator.DCM2NIIX_IMAGE);
        d.put("command-line", "dcm2niix -z y -b y -f %f_%p_%t_%s -o /output /input");
        ArrayNode mounts = d.putArray("mounts");
        mounts.addObject().put("name", "dicom-in").put("writable", false).put("path", "/input");
        mounts.addObject().put("name", "nifti-out").put("writable", true).put("path", "/output");
        ArrayNode outputs = d.putArray("outputs");
        outputs.addObject().put("name", "nifti").put("description", "The NIfTI files").put("required", true)
                .put("mount", "nifti-out");
        ArrayNode xnat = d.putArray("xnat");
        ObjectNode w = xnat.addObject();
        w.put("name", "dcm2niix-scan");
        w.put("description", "Run dcm2niix on a scan");
        w.putArray("contexts").add("xnat:imageScanData");
        ArrayNode ext = w.putArray("external-inputs");
        ext.addObject().put("name", "scan").put("type", "Scan").put("required", true)
                .put("matcher", "'DICOM' in @.resources[*].label");
        ArrayNode oh = w.putArray("output-handlers");
        oh.addObject().put("name", "nifti-resource").put("accepts-command-output", "nifti")
                .put("as-a-child-of", "scan").put("type", "Resource").put("label", "NIFTI");
        return d;
    }

    static void bulk(XnatEmulator emu, int projects, int subjectsPerProject, int experimentsPerProject,
                     int users) {
        EmulatorState st = emu.state();
        String[] types = {"xnat:mrSessionData", "xnat:ctSessionData", "xnat:petSessionData", "xnat:dxSessionData"};
        st.atomically(() -> {
            int base = st.projectCount();
            long now = System.currentTimeMillis();
            for (int i = 1; i <= projects; i++) {
                String id = EmulatorState.pad("BULK_P", base + i, 6);
                st.addProject(new Project(id, "bulk-" + (base + i), "Bulk Project " + (base + i),
                        i % 3 == 0 ? null : "Generated project " + (base + i), null, null, "protected", 4, List.of(),
                        XnatEmulator.SERVICE_USER, null));
                String[] subjectIds = new String[Math.max(subjectsPerProject, 0)];
                for (int s = 0; s < subjectsPerProject; s++) {
                    subjectIds[s] = st.addSubject(id, EmulatorState.pad("S", s + 1, 4)).id();
                }
                for (int e = 0; e < experimentsPerProject; e++) {
                    String subject = subjectIds.length == 0 ? null : subjectIds[e % subjectIds.length];
                    st.addExperiment(id, subject, EmulatorState.pad(id + "_E", e + 1, 4), types[e % types.length],
                            EmulatorState.pad("2024-01-", (e % 28) + 1, 2));
                }
            }
            int ubase = st.userCount();
            for (int u = 1; u <= users; u++) {
                String name = EmulatorState.pad("user", ubase + u, 6);
                st.addUser(new User(0, name, name + "@example.org", "User", "Number" + (ubase + u), true, true,
                        name + "-password", now, u % 2 == 0 ? now : null, Set.of()));
            }
        });
    }
}
