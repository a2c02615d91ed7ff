package io.workflowanalytics.system;

import io.workflowanalytics.common.testing.ProjectRoot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Settings of the local run (deploy/local/lib.sh) that the system tests start services with, read from one place. */
public final class LocalRun {

    private LocalRun() {
    }

    /** The JVM options deploy/local/run starts a service with: its heap, its collector and any young generation. */
    public static java.util.List<String> jvmOptionsOf(String module) {
        String[] entry = entryOf(module);
        java.util.List<String> options = new java.util.ArrayList<>(
                java.util.List.of("-Xmx" + entry[2], "-XX:+Use" + entry[3]));
        if (entry.length == 5) {
            options.add("-Xmn" + entry[4]);
        }
        return options;
    }

    private static String[] entryOf(String module) {
        try {
            String lib = Files.readString(ProjectRoot.get().resolve("deploy/local/lib.sh"));
            Matcher m = Pattern.compile("(?m)^SERVICES=\"([^\"]*)\"").matcher(lib);
            if (m.find()) {
                for (String entry : m.group(1).split("\\s+")) {
                    String[] parts = entry.split(":");
                    if (parts[0].equals(module) && (parts.length == 4 || parts.length == 5)) {
                        return parts;
                    }
                }
            }
            throw new IllegalStateException(module + " is not in SERVICES of deploy/local/lib.sh");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
