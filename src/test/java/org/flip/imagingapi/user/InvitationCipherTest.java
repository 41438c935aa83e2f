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
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

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

        assertThat(decrypt(envelope, "FLIP|v1|shared|xnat_setup_path")).isEqualTo(PATH);
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

        assertThatThrownBy(() -> decrypt(envelope, "FLIP|v1|shared|project_id"))
                .isInstanceOf(AEADBadTagException.class);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(InvitationProperties.class)
    @Import(InvitationCipher.class)
    static class Invitations {
    }

    /** The cipher as the application configures it (application.yml and the environment variable). */
    private static String encryptAsConfigured(String... arguments) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Invitations.class)
                .web(WebApplicationType.NONE).logStartupInfo(false)
                .run(concat("--imaging-api.invitation.aes-key-base64=" + KEY, arguments))) {
            return context.getBean(InvitationCipher.class).encrypt(PATH);
        }
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    void aSetInvitationContextIsBoundAfterAPipe() throws Exception {
        String envelope = encryptAsConfigured("--INVITATION_CONTEXT=project_setup");

        assertThat(decrypt(envelope, "FLIP|v1|shared|project_setup")).isEqualTo(PATH);
        assertThatThrownBy(() -> decrypt(envelope, "FLIP|v1|shared")).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void noInvitationContextMeansTheDefaultOne() throws Exception {
        assertThat(decrypt(encryptAsConfigured(), "FLIP|v1|shared|xnat_setup_path")).isEqualTo(PATH);
    }

    /** Contract §4.1: the hub generation before context binding authenticates exactly FLIP|v1|shared. */
    @Test
    void anEmptyInvitationContextBindsNoContextAndNoTrailingPipe() throws Exception {
        String envelope = encryptAsConfigured("--INVITATION_CONTEXT=");

        assertThat(decrypt(envelope, "FLIP|v1|shared")).isEqualTo(PATH);
        assertThatThrownBy(() -> decrypt(envelope, "FLIP|v1|shared|")).isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> decrypt(envelope, "FLIP|v1|shared|xnat_setup_path"))
                .isInstanceOf(AEADBadTagException.class);
    }

    /** The hub's side, written from contract §4.1 alone: the whole additional authenticated data is given. */
    static String decrypt(String envelope, String aad) throws Exception {
        JsonNode json = new ObjectMapper().readTree(Base64.getDecoder().decode(envelope));
        if (json.get("v").intValue() != 1 || !"shared".equals(json.get("kid").textValue())) {
            throw new IllegalArgumentException("unknown envelope");
        }
        byte[] iv = Base64.getDecoder().decode(json.get("iv").textValue());
        byte[] ct = Base64.getDecoder().decode(json.get("ct").textValue());
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(KEY), "AES"),
                new GCMParameterSpec(128, iv));
        cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
        return new String(cipher.doFinal(ct), StandardCharsets.UTF_8);
    }
}
