package io.workflowanalytics.simulator;

import io.workflowanalytics.common.events.ErrorType;

import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A simulated workflow: a chain of nodes, each with a typical latency, a failure probability and the error type it
 * fails with; its users (power, regular, occasional) and their share of the executions.
 */
record WorkflowModel(String id, String name, List<Node> nodes, List<User> users, double executionsPerMinute) {

    record Node(String nodeId, String nodeType, double medianMs, double failureRate, ErrorType errorType,
                double apiCallsPerRun) {
    }

    record User(String userId, io.workflowanalytics.common.events.UserType type, String country, String region,
                String deviceType) {
    }

    private static final String[][] COUNTRIES = {
            {"US", "us-east"}, {"US", "us-west"}, {"DE", "eu-west"}, {"FR", "eu-west"}, {"GB", "eu-west"},
            {"IN", "ap-south"}, {"JP", "ap-northeast"}, {"BR", "sa-east"}};
    private static final double[] COUNTRY_WEIGHTS = {0.22, 0.13, 0.15, 0.08, 0.1, 0.14, 0.1, 0.08};
    private static final String[] DEVICES = {"desktop", "mobile", "tablet", "api"};
    private static final double[] DEVICE_WEIGHTS = {0.55, 0.25, 0.05, 0.15};

    private static final Node[][] TEMPLATES = {
            {new Node("trigger", "webhook", 15, 0.001, ErrorType.VALIDATION_ERROR, 0),
                    new Node("fetch-orders", "http_request", 420, 0.01, ErrorType.API_TIMEOUT, 1),
                    new Node("enrich", "transform", 60, 0.004, ErrorType.DATA_PROCESSING_ERROR, 0),
                    new Node("store", "database_query", 120, 0.003, ErrorType.RESOURCE_EXHAUSTION, 0)},
            {new Node("schedule", "cron", 5, 0.0, ErrorType.CONFIGURATION_ERROR, 0),
                    new Node("export-crm", "http_request", 900, 0.02, ErrorType.EXTERNAL_SERVICE_ERROR, 2),
                    new Node("aggregate", "transform", 300, 0.005, ErrorType.DATA_PROCESSING_ERROR, 0)},
            {new Node("form-submit", "webhook", 10, 0.02, ErrorType.VALIDATION_ERROR, 0),
                    new Node("auth-check", "http_request", 80, 0.005, ErrorType.AUTHENTICATION_ERROR, 1),
                    new Node("send-mail", "email", 250, 0.008, ErrorType.NETWORK_ERROR, 1)},
            {new Node("ingest-file", "storage", 200, 0.004, ErrorType.RESOURCE_EXHAUSTION, 0),
                    new Node("ocr", "ml_inference", 1800, 0.01, ErrorType.EXTERNAL_SERVICE_ERROR, 1),
                    new Node("classify", "ml_inference", 650, 0.006, ErrorType.DATA_PROCESSING_ERROR, 1),
                    new Node("archive", "storage", 90, 0.002, ErrorType.NETWORK_ERROR, 0)},
            {new Node("poll-queue", "queue", 20, 0.001, ErrorType.NETWORK_ERROR, 0),
                    new Node("transform", "transform", 45, 0.003, ErrorType.DATA_PROCESSING_ERROR, 0),
                    new Node("publish", "http_request", 150, 0.006, ErrorType.API_TIMEOUT, 1)}};
    private static final String[] NAMES = {"order-sync", "crm-export", "lead-intake", "document-pipeline", "event-relay"};

    /** The i-th workflow of a seeded population: deterministic ids, nodes, users and volume. */
    static WorkflowModel create(int index, Random random) {
        String id = new UUID(0x5157_0000_0000_4000L | index, 0x8000_0000_0000_0000L | random.nextInt(1 << 30)).toString();
        int userCount = 20 + random.nextInt(60);
        List<User> users = new java.util.ArrayList<>(userCount);
        for (int u = 0; u < userCount; u++) {
            double r = u / (double) userCount;
            var type = r < 0.1 ? io.workflowanalytics.common.events.UserType.POWER_USER
                    : r < 0.4 ? io.workflowanalytics.common.events.UserType.REGULAR_USER
                    : io.workflowanalytics.common.events.UserType.OCCASIONAL_USER;
            String[] place = COUNTRIES[pick(random, COUNTRY_WEIGHTS)];
            users.add(new User("user-" + index + "-" + u, type, place[0], place[1], DEVICES[pick(random, DEVICE_WEIGHTS)]));
        }
        return new WorkflowModel(id, NAMES[index % NAMES.length] + (index < NAMES.length ? "" : "-" + index),
                List.of(TEMPLATES[index % TEMPLATES.length]), users, 2 + random.nextInt(6));
    }

    /** A user drawn with the weight of their segment: power users run most executions, occasional ones few. */
    User drawUser(Random random) {
        double r = random.nextDouble();
        var segment = r < 0.55 ? io.workflowanalytics.common.events.UserType.POWER_USER
                : r < 0.9 ? io.workflowanalytics.common.events.UserType.REGULAR_USER
                : io.workflowanalytics.common.events.UserType.OCCASIONAL_USER;
        List<User> inSegment = users.stream().filter(u -> u.type() == segment).toList();
        return inSegment.get(random.nextInt(inSegment.size()));
    }

    static int pick(Random random, double[] weights) {
        double r = random.nextDouble();
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
