package io.meridian.load;

import java.time.Duration;

/** The harness's entry point: {@code Bench http|flat-cost|watchers|checks [N]}. */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length == 0 ? "" : args[0];
        switch (which) {
            case "http" -> HttpRegisterAndLookup.run(Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 15));
            case "flat-cost" -> FlatWriteCost.run();
            case "watchers" -> ParkedWatchers.run(args.length > 1 ? Integer.parseInt(args[1]) : 10_000);
            case "checks" -> CheckThroughput.run(args.length > 1 ? Integer.parseInt(args[1]) : 2_000,
                    args.length > 2 ? Integer.parseInt(args[2]) : 30);
            default -> {
                System.err.println("usage: Bench http [seconds] | flat-cost | watchers [count] | checks [instances] [seconds]");
                System.exit(2);
            }
        }
        System.exit(0);
    }
}
