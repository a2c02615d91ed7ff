package io.workflowanalytics.realtime.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A stream ticket presented in the query string of a stream handshake. */
public final class StreamTicketRequest extends BaseAuthenticationRequest {

    private final String ticket;
    private final String workflowId;

    public StreamTicketRequest(String ticket, String workflowId) {
        this.ticket = ticket;
        this.workflowId = workflowId;
    }

    public String ticket() {
        return ticket;
    }

    /** The workflow of the path the ticket was presented on. */
    public String workflowId() {
        return workflowId;
    }
}
