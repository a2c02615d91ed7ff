package io.workflowanalytics.system;

import io.workflowanalytics.common.testing.DevTokens;
import io.workflowanalytics.common.testing.ProjectRoot;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of the suite's services run as the packaged application ({@code target/quarkus-app/quarkus-run.jar}), as in
 * production, with configuration overrides; for tests that kill and restart it or measure it from outside.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String module;
    private final int port;
    private final Map<String, String> overrides;
    private final Path log;
    private Process process;

    public ServiceProcess(String module, int port, Map<String, String> overrides) {
        this.module = module;
        this.port = port;
        this.overrides = overrides;
        this.log = ProjectRoot.state().resolve("logs/system-test-" + module + ".log");
    }

    public ServiceProcess start() throws IOException {
        Path jar = ProjectRoot.get().resolve(module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the reactor first (./mvnw verify builds it "
                    + "before system-tests)");
        }
        Path publicKey = new DevTokens(ProjectRoot.keyDir()).ensureKeys();
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(LocalRun.jvmOptionsOf(module));
        // Benchmark A/B of JVM settings (a collector, a GC log, a flight recording) without editing lib.sh:
        // -Dwa.bench.jvm.analytics-query="-Xlog:gc:file=/tmp/gc.log -Xmx1g"; later options win over lib.sh's.
        for (String option : System.getProperty("wa.bench.jvm." + module, "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dmp.jwt.verify.publickey.location=" + publicKey.toUri()));
        overrides.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitPort(Duration.ofSeconds(90));
        return this;
    }

    /** SIGKILL: no shutdown hook, no final commit; what a crash or an OOM kill does. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public long pid() {
        return process.pid();
    }

    /** Peak resident set size so far (VmHWM), in MiB. */
    public double peakRssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private void awaitPort(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited; see " + log);
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        throw new IllegalStateException(module + " did not listen on " + port + " within " + timeout + "; see " + log);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
