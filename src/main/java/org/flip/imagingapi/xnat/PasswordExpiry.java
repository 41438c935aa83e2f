package org.flip.imagingapi.xnat;

import java.util.List;

/**
 * XNAT's expired-password filter (xnat-rest-behaviour §2.2a): about a year after the service
 * account's password was set, XNAT answers every request of the account, its login included, with
 * a 302 to the change-password page. Logging in again cannot help and each login opens another
 * XNAT session, so this is a rejected login: the session backs off and requests fail fast.
 */
final class PasswordExpiry {

    static final String CHANGE_PASSWORD_PAGE = "XDATScreen_UpdateUser.vm";

    private PasswordExpiry() {
    }

    static boolean isRedirectToChangePassword(XnatResponse response) {
        if (response.status() < 300 || response.status() > 399) {
            return false;
        }
        List<String> location = response.headers().get("Location");
        return location != null && location.stream().anyMatch(value -> value.contains(CHANGE_PASSWORD_PAGE));
    }

    static XnatFailure.Rejected failure(int status) {
        return XnatFailure.serviceAccountRejected("XNAT reports that the service account's password has expired "
                + "(HTTP " + status + " to its change-password page on every request). Log in to XNAT as that "
                + "account and set a new password (then update XNAT_SERVICE_PASSWORD), and have an XNAT "
                + "administrator give the account the non_expiring role so that it does not expire again.", status);
    }
}
