package io.workflowanalytics.common.testing;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.workflowanalytics.common.events.DependencyCheck;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.HealthEvent;
import io.workflowanalytics.common.events.HealthStatus;
import io.workflowanalytics.common.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every one of the six services must show, proven against the booted service and the real infrastructure:
 * Flyway made its schema and tables, readiness probes Postgres, Redis and Kafka, {@code /api/**} demands a valid
 * token and the workflow in its claim with problem+json refusals, OpenAPI, Swagger UI and Prometheus are served, and
 * the service publishes its health on analytics.health.
 * A service's test extends this with {@code @QuarkusTest} and names its schema, tables and a per-workflow endpoint.
 */
public abstract class ServiceFoundationContract {

    /** The readiness checks that probe the three dependencies (names as Quarkus reports them). */
    public static final List<String> READINESS_CHECKS = List.of(
            "Reactive PostgreSQL connections health check",
            "Redis connection health check",
            "Kafka broker connection");

    protected static final String WORKFLOW = UUID.randomUUID().toString();
    protected static final String OTHER_WORKFLOW = UUID.randomUUID().toString();

    private final String schema;
    private final Set<String> ownedTables;
    private final String workflowEndpoint;
    private final List<String> documentedPaths;

    /**
     * @param schema           the service's Postgres schema
     * @param ownedTables      tables Flyway must have created in it
     * @param workflowEndpoint a GET endpoint under /api with a {workflowId} path parameter
     * @param documentedPaths  paths the OpenAPI document must list
     */
    protected ServiceFoundationContract(String schema, Set<String> ownedTables, String workflowEndpoint,
                                        List<String> documentedPaths) {
        this.schema = schema;
        this.ownedTables = ownedTables;
        this.workflowEndpoint = workflowEndpoint;
        this.documentedPaths = documentedPaths;
    }

    protected String workflowEndpoint() {
        return workflowEndpoint;
    }

    /** A token with the least role {@link #workflowEndpoint()} needs, allowed on these workflows. */
    protected String tokenFor(String... workflowIds) {
        return TestTokens.viewerOf(workflowIds);
    }

    @Test
    void flywayCreatedTheSchemaWithItsTables() throws SQLException {
        Set<String> tables = new HashSet<>();
        try (Connection c = TestDatabase.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertTrue(tables.containsAll(ownedTables), "tables in " + schema + ": " + tables);
        assertTrue(tables.contains("flyway_schema_history"), "Flyway's history table in " + schema);
    }

    /** The readiness checks the service must report; a service whose Redis is only a cache names its own. */
    protected java.util.Collection<String> readinessChecks() {
        return READINESS_CHECKS;
    }

    @Test
    void readinessIsUpAndProbesPostgresRedisAndKafka() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(readinessChecks().toArray(String[]::new)));
    }

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void apiWithoutTokenIsUnauthorizedProblem() {
        given().when().get(workflowEndpoint(), WORKFLOW).then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthenticated"));
    }

    @Test
    void apiWithForgedOrExpiredTokenIsUnauthorizedProblem() throws Exception {
        Path otherKeys = Files.createTempDirectory("foreign-keys");
        String forged = new DevTokens(otherKeys).token("mallory", List.of("analytics-admin"), List.of("*"), 600);
        String expired = new DevTokens(ProjectRoot.keyDir())
                .token("late", List.of("analytics-admin"), List.of("*"), -120);
        String otherAudience = new DevTokens(ProjectRoot.keyDir())
                .token("client", List.of("analytics-admin"), List.of("*"), 600, "some-other-client");
        for (String token : List.of(forged, expired, otherAudience, "not-a-jwt")) {
            given().auth().oauth2(token).when().get(workflowEndpoint(), WORKFLOW).then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .body("status", equalTo(401))
                    .body("detail", equalTo("A valid bearer token is required"));
        }
    }

    @Test
    void apiForWorkflowOutsideTheClaimIsForbiddenProblem() {
        given().auth().oauth2(tokenFor(OTHER_WORKFLOW)).when().get(workflowEndpoint(), WORKFLOW).then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403))
                .body("detail", containsString(WORKFLOW));
    }

    @Test
    void apiWithoutAnAnalyticsRoleIsForbiddenProblem() {
        String noRole = TestTokens.token("stranger", List.of("some-other-group"), List.of(WORKFLOW));
        given().auth().oauth2(noRole).when().get(workflowEndpoint(), WORKFLOW).then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403));
    }

    @Test
    void apiForWorkflowInTheClaimAnswers() {
        given().auth().oauth2(tokenFor(WORKFLOW)).when().get(workflowEndpoint(), WORKFLOW).then()
                .statusCode(200)
                .contentType(ContentType.JSON);
        given().auth().oauth2(TestTokens.admin()).when().get(workflowEndpoint(), WORKFLOW).then()
                .statusCode(200);
    }

    @Test
    void malformedWorkflowIdIsBadRequestProblemNamingTheParameter() {
        given().auth().oauth2(TestTokens.admin()).when().get(workflowEndpoint(), "not-a-uuid").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("workflowId"));
    }

    @Test
    void unknownApiPathIsNotFoundProblem() {
        given().auth().oauth2(TestTokens.admin()).when().get("/api/no-such-endpoint").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void openApiDocumentListsTheEndpointsAndBearerSecurity() {
        var openapi = given().accept(ContentType.JSON).when().get("/q/openapi").then()
                .statusCode(200)
                .body("components.securitySchemes.SecurityScheme.scheme", equalTo("bearer"));
        for (String path : documentedPaths) {
            openapi.body("paths", org.hamcrest.Matchers.hasKey(path));
        }
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void publishesItsHealthOnAnalyticsHealthKeyedByItsName() throws Exception {
        String service = ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
        Instant before = Instant.now();
        List<ConsumerRecord<String, byte[]>> reports;
        try (TestKafka.Reader reader = TestKafka.readFromEnd(Topics.ANALYTICS_HEALTH)) {
            // %test: a check every second, a heartbeat every 2 s
            reports = reader.read(r -> service.equals(r.key()), 1, Duration.ofSeconds(20));
        }
        assertFalse(reports.isEmpty(), "no report of " + service + " on " + Topics.ANALYTICS_HEALTH);
        String json = new String(reports.get(reports.size() - 1).value(), StandardCharsets.UTF_8);
        assertEquals(List.of(), EventSchemas.violations("health-event", json), json);
        HealthEvent event = EventJson.fromString(json, HealthEvent.class);
        assertEquals(HealthEvent.TYPE, event.type());
        assertEquals(1, event.schemaVersion());
        assertEquals(service, event.service());
        assertEquals(service, event.component().componentName());
        assertEquals(HealthStatus.HEALTHY, event.component().status(), json);
        assertEquals(100.0, event.component().healthScore(), 20.0, json);
        assertFalse(event.component().lastChecked().isBefore(before.minusSeconds(2)), json);
        assertTrue(event.checks().stream().map(DependencyCheck::name).toList().containsAll(readinessChecks()), json);
    }

    @Test
    void prometheusMetricsAreServed() {
        given().when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
    }

    /** Runs SQL in the service's schema through JDBC, to arrange stored rows for a test. */
    protected static void sql(String statement) {
        TestDatabase.execute(statement);
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
