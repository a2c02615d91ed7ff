package io.workflowanalytics.query.testing;

import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.workflowanalytics.common.testing.TestTokens;
import org.awaitility.Awaitility;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calls the views as a viewer of one workflow and reads numbers exactly (BigDecimal, not float). */
public final class Views {

    private static final RestAssuredConfig EXACT = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));

    private Views() {
    }

    public static Response get(String workflowId, String path, Map<String, ?> query) {
        return given().config(EXACT).auth().oauth2(TestTokens.viewerOf(workflowId)).queryParams(query)
                .when().get("/api/workflows/" + workflowId + "/analytics" + path);
    }

    /** Polls the view until {@code ready} holds (the rollup consumer is asynchronous), then returns it. */
    public static JsonPath await(String workflowId, String path, Map<String, ?> query, Predicate<JsonPath> ready) {
        JsonPath[] last = new JsonPath[1];
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Response r = get(workflowId, path, query);
            if (r.statusCode() != 200) {
                return false;
            }
            last[0] = r.jsonPath(JsonPathConfig.jsonPathConfig()
                    .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
            return ready.test(last[0]);
        });
        return last[0];
    }

    public static double number(JsonPath json, String path) {
        Object v = json.get(path);
        return v == null ? Double.NaN : new BigDecimal(v.toString()).doubleValue();
    }

    /** Equal up to the last bits of a double computed two ways. */
    public static void assertExact(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * 1e-12 + 1e-12, what);
    }

    /** Within the sketch's stated bound: 1% relative. */
    public static void assertWithinSketchBound(double expected, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= Math.abs(expected) * 0.01 + 1e-9,
                what + ": expected " + expected + " ±1% but was " + actual);
    }
}
