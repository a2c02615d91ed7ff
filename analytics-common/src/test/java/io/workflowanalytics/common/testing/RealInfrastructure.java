package io.workflowanalytics.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure the real PostgreSQL, Redis and Kafka broker are up before a {@code @QuarkusTest} boots, starting them
 * through {@code deploy/local/infra up} (idempotent, and quick when everything already runs), and points the
 * service at the dev key pair that {@link TestTokens} signs with. Never a mock, never Dev Services.
 * Use as {@code @QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)}.
 */
public class RealInfrastructure implements QuarkusTestResourceLifecycleManager {

    private static final long START_TIMEOUT_MINUTES = 15;

    @Override
    public Map<String, String> start() {
        Path root = ProjectRoot.get();
        Path log = root.resolve("deploy/local/.state/logs/test-infra-up.log");
        try {
            Files.createDirectories(log.getParent());
            Process up = new ProcessBuilder("bash", root.resolve("deploy/local/infra").toString(), "up")
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!up.waitFor(START_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                up.destroyForcibly();
                throw new IllegalStateException("deploy/local/infra up did not finish; see " + log);
            }
            if (up.exitValue() != 0) {
                throw new IllegalStateException("deploy/local/infra up failed (exit " + up.exitValue() + "):\n"
                        + tail(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run deploy/local/infra up", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the infrastructure", e);
        }
        Path publicKey = new DevTokens(ProjectRoot.keyDir()).ensureKeys();
        return Map.of("mp.jwt.verify.publickey.location", publicKey.toUri().toString());
    }

    @Override
    public void stop() {
        // The infrastructure outlives a test class on purpose: the next module reuses it. deploy/local/test stops
        // what it started when the whole run ends.
    }

    private static String tail(Path log) throws IOException {
        var lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
