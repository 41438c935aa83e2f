package org.flip.imagingapi.user;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.flip.imagingapi.config.ProvisioningProperties;
import org.flip.imagingapi.model.User;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.Creation;
import org.flip.imagingapi.xnat.NewAccount;
import org.flip.imagingapi.xnat.XnatFailure;
import org.flip.imagingapi.xnat.XnatUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Contract §4 steps 6–7: gives hub users an XNAT account in a project's Members group, and an
 * invitation to everyone who cannot log in yet.
 *
 * <p>Re-running with the same users converges: accounts are found by e-mail (case-insensitively)
 * before anything is created, membership is a set-style PUT, and an account that exists but was
 * never logged into simply gets a fresh invitation (its earlier tokens revoked). The whole request
 * reads XNAT's user listing once (the reference read it about four times per new user), and the
 * Administrators once, beside it: a hub user whose e-mail belongs to one of them, or to the service
 * account, is left out (contract §1.5).
 *
 * <p>The per-user steps run {@code provisioning.user-concurrency} at a time ({@link ConcurrentSteps});
 * usernames are picked in the hub's order before they start, so the same request gives the same
 * usernames however the steps interleave.
 */
@Service
public class UserProvisioning {

    private static final Logger log = LoggerFactory.getLogger(UserProvisioning.class);
    static final String GROUP = "Members";
    /** Bound on "the username we picked was taken meanwhile by someone else": then give up (502). */
    private static final int CREATE_ATTEMPTS = 5;

    private final XnatUsers xnat;
    private final Invitations invitations;
    private final RandomPasswords passwords;
    private final PrivilegedAccounts privileged;
    private final ConcurrentSteps steps;

    @Autowired
    UserProvisioning(XnatUsers xnat, Invitations invitations, PrivilegedAccounts privileged,
            ProvisioningProperties properties) {
        this(xnat, invitations, new RandomPasswords(), privileged, properties.userConcurrency());
    }

    UserProvisioning(XnatUsers xnat, Invitations invitations, RandomPasswords passwords, PrivilegedAccounts privileged,
            int concurrency) {
        this.xnat = xnat;
        this.invitations = invitations;
        this.passwords = passwords;
        this.privileged = privileged;
        this.steps = new ConcurrentSteps(concurrency);
    }

    /** One hub user's work: the account found for them, or the username to create it under. */
    private record Plan(CentralHubUser hubUser, User existing, String username) {
    }

    /** One hub user's outcome: the account now in Members, and its invitation (null when none). */
    private record Done(User account, CreatedUser invitation) {
    }

    /** An account this request holds for a hub user, and whether this request's own create made it. */
    private record Held(User user, boolean madeNow) {
    }

    /**
     * Gives each enabled hub user an account in the project's Members group.
     *
     * @return invitations (new accounts and accounts never logged into), every account added, and
     *         the hub users left out as privileged; disabled hub users are skipped entirely
     * @throws ProblemException 404 when XNAT does not know the project (checked before any account
     *         is created)
     */
    @SuppressWarnings("unchecked")
    public ProvisionedUsers provision(String projectId, List<CentralHubUser> users) {
        Map<String, CentralHubUser> wanted = new LinkedHashMap<>();
        for (CentralHubUser user : users) {
            if (user.disabled()) {
                log.info("Skipping disabled hub user {} for project {}", user.id(), projectId);
                continue;
            }
            // The same person twice in one request is provisioned once.
            wanted.putIfAbsent(lower(user.email()), user);
        }
        if (wanted.isEmpty()) {
            return ProvisionedUsers.none();
        }
        // The project's members, the one user listing and the one roles call of this request, side by side;
        // all three are in before any account is created (an unknown project is a 404 first).
        List<Supplier<Object>> lookups = List.of(() -> xnat.members(projectId), xnat::profiles, privileged::lookUp);
        List<Object> looked = steps.map(lookups, Supplier::get);
        Map<String, String> members = ((Optional<Map<String, String>>) looked.get(0))
                .orElseThrow(() -> ProblemException.projectNotFound(projectId));
        List<User> listing = (List<User>) looked.get(1);
        PrivilegedAccounts.Usernames privilegedNames = (PrivilegedAccounts.Usernames) looked.get(2);
        Set<String> privilegedEmails = privilegedNames.emailsIn(listing, wanted.keySet());
        Directory directory = new Directory(listing);

        List<SkippedUser> skipped = new ArrayList<>();
        List<Plan> plans = new ArrayList<>();
        for (CentralHubUser hubUser : wanted.values()) {
            if (privilegedEmails.contains(lower(hubUser.email()))) {
                log.warn("Left hub user {} out of project {}: the e-mail belongs to the service account or an XNAT "
                        + "Administrator", hubUser.id(), projectId);
                skipped.add(new SkippedUser(hubUser.email(), PrivilegedAccounts.REASON));
                continue;
            }
            Optional<User> existing = directory.byEmail(hubUser.email());
            plans.add(new Plan(hubUser, existing.orElse(null),
                    existing.isPresent() ? null : directory.claim(hubUser.email())));
        }

        List<Done> done = steps.map(plans, plan -> provisionOne(projectId, members, plan, directory));
        List<CreatedUser> created = new ArrayList<>();
        List<User> added = new ArrayList<>();
        for (Done one : done) {
            added.add(one.account());
            if (one.invitation() != null) {
                created.add(one.invitation());
            }
        }
        return new ProvisionedUsers(List.copyOf(created), List.copyOf(added), List.copyOf(skipped));
    }

