package org.flip.imagingapi.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.flip.imagingapi.config.InvitationProperties;
import org.junit.jupiter.api.Test;

/**
 * The hub decrypts what this cipher writes, so these tests decrypt with javax.crypto directly,
 * following contract §4.1 and not the production code.
 */
class InvitationCipherTest {

    static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="; // bytes 0..31
    static final String PATH = "/app/template/XDATScreen_UpdateUser.vm?a=al-123&s=sek%20ret";

    /**
     * Computed outside Java (Python {@code cryptography} AESGCM, key bytes 0..31, nonce bytes
     * a0..ab, AAD "FLIP|v1|shared|xnat_setup_path"): the hub can rely on this exact format.
     */
    static final String VECTOR = "eyJ2IjoxLCJraWQiOiJzaGFyZWQiLCJpdiI6Im9LR2lvNlNscHFlb3FhcXIiLCJjdCI6InlYa01YV3Ev"
            + "WjlJU0NlYW5ZbFdZbWpINENuUGcwaWNDdzF0VzRoN2ZFRlNoRXpYUjJVOXNYR0w5YU9VNFNMRGZOQ1kxTFFuMUtFNHpPMytGaVI2Mm"
            + "JnMDVkL2UxN2tzWWhVMWYifQ==";

    final InvitationProperties properties = new InvitationProperties(KEY, "xnat_setup_path");

    @Test
    void aFixedKeyAndNonceGiveExactlyThePinnedEnvelope() {
        InvitationCipher cipher = new InvitationCipher(properties, nonce -> {
            for (int i = 0; i < nonce.length; i++) {
                nonce[i] = (byte) (0xa0 + i);
            }
        });

        assertThat(cipher.encrypt(PATH)).isEqualTo(VECTOR);
    }

    @Test
    void theEnvelopeDecryptsWithTheSharedKeyAndContext() throws Exception {
        String envelope = new InvitationCipher(properties).encrypt(PATH);

        assertThat(decrypt(envelope, "xnat_setup_path")).isEqualTo(PATH);
    }

    @Test
    void theEnvelopeHasExactlyTheContractFields() throws Exception {
        JsonNode json = new ObjectMapper().readTree(Base64.getDecoder().decode(new InvitationCipher(properties).encrypt(PATH)));

        assertThat(json.fieldNames()).toIterable().containsExactly("v", "kid", "iv", "ct");
        assertThat(json.get("v").intValue()).isEqualTo(1);
        assertThat(json.get("kid").textValue()).isEqualTo("shared");
        assertThat(Base64.getDecoder().decode(json.get("iv").textValue())).hasSize(12);
        assertThat(Base64.getDecoder().decode(json.get("ct").textValue()))
                .hasSize(PATH.getBytes(StandardCharsets.UTF_8).length + 16);
    }

    @Test
    void everyEnvelopeHasAFreshNonce() throws Exception {
        InvitationCipher cipher = new InvitationCipher(properties);
        ObjectMapper json = new ObjectMapper();

        String first = json.readTree(Base64.getDecoder().decode(cipher.encrypt(PATH))).get("iv").textValue();
        String second = json.readTree(Base64.getDecoder().decode(cipher.encrypt(PATH))).get("iv").textValue();

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void aDifferentContextDoesNotDecrypt() {
        String envelope = new InvitationCipher(properties).encrypt(PATH);

        assertThatThrownBy(() -> decrypt(envelope, "project_id")).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void theConfiguredContextIsBoundIntoTheEnvelope() throws Exception {
        String envelope = new InvitationCipher(new InvitationProperties(KEY, "")).encrypt(PATH);

        assertThat(decrypt(envelope, "")).isEqualTo(PATH);
    }

    /** The hub's side, written from contract §4.1 alone. */
    static String decrypt(String envelope, String context) throws Exception {
        JsonNode json = new ObjectMapper().readTree(Base64.getDecoder().decode(envelope));
        if (json.get("v").intValue() != 1 || !"shared".equals(json.get("kid").textValue())) {
            throw new IllegalArgumentException("unknown envelope");
        }
        byte[] iv = Base64.getDecoder().decode(json.get("iv").textValue());
        byte[] ct = Base64.getDecoder().decode(json.get("ct").textValue());
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(KEY), "AES"),
                new GCMParameterSpec(128, iv));
        cipher.updateAAD(("FLIP|v1|shared|" + context).getBytes(StandardCharsets.UTF_8));
        return new String(cipher.doFinal(ct), StandardCharsets.UTF_8);
    }
}
