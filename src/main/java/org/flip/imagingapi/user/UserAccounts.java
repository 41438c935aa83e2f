package org.flip.imagingapi.user;

import java.util.List;
import java.util.Locale;
import org.flip.imagingapi.model.User;
import org.flip.imagingapi.web.ProblemException;
import org.flip.imagingapi.xnat.NewAccount;
import org.flip.imagingapi.xnat.Creation;
import org.flip.imagingapi.xnat.NewAccount;
import org.flip.imagingapi.xnat.XnatUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** The single-account operations of contract §3 "Users". */
@Service
class UserAccounts {

    private static final Logger log = LoggerFactory.getLogger(UserAccounts.class);

    private final XnatUsers xnat;
    private final PrivilegedAccounts privilegedAccounts;

    UserAccounts(XnatUsers xnat, PrivilegedAccounts privilegedAccounts) {
        this.xnat = xnat;
        this.privilegedAccounts = privilegedAccounts;
    }

    List<User> list() {
        return xnat.profiles();
    }

    User get(String username) {
        return xnat.profile(username).orElseThrow(() -> userNotFound(username));
    }

    /** @throws ProblemException 409 when the username is taken (the reference answered 500) */
    User create(CreateUserRequest request) {
        Creation<User> creation = xnat.create(new NewAccount(request.username(), request.password(), request.email(),
                request.firstName(), request.lastName(), request.enabled(), true));
        if (creation.isTaken()) {
            throw ProblemException.conflict("The XNAT username '" + request.username() + "' is already taken.");
        }
        log.info("Created XNAT user {}", creation.value().username());
        return creation.value();
    }

    /**
     * The hub's "update user profile": the account is found by e-mail, case-insensitively, in one
     * listing. XNAT's "nothing changed" (304) is a success with the current profile. Only the
     * enabled flag is sent, so XNAT keeps its stored e-mail as it is.
     *
     * @throws ProblemException 403 {@code privileged_account} when the e-mail belongs to the service
     *         account or to an Administrator (contract §1.5); nothing is sent to XNAT then
     */
    User updateByEmail(UpdateUserRequest request) {
        String email = request.email().strip().toLowerCase(Locale.ROOT);
        List<User> holders = xnat.profiles().stream()
                .filter(u -> u.email() != null && u.email().strip().toLowerCase(Locale.ROOT).equals(email))
                .toList();
        if (holders.isEmpty()) {
            throw ProblemException.notFound("User not found by email.");
        }
        User user = holders.get(0);
        // The service account needs no lookup; anyone else holding this e-mail may be an Administrator.
        boolean privileged = holders.stream().anyMatch(u -> privilegedAccounts.isServiceAccount(u.username()));
        if (!privileged) {
            PrivilegedAccounts.Usernames names = privilegedAccounts.lookUp();
            privileged = holders.stream().anyMatch(u -> names.contains(u.username()));
        }
        if (privileged) {
            log.warn("Refused to set enabled={} on XNAT user {}: the e-mail belongs to a privileged account ({})",
                    request.enabled(), user.username(), Fingerprints.email(request.email()));
            throw new ProblemException(HttpStatus.FORBIDDEN, "privileged_account", "This e-mail belongs to "
                    + "the service account or an XNAT Administrator; this API never enables, disables or invites "
                    + "such an account.");
        }
        User updated = xnat.setEnabled(user.username(), request.enabled())
                .orElseThrow(() -> userNotFound(user.username()));
        log.info("Set enabled={} on XNAT user {} ({})", request.enabled(), user.username(),
                Fingerprints.email(request.email()));
        return updated;
    }

    /**
     * Puts the user into one group of the project; XNAT moves a user already in another group.
     *
     * @throws ProblemException 404 for an unknown user or project (the reference answered 500 for
     *         the project)
     */
    User addToProject(String username, String projectId, String group) {
        User user = get(username);
        if (!xnat.addToGroup(projectId, group, user.username())) {
            throw ProblemException.projectNotFound(projectId);
        }
        log.info("Put XNAT user {} into {} of project {}", user.username(), group, projectId);
        return user;
    }

    private static ProblemException userNotFound(String username) {
        return ProblemException.notFound("User '" + username + "' not found.");
    }
}