    private Done provisionOne(String projectId, Map<String, String> members, Plan plan, Directory directory) {
        CentralHubUser hubUser = plan.hubUser();
        Held held;
        if (plan.existing() != null) {
            held = new Held(plan.existing(), false);
            log.info("Hub user {} already has XNAT account {}", hubUser.id(), held.user().username());
        } else {
            held = create(hubUser, plan.username(), directory);
        }
        User account = held.user();
        // Membership and invitation do not depend on each other: side by side, one XNAT round trip
        // per user saved (a step holds at most two calls at once). A failure of either fails the
        // step; the replay converges (the invitation's earlier tokens are revoked then).
        List<Supplier<CreatedUser>> rest = List.of(() -> {
            // Already in the project (an admin may have made them an owner): a replay must not demote them.
            if (!members.containsKey(account.username())) {
                if (!xnat.addToGroup(projectId, GROUP, account.username())) {
                    throw ProblemException.projectNotFound(projectId);
                }
                log.info("Added XNAT user {} to {} of project {}", account.username(), GROUP, projectId);
            }
            return null;
        }, () -> {
            // A new account has never been logged into either: one rule covers both cases. Only an
            // account this request did not make itself may hold earlier invitations.
            return account.neverLoggedIn() ? invitations.invite(account, !held.madeNow()) : null;
        });
        CreatedUser invitation = steps.map(rest, Supplier::get).get(1);
        return new Done(account, invitation);
    }

    private Held create(CentralHubUser hubUser, String firstChoice, Directory directory) {
        String username = firstChoice;
        for (int attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
            if (attempt > 1) {
                username = directory.claim(hubUser.email());
            }
            NewAccount account = new NewAccount(username, passwords.next(), hubUser.email(), username, username,
                    true, true);
            Creation<User> creation;
            try {
                creation = xnat.create(account);
            } catch (XnatFailure.InDoubt doubt) {
                // The create went out and its answer was lost: look before going on, never create twice.
                return new Held(madeFor(username, hubUser, directory).orElseThrow(() -> doubt), false);
            }
            if (!creation.isTaken()) {
                log.info("Created XNAT user {} for hub user {}", username, hubUser.id());
                directory.add(creation.value());
                return new Held(creation.value(), true);
            }
            // Taken since our listing: a concurrent or earlier attempt whose answer was lost may have
            // made it for this very person.
            Optional<User> mine = madeFor(username, hubUser, directory);
            if (mine.isPresent()) {
                return new Held(mine.get(), false);
            }
            log.info("XNAT username {} was taken meanwhile by another account; trying the next", username);
        }
        throw new ProblemException(HttpStatus.BAD_GATEWAY, "xnat_error", "Could not create an XNAT account for hub user "
                + hubUser.id() + ": every username tried was taken meanwhile.");
    }

    /** The account {@code username} when it exists and is this hub user's (same e-mail). */
    private Optional<User> madeFor(String username, CentralHubUser hubUser, Directory directory) {
        Optional<User> account = xnat.profile(username).filter(user -> sameEmail(user.email(), hubUser.email()));
        account.ifPresent(user -> {
            log.info("XNAT user {} exists for hub user {} (made by an earlier or concurrent attempt); using it",
                    username, hubUser.id());
            directory.add(user);
        });
        return account;
    }

    private static boolean sameEmail(String a, String b) {
        return a != null && b != null && lower(a).equals(lower(b));
    }

    private static String lower(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * The one user listing of this request, kept current as accounts are created; shared by the
     * concurrent per-user steps, so every method holds its lock (picking and reserving a username is
     * one step: two people called j.smith never get the same one).
     */
    private static final class Directory {
        private final Map<String, User> byEmail = new HashMap<>();
        private final Set<String> usernames = new HashSet<>();

        Directory(List<User> listing) {
            listing.forEach(this::add);
        }

        synchronized void add(User user) {
            usernames.add(user.username().toLowerCase(Locale.ROOT));
            if (user.email() != null && !user.email().isBlank()) {
                // XNAT allows several accounts per e-mail; the oldest (listed first) wins.
                byEmail.putIfAbsent(lower(user.email()), user);
            }
        }

        /** A username for the e-mail that no account has and no other step has claimed; now claimed. */
        synchronized String claim(String email) {
            String username = Usernames.derive(email, usernames);
            usernames.add(username.toLowerCase(Locale.ROOT));
            return username;
        }

        synchronized Optional<User> byEmail(String email) {
            return Optional.ofNullable(byEmail.get(lower(email)));
        }
    }
}
