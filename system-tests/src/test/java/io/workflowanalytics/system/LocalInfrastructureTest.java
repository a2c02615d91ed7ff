package io.workflowanalytics.system;

import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.testing.DevTokens;
import io.workflowanalytics.common.testing.ProjectRoot;
import io.workflowanalytics.common.testing.RealInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deploy/local scripts as a newcomer uses them: infrastructure up, idempotent, topics made, dev tokens valid. */
class LocalInfrastructureTest {

    private static final Path ROOT = ProjectRoot.get();

    @BeforeAll
    static void infrastructureIsUp() {
        new RealInfrastructure().start();
    }

    @Test
    void statusReportsEveryComponentUp() throws Exception {
        Result status = run("deploy/local/infra", "status");
        assertEquals(0, status.exit(), status.output());
        for (String line : new String[] {"postgres  up     127.0.0.1:5432", "redis     up     127.0.0.1:6379",
                "kafka     up     127.0.0.1:9092"}) {
            assertTrue(status.output().contains(line), status.output());
        }
    }

    @Test
    void secondStartChangesNothing() throws Exception {
        Path kafkaPid = ProjectRoot.state().resolve("pids/kafka.pid");
        String before = Files.exists(kafkaPid) ? Files.readString(kafkaPid) : "";
        Result again = run("deploy/local/infra", "up");
        assertEquals(0, again.exit(), again.output());
        assertTrue(!again.output().contains("starting"), again.output());
        assertEquals(before, Files.exists(kafkaPid) ? Files.readString(kafkaPid) : "");
    }

    @Test
    void everyTopicOfTheArchitectureExists() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092"))) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.ALL).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            assertEquals(Topics.ALL.size(), topics.size());
            topics.values().forEach(t -> assertTrue(t.partitions().size() >= 1, t.name()));
        }
    }

    @Test
    void tokenScriptPrintsAJwtSignedWithTheDevKeyAndTheAskedClaims() throws Exception {
        String workflow = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10";
        Result token = run("deploy/local/token", "--workflows", workflow, "--groups", "analytics-viewer",
                "--sub", "alice");
        assertEquals(0, token.exit(), token.output());
        String[] parts = token.output().trim().split("\\.");
        assertEquals(3, parts.length, token.output());

        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(devPublicKey());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(Base64.getUrlDecoder().decode(parts[2])), "signature by the dev key");

        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"sub\":\"alice\""), claims);
        assertTrue(claims.contains("\"groups\":[\"analytics-viewer\"]"), claims);
        assertTrue(claims.contains("\"workflows\":[\"" + workflow + "\"]"), claims);
        assertTrue(claims.contains("\"iss\":\"" + DevTokens.ISSUER + "\""), claims);
    }

    private static PublicKey devPublicKey() throws Exception {
        String pem = Files.readString(ProjectRoot.keyDir().resolve(DevTokens.PUBLIC_KEY))
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        String[] full = new String[command.length + 1];
        full[0] = "bash";
        full[1] = ROOT.resolve(command[0]).toString();
        System.arraycopy(command, 1, full, 2, command.length - 1);
        Process p = new ProcessBuilder(full).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        return new Result(p.exitValue(), out);
    }
}
