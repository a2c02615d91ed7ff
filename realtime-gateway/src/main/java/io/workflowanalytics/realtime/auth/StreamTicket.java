package io.workflowanalytics.realtime.auth;

import java.time.Instant;

/**
 * A single-use credential for one stream handshake of one workflow, for browsers (EventSource and WebSocket cannot
 * send an Authorization header). Only its SHA-256 is stored; it lives seconds.
 */
public record StreamTicket(String ticket, String workflowId, Instant expiresAt, String websocketPath, String ssePath) {
}
