package org.flip.imagingapi.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.flip.imagingapi.config.ProvisioningProperties;
import org.flip.imagingapi.model.CommandInfo;
import org.flip.imagingapi.model.Project;
import org.flip.imagingapi.model.Subscription;
import org.flip.imagingapi.model.User;
import org.flip.imagingapi.project.CentralHubProject;
import org.flip.imagingapi.subscription.CommandLookup;
import org.flip.imagingapi.subscription.EventSubscriptions;
import org.flip.imagingapi.user.CentralHubUser;
import org.flip.imagingapi.user.PrivilegedAccounts;
import org.flip.imagingapi.web.CallerDeadline;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.XnatBodies;
import org.flip.imagingapi.xnat.XnatDeadline;
import org.flip.imagingapi.xnat.XnatEventSubscriptions;
import org.flip.imagingapi.xnat.XnatFailure;
import org.flip.imagingapi.xnat.XnatProjects;
import org.flip.imagingapi.xnat.XnatUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Reads what XNAT holds for a hub project and compares it with what the provisioning flow
 * ({@code ProjectProvisioning}) would make of it, without changing anything.
 *
 * <p>A constant number of XNAT calls whatever the member count: 8 by project ID, 7 by hub id (the
 * hub-id lookup is also the twin check), one more for XNAT's one user listing with the hub's users
 * (9) or with {@code include_logins} on a GET. The checks a report does not make are left out of its
 * {@code checks} and named in its {@code not_checked}.
 * The project lookup decides the answer (404, or the usual 502/503/504 when XNAT fails); any later
 * call that fails makes its checks {@code unknown} with the reason, and the others still run.
 * Every call of one audit ends within the caller's deadline ({@code provisioning.deadline}): past
 * it the checks left are {@code unknown} ("did not answer in time") and the report still answers.
 */
@Service
public class ProvisioningAudit {

    private static final Logger log = LoggerFactory.getLogger(ProvisioningAudit.class);

    static final String PROJECT_UNIQUE = "project_unique";
    static final String PROJECT_NAME = "project_name";
    static final String PROJECT_DESCRIPTION = "project_description";
    static final String PREARCHIVE_CODE = "prearchive_code";
    static final String COMMAND = "command";
    static final String WRAPPER_ENABLED = "wrapper_enabled";
    static final String SUBSCRIPTION = "subscription";
    static final String SUBSCRIPTION_ACTIVE = "subscription_active";
    static final String SITE_WIDE_SUBSCRIPTION = "site_wide_subscription";
    static final String MEMBER_GROUPS = "member_groups";
    static final String PRIVILEGED_MEMBERS = "privileged_members";
    static final String HUB_USERS_IN_PROJECT = "hub_users_in_project";
    static final String EXTRA_MEMBERS = "extra_members";
    static final String NEVER_LOGGED_IN = "never_logged_in";

    private static final String GROUP = "Members";
    private static final String OWNERS = "Owners";

    private final XnatProjects projects;
    private final XnatEventSubscriptions subscriptions;
    private final XnatUsers users;
    private final CommandLookup commands;
    private final ProvisioningProperties provisioning;
    private final PrivilegedAccounts privilegedAccounts;
    private final Duration deadline;

    ProvisioningAudit(XnatProjects projects, XnatEventSubscriptions subscriptions, XnatUsers users,
            CommandLookup commands, ProvisioningProperties provisioning, PrivilegedAccounts privilegedAccounts,
            CallerDeadline deadline) {
        this.projects = projects;
        this.subscriptions = subscriptions;
        this.users = users;
        this.commands = commands;
        this.provisioning = provisioning;
        this.privilegedAccounts = privilegedAccounts;
        this.deadline = deadline.deadline();
    }

    /**
     * The project by its XNAT ID; {@code hubUsers} null for the GET (membership against the hub's
     * list not checked; never-logged-in members only with {@code includeLogins}), else the hub
     * project's users (every check made; {@code includeLogins} then changes nothing).
     */
    public AuditReport byProjectId(String projectId, boolean dicomToNifti, boolean includeLogins,
            List<CentralHubUser> hubUsers) {
        return XnatDeadline.within(deadline, () -> auditById(projectId, dicomToNifti, includeLogins, hubUsers));
    }

