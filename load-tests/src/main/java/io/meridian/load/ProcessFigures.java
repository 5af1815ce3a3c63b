package io.meridian.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a process on this machine holds and uses, read from outside it: heap after a full GC (by {@code jcmd}), CPU
 * time, threads and open files (from {@code /proc}).
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

    /**
     * The CPU time the process has used so far, user and system, in seconds (from {@code /proc/PID/stat}, in clock
     * ticks of 1/100 s).
     */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
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
