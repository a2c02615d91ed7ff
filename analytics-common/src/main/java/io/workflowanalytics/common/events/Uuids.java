package io.workflowanalytics.common.events;

/** The form every identifier of the contracts takes: a UUID in lower-case hex, 8-4-4-4-12. */
public final class Uuids {

    private Uuids() {
    }

    /**
     * 8-4-4-4-12 lower-case hex digits, checked by hand: a regex cost a tenth of metrics-ingest's write path, and
     * {@code UUID.fromString} as a check a twentieth of the rollup fold (both profiled).
     */
    public static boolean isLowerCase(String s) {
        if (s == null || s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