    /** The project provisioning would resume for the hub project (the first XNAT lists with its secondary_ID). */
    public AuditReport byHubProjectId(String hubId, boolean dicomToNifti, boolean includeLogins) {
        return XnatDeadline.within(deadline, () -> auditByHubId(hubId, dicomToNifti, includeLogins));
    }

    private AuditReport auditById(String projectId, boolean dicomToNifti, boolean includeLogins,
            List<CentralHubUser> hubUsers) {
        Project project = projects.find(projectId).orElseThrow(() -> ProblemException.projectNotFound(projectId));
        String hubId = project.secondaryId() == null || project.secondaryId().isBlank() ? null : project.secondaryId();
        List<AuditCheck> checks = new ArrayList<>();
        if (hubId == null) {
            String fix = "Project '" + project.id() + "' carries no hub project id, so provisioning never finds it: it "
                    + "was not provisioned from a Central Hub project.";
            checks.add(AuditCheck.unknown(PROJECT_UNIQUE, "one XNAT project with the hub project id as secondary_ID",
                    "no secondary_ID", fix));
            checks.add(AuditCheck.unknown(PROJECT_NAME, "ends with ':<hub project id>-FL-Project'", project.name(), fix));
            checks.add(AuditCheck.unknown(PROJECT_DESCRIPTION, CentralHubProject.xnatDescription("<hub project id>"),
                    String.valueOf(project.description()), fix));
        } else {
            Attempt<List<Project>> twins = attempt(() -> projects.findAllBySecondaryId(hubId));
            checks.add(uniqueness(hubId, project, twins));
            checks.addAll(nameAndDescription(hubId, project));
        }
        return finish(project, hubId, checks, dicomToNifti, includeLogins, hubUsers);
    }

    private AuditReport auditByHubId(String hubId, boolean dicomToNifti, boolean includeLogins) {
        List<Project> found = projects.findAllBySecondaryId(hubId);
        if (found.isEmpty()) {
            throw ProblemException.notFound("No project corresponds to central hub project '" + hubId + "'.");
        }
        Project project = found.get(0);
        List<AuditCheck> checks = new ArrayList<>();
        checks.add(uniqueness(hubId, project, new Attempt<>(found, null)));
        checks.addAll(nameAndDescription(hubId, project));
        return finish(project, hubId, checks, dicomToNifti, includeLogins, null);
    }

    private AuditReport finish(Project project, String hubId, List<AuditCheck> checks, boolean dicomToNifti,
            boolean includeLogins, List<CentralHubUser> hubUsers) {
        String id = project.id();
        checks.add(prearchiveCode(id));
        CommandOutcome command = command();
        checks.add(command.check());
        checks.add(wrapper(id, command.command()));
        checks.addAll(subscriptionChecks(id, command.command(), dicomToNifti));
        Attempt<Map<String, String>> members = attempt(() -> users.members(id).orElseThrow(() -> gone(id)));
        checks.add(memberGroups(members));
        // the Administrator holders, asked once (and only once the members are known): privileged_members and
        // the membership comparison both use them
        Attempt<PrivilegedAccounts.Usernames> privileged = members.failed()
                ? new Attempt<>(null, members.failure()) : attempt(privilegedAccounts::lookUp);
        checks.add(privilegedMembers(members, privileged));
        List<String> notChecked = new ArrayList<>();
        String notCheckedFix;
        if (hubUsers != null) {
            Attempt<List<User>> listing = attempt(users::profiles);
            checks.addAll(membership(members, privileged, listing, hubUsers));
            notCheckedFix = null;
        } else {
            notChecked.add(HUB_USERS_IN_PROJECT);
            notChecked.add(EXTRA_MEMBERS);
            if (includeLogins) {
                Attempt<List<User>> listing = attempt(users::profiles);
                checks.add(neverLoggedIn(members, listing, null));
                notCheckedFix = "POST the hub project's users to /projects/" + id + "/audit for these (one XNAT user "
                        + "listing).";
            } else {
                notChecked.add(NEVER_LOGGED_IN);
                notCheckedFix = "POST the hub project's users to /projects/" + id + "/audit for these (one XNAT user "
                        + "listing); include_logins=true on the GET adds never_logged_in alone.";
            }
        }
        AuditReport report = AuditReport.of(id, checks, notChecked, notCheckedFix);
        logged(report, hubId);
        return report;
    }

