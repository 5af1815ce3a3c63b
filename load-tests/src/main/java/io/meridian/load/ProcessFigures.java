package io.meridian.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a process on this machine holds, read from outside it: heap after a full GC (by {@code jcmd}), threads and
 * open files (from {@code /proc}).
 */
final class ProcessFigures {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private ProcessFigures() {
    }

    /** Heap used right after a full GC of the process, in MB; -1 if {@code jcmd} did not say. */
    static long heapAfterGcMegabytes(long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start().waitFor();
        Process info = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String text = new String(info.getInputStream().readAllBytes());
        info.waitFor();
        Matcher used = HEAP_USED.matcher(text);
        return used.find() ? Long.parseLong(used.group(1)) / 1024 : -1;
    }

    /** The process's threads now. */
    static long threads(long pid) throws IOException {
        return count(Path.of("/proc", Long.toString(pid), "task"));
    }

    /** The process's open file descriptors now. */
    static long openFiles(long pid) throws IOException {
        return count(Path.of("/proc", Long.toString(pid), "fd"));
    }

    private static long count(Path directory) throws IOException {
        try (var entries = Files.list(directory)) {
            return entries.count();
        }
    }
}
