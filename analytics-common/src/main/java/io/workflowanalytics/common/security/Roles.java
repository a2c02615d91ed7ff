package io.workflowanalytics.common.security;

/**
 * The groups a token may carry. Higher roles imply lower ones ({@link RoleHierarchyAugmentor}): an admin is also
 * an editor and a viewer, so endpoints name only the least role they need.
 */
public final class Roles {

    public static final String VIEWER = "analytics-viewer";
    public static final String EDITOR = "analytics-editor";
    public static final String ADMIN = "analytics-admin";
    /** Runtime engines and other producers that write metrics over HTTP. */
    public static final String INGEST = "analytics-ingest";

    private Roles() {
    }
}
