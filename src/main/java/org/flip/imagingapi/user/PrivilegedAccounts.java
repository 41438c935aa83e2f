package org.flip.imagingapi.user;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
 * whatever the number of users), never cached: a role granted a minute ago counts at once.
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

    /** The privileged usernames as of now (lower-cased: XNAT matches logins without case). One XNAT call. */
    public Usernames lookUp() {
        Set<String> names = new HashSet<>();
        if (!serviceUser.isEmpty()) {
            names.add(lower(serviceUser));
        }
        xnat.administrators().forEach(name -> names.add(lower(name)));
        return new Usernames(Set.copyOf(names));
    }

    /** Whether the account is the service account (without case, as XNAT matches logins), without asking XNAT. */
    public boolean isServiceAccount(String username) {
        return !serviceUser.isEmpty() && lower(serviceUser).equals(lower(username));
    }

    /** The privileged usernames of one request. */
    public record Usernames(Set<String> lowerCased) {

        public boolean contains(String username) {
            return username != null && lowerCased.contains(lower(username));
        }

        /** The e-mails (lower-cased) of the privileged accounts in a listing. */
        public Set<String> emailsIn(List<User> listing) {
            Set<String> emails = new HashSet<>();
            for (User user : listing) {
                if (contains(user.username()) && user.email() != null && !user.email().isBlank()) {
                    emails.add(lower(user.email().strip()));
                }
            }
            return emails;
        }
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
