package io.workflowanalytics.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Real WebSocket and SSE clients (the JDK's HTTP client) that record what the gateway sends them. */
public final class StreamClients {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private StreamClients() {
    }

    /** One received stream event: its SSE id and name (null over WebSocket) and the envelope. */
    public record Received(String sseId, String sseName, JsonNode envelope, Instant at) {
        public String type() {
            return envelope.path("type").asText();
        }
    }

    /** What a client received so far, in order. */
    public abstract static class Client implements AutoCloseable {
        public final List<Received> received = new CopyOnWriteArrayList<>();

        public List<Received> events(Predicate<Received> matching) {
            List<Received> out = new ArrayList<>();
            for (Received r : received) {
                if (matching.test(r)) {
                    out.add(r);
                }
            }
            return out;
        }

        public List<Received> ofType(String type) {
            return events(r -> r.type().equals(type));
        }

        /**
         * What was received of the workflow's own events: without system_health_changed, which the gateway sends to
         * every stream whenever any service's health changes, at moments a test does not control.
         */
        public List<Received> workflowEvents() {
            return events(r -> !r.type().equals("system_health_changed"));
        }
    }

    /** A WebSocket client; {@code reading=false} makes one that never reads (it asks the socket for nothing). */
    public static final class Ws extends Client implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final boolean reading;
        public final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        WebSocket socket;

        private Ws(boolean reading) {
            this.reading = reading;
        }

        public static Ws connect(URI uri, String token) {
            return connect(uri, token, true);
        }

        public static Ws connect(URI uri, String token, boolean reading) {
            Ws client = new Ws(reading);
            WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            client.socket = builder.buildAsync(uri, client).join();
            return client;
        }

        /** The HTTP status the handshake was refused with. */
        public static int refusal(URI uri, String token) {
            try {
                connect(uri, token);
            } catch (CompletionException e) {
                if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
                    return h.getResponse().statusCode();
                }
                throw e;
            }
            throw new AssertionError("the handshake to " + uri + " was accepted");
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(new Received(null, null, JSON.readTree(partial.toString()), Instant.now()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedWith.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedWith.completeExceptionally(error);
        }

        @Override
        public void close() {
            socket.abort();
        }
    }

    /** An SSE client reading the stream on its own thread. */
    public static final class Sse extends Client {
        private final Thread reader;
        private volatile InputStream body;
        final CompletableFuture<Void> opened = new CompletableFuture<>();

        private Sse(HttpResponse<InputStream> response) {
            this.body = response.body();
            this.reader = new Thread(this::read, "sse-client");
            reader.setDaemon(true);
            reader.start();
        }

        public static Sse connect(URI uri, String token, String lastEventId) {
            HttpResponse<InputStream> response = open(uri, token, lastEventId);
            if (response.statusCode() != 200) {
                throw new AssertionError("SSE answered " + response.statusCode());
            }
            Sse client = new Sse(response);
            client.opened.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
            return client;
        }

        public static HttpResponse<InputStream> open(URI uri, String token, String lastEventId) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            try {
                return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String id = null;
                String name = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith(":")) {
                        opened.complete(null); // the gateway's first write is a comment
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    } else if (line.isEmpty() && !data.isEmpty()) {
                        received.add(new Received(id, name, JSON.readTree(data.toString()), Instant.now()));
                        id = null;
                        name = null;
                        data.setLength(0);
                    }
                }
            } catch (Exception e) {
                // closed
            }
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (Exception e) {
                // already closed
            }
            reader.interrupt();
        }
    }
}
