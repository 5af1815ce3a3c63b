package io.meridian.http;

import java.nio.file.Path;
import java.util.Objects;

/** Where the HTTPS certificate chain and its private key are, both PEM. */
public record PemFiles(Path certificate, Path privateKey) {

    public PemFiles {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }
}
