package io.workflowanalytics.common.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the checkout (the folder holding {@code deploy/local}) from a test running in any module. */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    public static Path get() {
        String configured = System.getProperty("wa.project.root");
        if (configured != null && Files.isDirectory(Path.of(configured, "deploy", "local"))) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/local/infra"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the project root (deploy/local/infra) above "
                + Path.of("").toAbsolutePath());
    }

    /** Where the local run keeps its state: logs, pids, Kafka data, the dev key pair. Never committed. */
    public static Path state() {
        return get().resolve("deploy/local/.state");
    }

    public static Path keyDir() {
        return state().resolve("keys");
    }
}
