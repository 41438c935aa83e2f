package org.flip.imagingapi.config;

import java.util.Base64;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The key that encrypts invitations for the hub ({@code AES_KEY_BASE64}, contract §4.1) and the
 * context bound into each envelope's additional authenticated data.
 *
 * <p>The key is checked by {@link #key()}, which the invitation cipher calls when the application
 * starts, not with bean validation: Boot's bind-failure report prints the rejected value, and a
 * wrong key is still a secret. (Checking at the cipher also keeps controller slice tests, which
 * never build the cipher, free of a key.) {@link InvalidAesKeyException} is reported by
 * {@link InvalidAesKeyFailureAnalyzer} as one line that names the variable and never its value.
 */
@ConfigurationProperties("imaging-api.invitation")
public record InvitationProperties(String aesKeyBase64, @DefaultValue("xnat_setup_path") String context) {

    public static final int KEY_BYTES = 32;

    public InvitationProperties {
        if (context == null) {
            context = "xnat_setup_path";
        }
    }

    /** The 32 raw key bytes; throws {@link InvalidAesKeyException} for anything else. */
    public byte[] key() {
        return key(aesKeyBase64);
    }

    private static byte[] key(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new InvalidAesKeyException("AES_KEY_BASE64 is not set: it must be the base64 of a 32-byte "
                    + "AES-256 key shared with the Central Hub.");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidAesKeyException("AES_KEY_BASE64 is not valid standard base64: it must be the base64 "
                    + "of a 32-byte AES-256 key shared with the Central Hub.");
        }
        if (key.length != KEY_BYTES) {
            throw new InvalidAesKeyException("AES_KEY_BASE64 decodes to " + key.length + " bytes; it must be the "
                    + "base64 of exactly 32 bytes (an AES-256 key shared with the Central Hub).");
        }
        return key;
    }

    @Override
    public String toString() {
        return "InvitationProperties[aesKeyBase64=<redacted>, context=" + context + "]";
    }

    /** Start-up stops: the message names the variable and never carries its value. */
    public static class InvalidAesKeyException extends IllegalArgumentException {
        InvalidAesKeyException(String message) {
            super(message);
        }
    }
}
