package io.meridian.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short system command (ip, iptables, tc, kill) to completion and fails loudly with its output if it fails. */
final class Shell {

    private Shell() {
    }

    /** Runs the command; throws with its output if it exits non-zero or takes over 30 s. */
    static String run(String... command) {
        String output = attempt(command);
        if (output == null) {
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
        return output;
    }

    /** Runs the command and returns its output, or null if it failed: for cleanup, which goes on past failures. */
    static String attempt(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                System.err.println(String.join(" ", command) + ": " + new String(output, StandardCharsets.UTF_8));
                return null;
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println(String.join(" ", command) + ": " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
