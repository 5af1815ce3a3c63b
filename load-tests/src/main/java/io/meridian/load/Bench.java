package io.meridian.load;

import io.meridian.registry.grid.WireSizes;

import java.time.Duration;

/**
 * The harness's entry point:
 * {@code Bench http|flat-cost|watchers [count] [services] [rounds] [close|keep-alive]|checks [kind] [N] [s]|
 * checks-at-rest [N] [services] [s]|freshness [N]|sdk-fanout [clients] [writes]|client-heap|
 * seed-scale [instances] [services]|jmh|quick|wire-sizes|
 * failover MODE [runs]|cold-start [N]|soak [minutes]|blackbox [HTTP requests] [DNS packets] [seed]}.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length == 0 ? "" : args[0];
        switch (which) {
            case "http" -> HttpRegisterAndLookup.run(Duration.ofSeconds(
                    args.length > 1 ? Integer.parseInt(args[1]) : 15));
            case "flat-cost" -> FlatWriteCost.run();
            case "watchers" -> ParkedWatchers.run(args.length > 1 ? Integer.parseInt(args[1]) : 10_000,
                    args.length > 2 ? Integer.parseInt(args[2]) : 1, args.length > 3 ? Integer.parseInt(args[3]) : 3,
                    args.length > 4 && args[4].equals("keep-alive"));
            case "checks" -> CheckThroughput.run(args.length > 1 ? args[1] : "http",
                    args.length > 2 ? Integer.parseInt(args[2]) : 10_000,
                    args.length > 3 ? Integer.parseInt(args[3]) : 30);
            case "checks-at-rest" -> ChecksAtRest.run(args.length > 1 ? Integer.parseInt(args[1]) : 100_000,
                    args.length > 2 ? Integer.parseInt(args[2]) : 5_000,
                    args.length > 3 ? Integer.parseInt(args[3]) : 60);
            case "freshness" -> Freshness.run(args.length > 1 ? Integer.parseInt(args[1]) : 1_000);
            case "sdk-fanout" -> SdkFanout.run(args.length > 1 ? Integer.parseInt(args[1]) : 20,
                    args.length > 2 ? Integer.parseInt(args[2]) : 4_000);
            case "client-heap" -> ClientHeap.run();
            case "seed-scale" -> SeedScale.run(args.length > 1 ? Integer.parseInt(args[1]) : 100_000,
                    args.length > 2 ? Integer.parseInt(args[2]) : 5_000);
            case "jmh" -> LookupBenchmark.runOnOneAndTwoThreads();
            case "quick" -> QuickGuard.run();
            case "wire-sizes" -> WireSizes.run();
            case "failover" -> Failover.run(args.length > 1 ? args[1] : "leader-kill",
                    args.length > 2 ? Integer.parseInt(args[2]) : 5);
            case "cold-start" -> ColdStart.run(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
            case "growth" -> RequestGrowth.run(args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000,
                    args.length > 2 ? Integer.parseInt(args[2]) : 100_000,
                    args.length > 3 ? Integer.parseInt(args[3]) : 5_000);
            case "soak" -> Soak.run(Duration.ofMinutes(args.length > 1 ? Integer.parseInt(args[1]) : 60));
            case "blackbox" -> BlackBox.run(args.length > 1 ? Integer.parseInt(args[1]) : 100_000,
                    args.length > 2 ? Integer.parseInt(args[2]) : 100_000,
                    args.length > 3 ? Long.parseLong(args[3]) : 1);
            default -> {
                System.err.println("usage: Bench http [seconds] | flat-cost"
                        + " | watchers [count] [services] [rounds] [close|keep-alive]"
                        + " | checks [http|tcp|grpc] [instances] [seconds]"
                        + " | checks-at-rest [instances] [services] [seconds]"
                        + " | freshness [changes] | sdk-fanout [clients] [writes] | client-heap | jmh | quick"
                        + " | wire-sizes"
                        + " | failover leader-kill|sigterm|rolling|rolling-kill [runs] | cold-start [instances]"
                        + " | soak [minutes] | blackbox [HTTP requests] [DNS packets] [seed]");
                System.exit(2);
            }
        }
        System.exit(0);
    }
}
