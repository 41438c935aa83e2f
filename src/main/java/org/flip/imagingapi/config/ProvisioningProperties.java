package org.flip.imagingapi.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What a new hub project gets in XNAT: the container image whose XNAT command the DICOM→NIfTI
 * subscription runs ({@code DCM2NIIX_IMAGE}) and the prearchive code.
 *
 * <p>The image must be pinned: the reference defaulted to {@code xnat/dcm2niix:latest}, and a stale
 * {@code :latest} registration silently dropped slices (FLIP#980). The command is looked up by this
 * exact string, so a moving tag also makes "which command runs" unanswerable.
 */
@Validated
@ConfigurationProperties("provisioning")
public record ProvisioningProperties(
        @NotBlank(message = "DCM2NIIX_IMAGE must not be blank")
        @DefaultValue(DEFAULT_DCM2NIIX_IMAGE) String dcm2niixImage,
        @DefaultValue("4") int prearchiveCode,
        // Per-user steps (create, invitation, membership) in flight at once for one request. Each
        // holds at most two XNAT calls, inside the XNAT bulkhead (resilience4j.bulkhead.instances.xnat).
        @Min(value = 1, message = "provisioning.user-concurrency must be between 1 and 16")
        @Max(value = 16, message = "provisioning.user-concurrency must be between 1 and 16")
        @DefaultValue("8") int userConcurrency) {

    public static final String DEFAULT_DCM2NIIX_IMAGE = "ghcr.io/londonaicentre/xnat-dcm2niix:v1.0.20260724";

    /** The defaults for what is not given (tests that build the record by hand). */
    public ProvisioningProperties(String dcm2niixImage, int prearchiveCode) {
        this(dcm2niixImage, prearchiveCode, 8);
    }

    @ConstructorBinding
    public ProvisioningProperties {
    }

    @AssertTrue(message = "DCM2NIIX_IMAGE must be pinned to a tag or a digest, never ':latest' or untagged")
    public boolean isDcm2niixImagePinned() {
        return isPinned(dcm2niixImage);
    }

    @AssertTrue(message = "provisioning.prearchive-code must be 0, 4 or 5")
    public boolean isPrearchiveCodeKnown() {
        return prearchiveCode == 0 || prearchiveCode == 4 || prearchiveCode == 5;
    }

    /**
     * A digest ({@code @sha256:…}) or a tag other than {@code latest}. A colon before the last
     * {@code /} belongs to a registry port ({@code localhost:5000/dcm2niix} is untagged).
     */
    public static boolean isPinned(String image) {
        if (image == null || image.isBlank()) {
            return false;
        }
        String lastPart = image.substring(image.lastIndexOf('/') + 1);
        if (lastPart.contains("@")) {
            return lastPart.length() > lastPart.indexOf('@') + 1;
        }
        int colon = lastPart.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        String tag = lastPart.substring(colon + 1);
        return !tag.isEmpty() && !tag.toLowerCase(Locale.ROOT).equals("latest");
    }
}
