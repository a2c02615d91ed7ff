package io.workflowanalytics.common.testing;

import java.util.List;

/** Bearer tokens for tests, signed with the dev key pair that {@link RealInfrastructure} hands to the service. */
public final class TestTokens {

    private static final DevTokens TOKENS = new DevTokens(ProjectRoot.keyDir());

    private TestTokens() {
    }

    /** A token of {@code subject} with the given groups, allowed on the given workflow ids ({@code *} for all). */
    public static String token(String subject, List<String> groups, List<String> workflows) {
        return TOKENS.token(subject, groups, workflows, 3600);
    }

    /** A viewer allowed on exactly these workflows. */
    public static String viewerOf(String... workflowIds) {
        return token("test-viewer", List.of("analytics-viewer"), List.of(workflowIds));
    }

    /** An editor allowed on exactly these workflows. */
    public static String editorOf(String... workflowIds) {
        return token("test-editor", List.of("analytics-editor"), List.of(workflowIds));
    }

    /** An admin allowed on every workflow. */
    public static String admin() {
        return token("test-admin", List.of("analytics-admin"), List.of("*"));
    }
}
