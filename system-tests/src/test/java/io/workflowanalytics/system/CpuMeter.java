package io.workflowanalytics.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of the processes a benchmark shares the machine with, from /proc: the named processes (services started
 * by the benchmark, the benchmark's own JVM), the Kafka broker, PostgreSQL (all its backends) and everything else.
 * A benchmark takes a reading before and after its load and prints the cores each used in between, so that its
 * figures say where the machine's CPU went.
 */
public final class CpuMeter {

    /** Clock ticks per second of /proc/[pid]/stat (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    private final Map<String, Long> named;
    private final long startedNanos = System.nanoTime();
    private final Map<String, Long> start;

    /** @param named label → pid of the processes to account for by name (printed in label order) */
    public CpuMeter(Map<String, Long> named) {
        this.named = new java.util.TreeMap<>(named);
        this.start = read();
    }

    /** Cores used by each label since this meter was made: CPU seconds over wall seconds. */
    public Map<String, Double> coresSinceStart() {
        double wall = (System.nanoTime() - startedNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        cpuSecondsSinceStart().forEach((label, seconds) -> cores.put(label, seconds / wall));
        return cores;
    }

    /** CPU seconds used by each label since this meter was made. */
    public Map<String, Double> cpuSecondsSinceStart() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        read().forEach((label, ticks) -> seconds.put(label, (ticks - start.getOrDefault(label, 0L)) / TICKS));
        return seconds;
    }

    /** One line: {@code label 0.52, …, total 1.93 of N cores}. */
    public String summary() {
        Map<String, Double> cores = coresSinceStart();
        StringBuilder line = new StringBuilder();
        cores.forEach((label, c) -> line.append(String.format(java.util.Locale.ROOT, "%s %.2f, ", label, c)));
        return line.append(String.format(java.util.Locale.ROOT, "total %.2f of %d cores",
                cores.values().stream().mapToDouble(Double::doubleValue).sum(),
                Runtime.getRuntime().availableProcessors())).toString();
    }

    private Map<String, Long> read() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        named.keySet().forEach(label -> ticks.put(label, 0L));
        ticks.put("kafka broker", 0L);
        ticks.put("postgresql", 0L);
        ticks.put("other", 0L);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                long pid = Long.parseLong(p.getFileName().toString());
                long used = ticksOf(p);
                ticks.merge(labelOf(pid, p), used, Long::sum);
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ticks;
    }

    private String labelOf(long pid, Path proc) {
        for (Map.Entry<String, Long> e : named.entrySet()) {
            if (e.getValue() == pid) {
                return e.getKey();
            }
        }
        try {
            String cmdline = Files.readString(proc.resolve("cmdline"));
            if (cmdline.contains("kafka.Kafka")) {
                return "kafka broker";
            }
            if (Files.readString(proc.resolve("comm")).trim().startsWith("postgres")) {
                return "postgresql";
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended between listing and reading
        }
        return "other";
    }

    /** utime + stime of a process (fields 14 and 15, counted after the command name's closing parenthesis). */
    private static long ticksOf(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
