package io.workflowanalytics.realtime.stream;

import io.workflowanalytics.common.events.StreamEventType;

/**
 * One envelope as it goes out: its id and type for the SSE {@code id:} and {@code event:} lines, and the StreamEvent
 * JSON, serialised once and written to every subscriber of the workflow.
 */
public record StreamMessage(long id, StreamEventType type, String json) {

    public String sseName() {
        return "analytics." + type.wire();
    }
}
