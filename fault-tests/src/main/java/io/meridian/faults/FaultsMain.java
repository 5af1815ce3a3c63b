package io.meridian.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code FaultsMain [--members N] [--runs R] [--seed S] [--hold-seconds H] SCENARIO...}: runs each scenario R times
 * with recorded seeds (S, S+1, ...), each fault held H seconds (20 by default),
 * and prints one Markdown row per run, the table of {@code RELIABILITY.md}. Exits 1 if any run lost a write, showed an
 * anomaly or did not converge. {@code ALL} names every scenario.
 */
public final class FaultsMain {

    private FaultsMain() {
    }

    public static void main(String[] args) throws Exception {
        int members = 3;
        int runs = 1;
        Duration hold = Duration.ofSeconds(20);
        long seed = System.currentTimeMillis();
        List<Scenario> scenarios = new ArrayList<>();
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--members" -> members = Integer.parseInt(args[++a]);
                case "--runs" -> runs = Integer.parseInt(args[++a]);
                case "--seed" -> seed = Long.parseLong(args[++a]);
                case "--hold-seconds" -> hold = Duration.ofSeconds(Long.parseLong(args[++a]));
                case "ALL" -> scenarios.addAll(List.of(Scenario.values()));
                default -> scenarios.add(Scenario.valueOf(args[a].toUpperCase(Locale.ROOT).replace('-', '_')));
            }
        }
        System.out.println(Report.HEADER);
        boolean allPassed = true;
        for (Scenario scenario : scenarios) {
            for (int run = 0; run < runs; run++) {
                long runSeed = seed + run;
                Path directory = Files.createTempDirectory("meridian-faults-");
                FaultRun.Result result;
                try {
                    result = FaultRun.run(scenario, runSeed, members, hold, directory, System.err);
                } catch (Exception e) {
                    System.out.println(Report.failedRow(members, scenario, runSeed, e));
                    e.printStackTrace();
                    allPassed = false;
                    continue;
                }
                System.out.println(Report.row(members, result));
                result.verdict().lost().stream().limit(20).forEach(line -> System.out.println("  lost: " + line));
                result.verdict().anomalies().forEach(line -> System.out.println("  anomaly: " + line));
                allPassed &= result.passed();
            }
        }
        System.exit(allPassed ? 0 : 1);
    }
}
