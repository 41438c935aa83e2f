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
import org.flip.imagingapi.model.User;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.NewAccount;
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
 * never logged into simply gets a fresh invitation. The whole request reads XNAT's user listing
 * once (the reference read it about four times per new user).
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

    @Autowired
    UserProvisioning(XnatUsers xnat, Invitations invitations) {
        this(xnat, invitations, new RandomPasswords());
    }

    UserProvisioning(XnatUsers xnat, Invitations invitations, RandomPasswords passwords) {
        this.xnat = xnat;
        this.invitations = invitations;
        this.passwords = passwords;
    }

    /**
     * Gives each enabled hub user an account in the project's Members group.
     *
     * @return invitations (new accounts and accounts never logged into) and every account added;
     *         disabled hub users are skipped entirely
     * @throws ProblemException 404 when XNAT does not know the project (checked before any account
     *         is created)
     */
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
        Map<String, String> members = xnat.members(projectId)
                .orElseThrow(() -> ProblemException.projectNotFound(projectId));
        Directory directory = new Directory(xnat.profiles());

        List<CreatedUser> created = new ArrayList<>();
        List<User> added = new ArrayList<>();
        for (CentralHubUser hubUser : wanted.values()) {
            Optional<User> existing = directory.byEmail(hubUser.email());
            User account = existing.orElseGet(() -> create(hubUser, directory));
            if (existing.isPresent()) {
                log.info("Hub user {} already has XNAT account {}", hubUser.id(), account.username());
            }
            // Already in the project (an admin may have made them an owner): a replay must not demote them.
            if (!members.containsKey(account.username())) {
                if (!xnat.addToGroup(projectId, GROUP, account.username())) {
                    throw ProblemException.projectNotFound(projectId);
                }
                log.info("Added XNAT user {} to {} of project {}", account.username(), GROUP, projectId);
            }
            added.add(account);
            // A new account has never been logged into either: one rule covers both cases.
            if (account.neverLoggedIn()) {
                created.add(invitations.invite(account));
            }
        }
        return new ProvisionedUsers(List.copyOf(created), List.copyOf(added));
    }

    private User create(CentralHubUser hubUser, Directory directory) {
        for (int attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
            String username = Usernames.derive(hubUser.email(), directory.takenUsernames());
            directory.reserve(username);
            NewAccount account = new NewAccount(username, passwords.next(), hubUser.email(), username, username,
                    true, true);
            Creation<User> creation;
            try {
                creation = xnat.create(account);
            } catch (XnatFailure.InDoubt doubt) {
                // The create went out and its answer was lost: look before going on, never create twice.
                return madeFor(username, hubUser, directory).orElseThrow(() -> doubt);
            }
            if (!creation.isTaken()) {
                log.info("Created XNAT user {} for hub user {}", username, hubUser.id());
                directory.add(creation.value());
                return creation.value();
            }
            // Taken since our listing: a concurrent or earlier attempt whose answer was lost may have
            // made it for this very person.
            Optional<User> mine = madeFor(username, hubUser, directory);
            if (mine.isPresent()) {
                return mine.get();
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

    /** The one user listing of this request, kept current as accounts are created. */
    private static final class Directory {
        private final Map<String, User> byEmail = new HashMap<>();
        private final Set<String> usernames = new HashSet<>();

        Directory(List<User> listing) {
            listing.forEach(this::add);
        }

        void add(User user) {
            usernames.add(user.username().toLowerCase(Locale.ROOT));
            if (user.email() != null && !user.email().isBlank()) {
                // XNAT allows several accounts per e-mail; the oldest (listed first) wins.
                byEmail.putIfAbsent(lower(user.email()), user);
            }
        }

        void reserve(String username) {
            usernames.add(username.toLowerCase(Locale.ROOT));
        }

        Optional<User> byEmail(String email) {
            return Optional.ofNullable(byEmail.get(lower(email)));
        }

        Set<String> takenUsernames() {
            return usernames;
        }
    }
}
