package org.flip.imagingapi.user;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Consumer;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.flip.imagingapi.config.InvitationProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The envelope the hub decrypts (contract §4.1): standard base64 of the UTF-8 JSON
 * {@code {"v":1,"kid":"shared","iv":<b64 12-byte nonce>,"ct":<b64 ciphertext‖16-byte tag>}},
 * AES-256-GCM with the shared key and the additional authenticated data
 * {@code FLIP|v1|shared|<context>}, or exactly {@code FLIP|v1|shared} when the context is empty (what
 * the hub generation before context binding expects). The nonce is fresh for every envelope: GCM with
 * a repeated nonce under one key gives the key stream away.
 */
@Component
public class InvitationCipher {

    static final String KID = "shared";
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    /** Plain mapper: the envelope's shape must not follow the application's Jackson settings. */
    private static final ObjectMapper ENVELOPE_JSON = new ObjectMapper();

    private final SecretKeySpec key;
    private final String context;
    private final Consumer<byte[]> nonceSource;

    @Autowired
    public InvitationCipher(InvitationProperties properties) {
        this(properties, new SecureRandom()::nextBytes);
    }

    /** For a fixed test vector only: production nonces come from {@link SecureRandom}. */
    InvitationCipher(InvitationProperties properties, Consumer<byte[]> nonceSource) {
        this.key = new SecretKeySpec(properties.key(), "AES");
        this.context = properties.context();
        this.nonceSource = nonceSource;
    }

    /** Encrypts with the configured context ({@code xnat_setup_path} unless changed). */
    public String encrypt(String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        nonceSource.accept(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(context));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            byte[] json = ENVELOPE_JSON.writeValueAsBytes(
                    new EnvelopeFields(1, KID, b64.encodeToString(nonce), b64.encodeToString(sealed)));
            return b64.encodeToString(json);
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("Could not encrypt an invitation", e);
        }
    }

    static byte[] aad(String context) {
        String bound = "FLIP|v1|" + KID;
        return (context.isEmpty() ? bound : bound + "|" + context).getBytes(StandardCharsets.UTF_8);
    }

    @JsonPropertyOrder({"v", "kid", "iv", "ct"})
    record EnvelopeFields(int v, String kid, String iv, String ct) {
    }

    @Override
    public String toString() {
        return "InvitationCipher[context=" + context + "]";
    }
}
