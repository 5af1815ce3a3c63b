package io.meridian.acl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hashes token secrets for storage and lookup. Secrets are random UUIDs (122 random bits), so a plain SHA-256 is as
 * strong as a slow hash would be, and lets a request's token be found by its hash.
 */
final class Secrets {

    private Secrets() {
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
