package org.flip.imagingapi.project;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The XNAT ID of a hub project: a name-based (version 5) UUID of the hub project id. Every replica
 * and every retry derives the same ID, so XNAT's own 409 on a taken ID is the lock that makes a
 * duplicate project impossible. Changing the namespace would break that for existing projects.
 */
final class HubProjectIds {

    /** Fixed namespace of imaging-api hub projects (never change it). */
    static final UUID NAMESPACE = UUID.fromString("5b0d8c1e-7f3a-4e62-9d41-2a6c8e0f1b37");

    private HubProjectIds() {
    }

    static String xnatIdFor(String hubProjectId) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            ByteBuffer namespace = ByteBuffer.allocate(16)
                    .putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits());
            sha1.update(namespace.array());
            sha1.update(hubProjectId.getBytes(StandardCharsets.UTF_8));
            byte[] hash = sha1.digest();
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
            ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
            return new UUID(bytes.getLong(), bytes.getLong()).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java platform", e);
        }
    }
}
