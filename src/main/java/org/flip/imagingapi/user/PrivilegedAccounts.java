package org.flip.imagingapi.user;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.flip.imagingapi.model.User;
import org.flip.imagingapi.xnat.XnatUsers;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Contract §1.5: the service account itself and every holder of XNAT's {@code Administrator} role
 * are out of this API's reach. A hub that maps its users onto XNAT accounts by e-mail must never
 * get a login token for one of them, nor disable the account the service runs as.
 *
 * <p>The holders are read once per request ({@code GET /xapi/users/roles/Administrator}, one call
 * whatever the number of users), never cached: a role granted a minute ago counts at once. An XNAT
 * without that route is asked per account concerned ({@code GET /xapi/users/{u}/roles}).
 */
@Component
public class PrivilegedAccounts {

    public static final String REASON = "privileged_account";

    private final XnatUsers xnat;
    private final String serviceUser;

    @Autowired
    public PrivilegedAccounts(XnatUsers xnat, @Value("${xnat.service-user:}") String serviceUser) {
        this.xnat = xnat;
        this.serviceUser = serviceUser == null ? "" : serviceUser.strip();
    }

    /**
     * The privileged usernames as of now (XNAT matches logins without case): one XNAT call, the
     * Administrator holders. An XNAT without that route (older than {@code getUsersWithRole}) is
     * asked per account instead ({@code GET /xapi/users/{u}/roles}), only for the accounts a caller
     * asks about, each at most once per lookup.
     */
    public Usernames lookUp() {
        String service = serviceUser.isEmpty() ? null : lower(serviceUser);
        return xnat.administrators()
                .map(holders -> {
                    Set<String> names = new HashSet<>();
                    holders.forEach(name -> names.add(lower(name)));
                    return new Usernames(service, name -> names.contains(name));
                })
                .orElseGet(() -> {
                    Map<String, Boolean> asked = new ConcurrentHashMap<>();
                    return new Usernames(service, name -> asked.computeIfAbsent(name,
                            n -> xnat.roles(n).stream().anyMatch(XnatUsers.ADMINISTRATOR::equalsIgnoreCase)));
                });
    }

    /** Whether the account is the service account (without case, as XNAT matches logins), without asking XNAT. */
    public boolean isServiceAccount(String username) {
        return !serviceUser.isEmpty() && lower(serviceUser).equals(lower(username));
    }

    /** The privileged usernames of one request. */
    public static final class Usernames {

        private final String serviceUser;
        private final Predicate<String> administrator;

        Usernames(String serviceUser, Predicate<String> administrator) {
            this.serviceUser = serviceUser;
            this.administrator = administrator;
        }

        /** For tests: exactly these usernames are privileged. */
        public static Usernames of(Set<String> usernames) {
            Set<String> names = new HashSet<>();
            usernames.forEach(name -> names.add(lower(name)));
            return new Usernames(null, names::contains);
        }

        public boolean contains(String username) {
            if (username == null) {
                return false;
            }
            String name = lower(username);
            return name.equals(serviceUser) || administrator.test(name);
        }

        /**
         * Of the accounts in a listing whose e-mail is one of {@code wanted} (lower-cased), the
         * e-mails (lower-cased) of the privileged ones. Only those accounts are looked at, so an
         * XNAT asked per account is asked about the hub's e-mails only.
         */
        public Set<String> emailsIn(List<User> listing, Set<String> wanted) {
            Set<String> emails = new HashSet<>();
            for (User user : listing) {
                if (user.email() == null || user.email().isBlank()) {
                    continue;
                }
                String email = lower(user.email().strip());
                if (wanted.contains(email) && !emails.contains(email) && contains(user.username())) {
                    emails.add(email);
                }
            }
            return emails;
        }
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