    // ------------------------------------------------------------------ project

    private static AuditCheck uniqueness(String hubId, Project project, Attempt<List<Project>> twins) {
        String expected = "one XNAT project with secondary_ID '" + hubId + "'";
        if (twins.failed()) {
            return AuditCheck.unknown(PROJECT_UNIQUE, expected, twins.failure(), retry());
        }
        List<Project> all = twins.value();
        if (all.size() <= 1) {
            // by ID, the project itself is one of them unless XNAT hides it from the filtered listing
            return AuditCheck.ok(PROJECT_UNIQUE, expected, "'" + project.id() + "'");
        }
        String ids = all.stream().map(p -> "'" + p.id() + "'").collect(Collectors.joining(", "));
        Project used = all.get(0);
        String others = all.stream().skip(1).map(p -> "'" + p.id() + "'").collect(Collectors.joining(", "));
        return AuditCheck.drift(PROJECT_UNIQUE, expected, all.size() + " projects: " + ids,
                "Provisioning cannot merge projects; it uses '" + used.id() + "' (XNAT lists it first)"
                        + (used.id().equals(project.id()) ? "" : ", not this one") + ". An XNAT administrator moves "
                        + "any sessions of " + others + " to '" + used.id() + "' and deletes " + others
                        + " or clears their secondary_ID (Edit project details).");
    }

    private static List<AuditCheck> nameAndDescription(String hubId, Project project) {
        List<AuditCheck> checks = new ArrayList<>();
        String suffix = CentralHubProject.xnatNameSuffix(hubId);
        String name = project.name() == null ? "" : project.name();
        String expectedName = "ends with '" + suffix + "'";
        if (name.endsWith(suffix)) {
            checks.add(AuditCheck.ok(PROJECT_NAME, expectedName, name));
        } else {
            checks.add(AuditCheck.drift(PROJECT_NAME, expectedName, name, "Provisioning never renames an existing "
                    + "project: a project owner restores the name in XNAT (Edit project details) as '<hub project "
                    + "name>" + suffix + "'."));
        }
        String description = CentralHubProject.xnatDescription(hubId);
        String found = project.description() == null ? "(none)" : project.description();
        if (description.equals(project.description())) {
            checks.add(AuditCheck.ok(PROJECT_DESCRIPTION, description, found));
        } else {
            checks.add(AuditCheck.drift(PROJECT_DESCRIPTION, description, found, "Provisioning never changes an "
                    + "existing project's description: a project owner restores it in XNAT (Edit project details)."));
        }
        return checks;
    }

    private AuditCheck prearchiveCode(String id) {
        int wanted = provisioning.prearchiveCode();
        String expected = Integer.toString(wanted);
        Attempt<Integer> code = attempt(() -> projects.prearchiveCode(id).orElseThrow(() -> gone(id)));
        if (code.failed()) {
            return AuditCheck.unknown(PREARCHIVE_CODE, expected, code.failure(), retry());
        }
        if (code.value() == wanted) {
            return AuditCheck.ok(PREARCHIVE_CODE, expected, expected);
        }
        return AuditCheck.drift(PREARCHIVE_CODE, expected, code.value().toString(), "Re-running provisioning sets "
                + "the prearchive code to " + wanted + " (provisioning.prearchive-code); PUT /projects/" + id
                + "/prearchive-code does it alone.");
    }

    // ------------------------------------------------------------------ command, wrapper, subscriptions

    private record CommandOutcome(AuditCheck check, CommandInfo command) {
    }

    private CommandOutcome command() {
        String image = provisioning.dcm2niixImage();
        String expected = "an XNAT command at image '" + image + "' with an 'xnat' wrapper";
        try {
            CommandInfo command = commands.find(image);
            return new CommandOutcome(AuditCheck.ok(COMMAND, expected, "command " + command.commandId() + " ('"
                    + command.commandName() + "'), wrapper " + command.wrapperId() + " ('" + command.wrapperName()
                    + "')"), command);
        } catch (ProblemException miss) {
            if (miss.status() != HttpStatus.NOT_FOUND) {
                throw miss;
            }
            return new CommandOutcome(AuditCheck.drift(COMMAND, expected, miss.detail(), "Provisioning cannot register "
                    + "commands and fails with a 404 until one is there: an XNAT administrator registers the command at "
                    + "exactly DCM2NIIX_IMAGE (deploy/xnat-bootstrap.sh does), or DCM2NIIX_IMAGE is set to the "
                    + "registered image."), null);
        } catch (XnatFailure failure) {
            return new CommandOutcome(AuditCheck.unknown(COMMAND, expected, reason(failure), retry()), null);
        }
    }

    private AuditCheck wrapper(String id, CommandInfo command) {
        String expected = "the command's wrapper enabled site-wide and for project '" + id + "'";
        if (command == null) {
            return AuditCheck.unknown(WRAPPER_ENABLED, expected, "no command to look at", "See the command check.");
        }
        Attempt<XnatEventSubscriptions.WrapperEnablement> enablement =
                attempt(() -> subscriptions.wrapperEnablement(id, command).orElseThrow(() -> gone(id)));
        if (enablement.failed()) {
            return AuditCheck.unknown(WRAPPER_ENABLED, expected, enablement.failure(), retry());
        }
        boolean site = enablement.value().site();
        boolean project = enablement.value().project();
        String found = "wrapper '" + command.wrapperName() + "' " + (site ? "enabled" : "disabled") + " site-wide, "
                + (project ? "enabled" : "disabled") + " for the project";
        if (site && project) {
            return AuditCheck.ok(WRAPPER_ENABLED, expected, found);
        }
        if (!site) {
            return AuditCheck.drift(WRAPPER_ENABLED, expected, found, "XNAT runs a wrapper disabled site-wide in no "
                    + "project, and provisioning enables it only per project: an XNAT administrator enables wrapper '"
                    + command.wrapperName() + "' of command " + command.commandId() + " site-wide (Administer > Plugin "
                    + "Settings > Command Configurations), then re-runs provisioning.");
        }
        return AuditCheck.drift(WRAPPER_ENABLED, expected, found, "Re-running provisioning enables wrapper '"
                + command.wrapperName() + "' for the project (without it XNAT runs no subscription of it there).");
    }

    private List<AuditCheck> subscriptionChecks(String id, CommandInfo command, boolean active) {
        String state = active ? "active" : "inactive";
        String expectedOne = "exactly one subscription of the project running the command on new scans with DICOM";
        String expectedActive = state + " (dicom_to_nifti=" + active + ")";
        String expectedSiteWide = "no site-wide subscription running the command besides the project's own";
        if (command == null) {
            String fix = "See the command check.";
            return List.of(AuditCheck.unknown(SUBSCRIPTION, expectedOne, "no command to match", fix),
                    AuditCheck.unknown(SUBSCRIPTION_ACTIVE, expectedActive, "no command to match", fix),
                    AuditCheck.unknown(SITE_WIDE_SUBSCRIPTION, expectedSiteWide, "no command to match", fix));
        }
        Attempt<List<Subscription>> listed = attempt(() -> subscriptions.list(id).orElseThrow(() -> gone(id)));
        if (listed.failed()) {
            return List.of(AuditCheck.unknown(SUBSCRIPTION, expectedOne, listed.failure(), retry()),
                    AuditCheck.unknown(SUBSCRIPTION_ACTIVE, expectedActive, listed.failure(), retry()),
                    AuditCheck.unknown(SITE_WIDE_SUBSCRIPTION, expectedSiteWide, listed.failure(), retry()));
        }
        String actionKey = XnatEventSubscriptions.actionKeyFor(command);
        List<Subscription> own = EventSubscriptions.ownMatching(listed.value(), actionKey);
        List<Subscription> siteWide = EventSubscriptions.siteWideMatching(listed.value(), actionKey);
        List<AuditCheck> checks = new ArrayList<>();

        // exactly one of its own, or none when a site-wide one covers it (provisioning then adds none)
        if (own.size() == 1) {
            checks.add(AuditCheck.ok(SUBSCRIPTION, expectedOne, describe(own.get(0))));
        } else if (own.isEmpty() && !siteWide.isEmpty()) {
            checks.add(AuditCheck.ok(SUBSCRIPTION, expectedOne, "none of its own; site-wide "
                    + describe(siteWide.get(0)) + " covers it"));
        } else if (own.isEmpty()) {
            checks.add(AuditCheck.drift(SUBSCRIPTION, expectedOne, "none", "Re-running provisioning creates it ("
                    + state + ", action " + actionKey + ")."));
        } else {
            String extra = own.stream().skip(1).map(s -> Long.toString(s.id())).collect(Collectors.joining(", "));
            checks.add(AuditCheck.drift(SUBSCRIPTION, expectedOne, own.size() + ": " + own.stream()
                    .map(ProvisioningAudit::describe).collect(Collectors.joining("; ")), "dcm2niix runs "
                    + own.size() + " times on every scan. Re-running provisioning keeps the oldest (" + own.get(0).id()
                    + ") and deletes " + extra + "."));
        }

        // active as asked: the project's own (the oldest, the one provisioning keeps), else the site-wide one
        if (!own.isEmpty()) {
            Subscription kept = own.get(0);
            if (kept.active() == active) {
                checks.add(AuditCheck.ok(SUBSCRIPTION_ACTIVE, expectedActive, state(kept)));
            } else {
                checks.add(AuditCheck.drift(SUBSCRIPTION_ACTIVE, expectedActive, state(kept), "Re-running provisioning "
                        + "with dicom_to_nifti=" + active + " " + (active ? "activates" : "deactivates")
                        + " subscription " + kept.id() + "."));
            }
        } else if (!siteWide.isEmpty()) {
            Subscription covering = siteWide.get(0);
            if (covering.active() == active) {
                checks.add(AuditCheck.ok(SUBSCRIPTION_ACTIVE, expectedActive, state(covering)));
            } else {
                checks.add(AuditCheck.drift(SUBSCRIPTION_ACTIVE, expectedActive, state(covering), "Site-wide "
                        + "subscription " + covering.id() + " cannot be switched per project and provisioning leaves it "
                        + "alone: an XNAT administrator changes it in Administer > Event Service (it covers every "
                        + "project)."));
            }
        } else {
            checks.add(AuditCheck.drift(SUBSCRIPTION_ACTIVE, expectedActive, "no subscription",
                    "Re-running provisioning creates it " + state + "."));
        }

        // a site-wide one next to the project's own runs dcm2niix twice
        if (siteWide.isEmpty()) {
            checks.add(AuditCheck.ok(SITE_WIDE_SUBSCRIPTION, expectedSiteWide, "none"));
        } else if (own.isEmpty() && siteWide.size() == 1) {
            checks.add(AuditCheck.ok(SITE_WIDE_SUBSCRIPTION, expectedSiteWide,
                    "site-wide " + describe(siteWide.get(0)) + " only"));
        } else {
            String siteIds = siteWide.stream().map(s -> Long.toString(s.id())).collect(Collectors.joining(", "));
            List<String> found = new ArrayList<>();
            siteWide.forEach(s -> found.add("site-wide " + describe(s)));
            own.forEach(s -> found.add("project " + describe(s)));
            checks.add(AuditCheck.drift(SITE_WIDE_SUBSCRIPTION, expectedSiteWide, String.join("; ", found),
                    "dcm2niix runs once per subscription on every scan, and provisioning cannot change site-wide "
                            + "subscriptions: an XNAT administrator deletes site-wide subscription(s) " + siteIds
                            + " (Administer > Event Service; they cover every project)"
                            + (own.isEmpty() ? " but one" : ", or the project's own with DELETE /projects/" + id
                            + "/event-subscriptions/" + own.get(0).id()) + "."));
        }
        return checks;
    }

    private static String describe(Subscription s) {
        return "subscription " + s.id() + " ('" + s.name() + "', " + state(s) + ")";
    }

    private static String state(Subscription s) {
        return s.active() ? "active" : "inactive";
    }

    // ------------------------------------------------------------------ members

    private AuditCheck memberGroups(Attempt<Map<String, String>> members) {
        String expected = "every member but the service account in " + GROUP;
        if (members.failed()) {
            return AuditCheck.unknown(MEMBER_GROUPS, expected, members.failure(), retry());
        }
        Map<String, List<String>> elsewhere = new LinkedHashMap<>();
        int inMembers = 0;
        for (Map.Entry<String, String> member : members.value().entrySet()) {
            if (privilegedAccounts.isServiceAccount(member.getKey())) {
                continue;
            }
            if (GROUP.equals(member.getValue())) {
                inMembers++;
            } else {
                elsewhere.computeIfAbsent(member.getValue(), g -> new ArrayList<>()).add(member.getKey());
            }
        }
        if (elsewhere.isEmpty()) {
            return AuditCheck.ok(MEMBER_GROUPS, expected, inMembers + " in " + GROUP);
        }
        String found = elsewhere.entrySet().stream().map(e -> e.getKey() + ": " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
        return AuditCheck.drift(MEMBER_GROUPS, expected, found, "Provisioning puts hub users in " + GROUP
                + " and never demotes anyone: a project owner moves them to " + GROUP + " in XNAT (project > Manage > "
                + "Users) unless their extra access is intended.");
    }

    private AuditCheck privilegedMembers(Attempt<Map<String, String>> members,
            Attempt<PrivilegedAccounts.Usernames> administrators) {
        String expected = "no XNAT administrator in the project's groups (the service account only as its owner)";
        if (members.failed()) {
            return AuditCheck.unknown(PRIVILEGED_MEMBERS, expected, members.failure(), retry());
        }
        if (administrators.failed()) {
            return AuditCheck.unknown(PRIVILEGED_MEMBERS, expected, administrators.failure(), retry());
        }
        List<String> privileged = new ArrayList<>();
        members.value().forEach((username, group) -> {
            boolean service = privilegedAccounts.isServiceAccount(username);
            // creating the project made the service account an owner: expected, nowhere else
            if (service ? !OWNERS.equals(group) : administrators.value().contains(username)) {
                privileged.add(username + " (" + group + ")");
            }
        });
        if (privileged.isEmpty()) {
            return AuditCheck.ok(PRIVILEGED_MEMBERS, expected, "none");
        }
        return AuditCheck.drift(PRIVILEGED_MEMBERS, expected, String.join(", ", privileged), "A hub user whose e-mail "
                + "is a privileged account's was given that account. Provisioning cannot undo it: an XNAT administrator "
                + "removes the account from the project and the person gets an account of their own (another e-mail "
                + "on the hub, then provisioning again).");
    }

    /**
     * The hub's users against the members, as {@code UserProvisioning} maps them: enabled hub users
     * only, each to the oldest account with the e-mail (case-insensitively); a hub user whose e-mail
     * is a privileged account's (the service account, an Administrator holder: contract §1.5) is left
     * out, as provisioning leaves them out ({@code skipped_users}), and named in the found text.
     */
    private List<AuditCheck> membership(Attempt<Map<String, String>> members,
            Attempt<PrivilegedAccounts.Usernames> privileged, Attempt<List<User>> listing,
            List<CentralHubUser> hubUsers) {
        String expectedIn = "every enabled hub user's XNAT account (found by e-mail) in the project";
        String expectedExtra = "no member but the hub users' accounts and the service account";
        String failure = members.failed() ? members.failure() : listing.failed() ? listing.failure()
                : privileged.failed() ? privileged.failure() : null;
        if (failure != null) {
            return List.of(AuditCheck.unknown(HUB_USERS_IN_PROJECT, expectedIn, failure, retry()),
                    AuditCheck.unknown(EXTRA_MEMBERS, expectedExtra, failure, retry()),
                    neverLoggedIn(members, listing, null));
        }
        Map<String, User> byEmail = new LinkedHashMap<>();
        for (User user : listing.value()) {
            if (user.email() != null && !user.email().isBlank()) {
                byEmail.putIfAbsent(lower(user.email()), user);
            }
        }
        Map<String, String> inProject = members.value();
        Map<String, CentralHubUser> wanted = new LinkedHashMap<>();
        for (CentralHubUser hubUser : hubUsers) {
            if (!hubUser.disabled()) {
                wanted.putIfAbsent(lower(hubUser.email()), hubUser);
            }
        }
        // the same rule as provisioning's: any privileged account holding the e-mail leaves the hub user out
        Set<String> privilegedEmails = privileged.value().emailsIn(listing.value(), wanted.keySet());
        List<AuditCheck> checks = new ArrayList<>();

        List<String> missing = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> hubAccounts = new LinkedHashSet<>();
        for (Map.Entry<String, CentralHubUser> entry : wanted.entrySet()) {
            String who = "hub user " + entry.getValue().id();
            if (privilegedEmails.contains(entry.getKey())) {
                skipped.add(who);
                continue;
            }
            User account = byEmail.get(entry.getKey());
            if (account == null) {
                missing.add(who + " (no XNAT account)");
                continue;
            }
            hubAccounts.add(account.username());
            if (!account.enabled()) {
                // XNAT lists no disabled account among a project's members
                disabled.add(who + " (account '" + account.username() + "' disabled)");
            } else if (!inProject.containsKey(account.username())) {
                missing.add(who + " (account '" + account.username() + "' not in the project)");
            }
        }
        int mapped = wanted.size() - skipped.size();
        int present = mapped - missing.size() - disabled.size();
        List<String> found = new ArrayList<>(missing);
        found.addAll(disabled);
        String foundIn = present + " of " + mapped + (found.isEmpty() ? "" : "; " + String.join(", ", found))
                + (skipped.isEmpty() ? "" : "; left out as a privileged account's e-mail: " + String.join(", ", skipped));
        String skippedNote = skipped.isEmpty() ? null : "Provisioning never maps a hub user onto the service account "
                + "or an XNAT Administrator (skipped_users, reason privileged_account): the person needs an e-mail of "
                + "their own on the hub (provisioning then adds them), or an XNAT administrator changes the privileged "
                + "account's e-mail.";
        if (missing.isEmpty() && disabled.isEmpty()) {
            checks.add(AuditCheck.ok(HUB_USERS_IN_PROJECT, expectedIn, foundIn, skippedNote));
        } else {
            String fix = (missing.isEmpty() ? "" : "Re-running provisioning creates the missing accounts and adds them to "
                    + GROUP + ", with invitations for those never logged in.")
                    + (disabled.isEmpty() ? "" : (missing.isEmpty() ? "" : " ") + "Provisioning never enables an "
                    + "account: an XNAT administrator enables the disabled ones (Administer > Users).")
                    + (skippedNote == null ? "" : " " + skippedNote);
            checks.add(AuditCheck.drift(HUB_USERS_IN_PROJECT, expectedIn, foundIn, fix));
        }

        // a privileged account is never a hub user's (privileged_members flags it too)
        List<String> extra = inProject.entrySet().stream()
                .filter(e -> !privilegedAccounts.isServiceAccount(e.getKey()) && !hubAccounts.contains(e.getKey()))
                .map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
        if (extra.isEmpty()) {
            checks.add(AuditCheck.ok(EXTRA_MEMBERS, expectedExtra, "none"));
        } else {
            checks.add(AuditCheck.drift(EXTRA_MEMBERS, expectedExtra, String.join(", ", extra), "Provisioning never "
                    + "removes anyone (a hub user disabled or removed on the hub keeps access): a project owner removes "
                    + "them in XNAT (project > Manage > Users) unless they should see the project's data."));
        }

        checks.add(neverLoggedIn(members, listing, hubAccounts));
        return checks;
    }

    /**
     * Members (but the service account) that never logged in: pending invitations. {@code hubAccounts}
     * the accounts of the hub's users (with the POST), null when they are not known (the GET).
     */
    private AuditCheck neverLoggedIn(Attempt<Map<String, String>> members, Attempt<List<User>> listing,
            Set<String> hubAccounts) {
        String expected = "every member has logged in at least once";
        String failure = members.failed() ? members.failure() : listing.failed() ? listing.failure() : null;
        if (failure != null) {
            return AuditCheck.unknown(NEVER_LOGGED_IN, expected, failure, retry());
        }
        Map<String, User> byUsername = new LinkedHashMap<>();
        listing.value().forEach(user -> byUsername.put(user.username(), user));
        List<String> neverLoggedIn = members.value().keySet().stream()
                .filter(username -> !privilegedAccounts.isServiceAccount(username))
                .filter(username -> byUsername.containsKey(username) && byUsername.get(username).neverLoggedIn())
                .toList();
        if (neverLoggedIn.isEmpty()) {
            return AuditCheck.ok(NEVER_LOGGED_IN, expected, "none");
        }
        String renewed = hubAccounts == null ? "each of them that is a hub user (the POST with the hub's users "
                + "tells which)" : "each of them that is a hub user ("
                + neverLoggedIn.stream().filter(hubAccounts::contains).count() + " of " + neverLoggedIn.size() + ")";
        return AuditCheck.drift(NEVER_LOGGED_IN, expected, String.join(", ", neverLoggedIn),
                "Pending invitations: re-running provisioning issues a fresh one to " + renewed + ", for the hub to "
                        + "deliver; an account that will never be used is removed from the project in XNAT.");
    }

    private static String lower(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ plumbing

    /** A value, or why XNAT could not give it (log-safe, e-mails redacted). */
    private record Attempt<T>(T value, String failure) {
        boolean failed() {
            return failure != null;
        }
    }

    private static <T> Attempt<T> attempt(Supplier<T> call) {
        try {
            return new Attempt<>(call.get(), null);
        } catch (XnatFailure failure) {
            return new Attempt<>(null, reason(failure));
        } catch (ProjectGone gone) {
            return new Attempt<>(null, gone.getMessage());
        }
    }

    private static String reason(XnatFailure failure) {
        return XnatBodies.redact(failure.detail());
    }

    private static String retry() {
        return "XNAT could not tell: audit again once XNAT answers (the reason is in found).";
    }

    /** XNAT stopped knowing the project between two calls of one audit (it was deleted meanwhile). */
    private static final class ProjectGone extends RuntimeException {
        ProjectGone(String id) {
            super("XNAT no longer knows project '" + id + "'", null, false, false);
        }
    }

    private static ProjectGone gone(String id) {
        return new ProjectGone(id);
    }

    private static void logged(AuditReport report, String hubId) {
        List<String> drift = report.checks().stream().filter(c -> c.status() == AuditCheck.Status.DRIFT)
                .map(AuditCheck::check).toList();
        List<String> unknown = report.checks().stream().filter(c -> c.status() == AuditCheck.Status.UNKNOWN)
                .map(AuditCheck::check).toList();
        log.atInfo()
                .setMessage("Audit of project {} (hub project {}): {}; drift {}; unknown {}")
                .addArgument(report.projectId()).addArgument(hubId).addArgument(report.status().json())
                .addArgument(drift).addArgument(unknown)
                .addKeyValue("audit.project_id", report.projectId())
                .addKeyValue("audit.hub_project_id", hubId)
                .addKeyValue("audit.status", report.status().json())
                .addKeyValue("audit.drift", String.join(",", drift))
                .addKeyValue("audit.unknown", String.join(",", unknown))
                .log();
    }
}
