package io.workflowanalytics.query.alerts;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.events.AlertEvent;
import io.workflowanalytics.common.events.AlertEventType;
import io.workflowanalytics.common.events.AlertSeverity;
import io.workflowanalytics.common.events.AlertStatus;
import io.workflowanalytics.common.events.AlertType;
import io.workflowanalytics.common.events.EventJson;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The alerts table and the outbox: every transition updates the alert and writes its AlertEvent to
 * {@code alert_outbox} on the same connection, so that both commit or neither does.
 */
@ApplicationScoped
public class AlertRepository {

    static final String OPEN = "('active', 'acknowledged', 'suppressed')";
    private static final String COLUMNS = "id, workflow_id, rule_id, type, severity, title, description, "
            + "\"timestamp\", status, affected_components, recommendations, estimated_impact, value, threshold, "
            + "baseline, acknowledged_at, acknowledged_by, suppressed_until, suppressed_by, resolved_at, resolved_by, "
            + "resolution, updated_at";
    private static final String INSERT = "INSERT INTO alerts (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, "
            + "$8, 'active', $9, $10, $11, $12, $13, $14, NULL, NULL, NULL, NULL, NULL, NULL, NULL, $8) RETURNING "
            + COLUMNS;
    private static final String UPDATE = "UPDATE alerts SET status = $2, acknowledged_at = $3, acknowledged_by = $4, "
            + "suppressed_until = $5, suppressed_by = $6, resolved_at = $7, resolved_by = $8, resolution = $9, "
            + "updated_at = $10 WHERE id = $1 RETURNING " + COLUMNS;
    private static final String OUTBOX = "INSERT INTO alert_outbox (workflow_id, payload) VALUES ($1, $2)";

    private final Pool pool;

    public AlertRepository(Pool pool) {
        this.pool = pool;
    }

    /** The workflow's alerts, newest first, of the given statuses and type (null: any). */
    public Uni<List<StoredAlert>> list(UUID workflow, List<AlertStatus> statuses, AlertType type, int limit) {
        String[] s = statuses == null ? null : statuses.stream().map(AlertStatus::wire).toArray(String[]::new);
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alerts WHERE workflow_id = $1 "
                        + "AND ($2::varchar[] IS NULL OR status = ANY($2::varchar[])) "
                        + "AND ($3::varchar IS NULL OR type = $3) ORDER BY \"timestamp\" DESC, id LIMIT $4")
                .execute(Tuple.of(workflow, s, type == null ? null : type.wire(), limit)).map(AlertRepository::all);
    }

    /** The workflow's alerts of these types raised in [from, to), oldest first. */
    public Uni<List<StoredAlert>> raised(SqlClient client, UUID workflow, List<AlertType> types, Instant from,
                                         Instant to) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM alerts WHERE workflow_id = $1 "
                        + "AND type = ANY($2::varchar[]) AND \"timestamp\" >= $3 AND \"timestamp\" < $4 "
                        + "ORDER BY \"timestamp\", id")
                .execute(Tuple.of(workflow, types.stream().map(AlertType::wire).toArray(String[]::new),
                        from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)))
                .map(AlertRepository::all);
    }

    /** The workflow's open alerts, newest first. */
    public Uni<List<StoredAlert>> open(UUID workflow) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alerts WHERE workflow_id = $1 AND status IN " + OPEN
                + " ORDER BY \"timestamp\" DESC, id").execute(Tuple.of(workflow)).map(AlertRepository::all);
    }

    /** An alert of this workflow, or null (also when it belongs to another workflow). */
    public Uni<StoredAlert> find(SqlClient client, UUID workflow, UUID id, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM alerts WHERE id = $1 AND workflow_id = $2"
                        + (lock ? " FOR UPDATE" : "")).execute(Tuple.of(id, workflow))
                .map(rows -> rows.size() == 0 ? null : alert(rows.iterator().next()));
    }

    public Uni<StoredAlert> find(UUID workflow, UUID id) {
        return find(pool, workflow, id, false);
    }

    /** The rule's open alert, locked, or null. */
    public Uni<StoredAlert> openForRule(SqlClient tx, UUID rule) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM alerts WHERE rule_id = $1 AND status IN " + OPEN
                        + " FOR UPDATE").execute(Tuple.of(rule))
                .map(rows -> rows.size() == 0 ? null : alert(rows.iterator().next()));
    }

    /** The workflow's open alerts by rule, unlocked (the evaluator's snapshot). */
    public Uni<Map<UUID, StoredAlert>> openByRule(UUID workflow) {
        return open(workflow).map(list -> {
            Map<UUID, StoredAlert> out = new HashMap<>();
            list.forEach(a -> out.put(a.ruleId(), a));
            return out;
        });
    }

    /** A new active alert and its alert_triggered event. */
    public Uni<StoredAlert> fire(SqlClient tx, AlertRule rule, Measurement m, AlertContent content, Instant now) {
        Tuple t = Tuple.from(new Object[] {UUID.randomUUID(), rule.workflowId(), rule.id(), rule.type().wire(),
                AlertContent.severity(rule.parameters(), m).wire(), content.title(), content.description(),
                utc(now), new JsonArray(content.affectedComponents()), new JsonArray(content.recommendations()),
                content.estimatedImpact(), m.value(), finite(m.fireLevel()), m.baseline()});
        return tx.preparedQuery(INSERT).execute(t).map(rows -> alert(rows.iterator().next()))
                .call(a -> publish(tx, AlertEventType.ALERT_TRIGGERED, a, now));
    }

    /** Writes the alert's new lifecycle fields and the event of the transition. */
    public Uni<StoredAlert> transition(SqlClient tx, StoredAlert a, AlertEventType event, Instant now) {
        Tuple t = Tuple.from(new Object[] {a.id(), a.status().wire(), utc(a.acknowledgedAt()), a.acknowledgedBy(),
                utc(a.suppressedUntil()), a.suppressedBy(), utc(a.resolvedAt()), a.resolvedBy(), a.resolution(),
                utc(now)});
        return tx.preparedQuery(UPDATE).execute(t).map(rows -> alert(rows.iterator().next()))
                .call(updated -> publish(tx, event, updated, now));
    }

    private Uni<Void> publish(SqlClient tx, AlertEventType type, StoredAlert a, Instant now) {
        AlertEvent event = new AlertEvent(UUID.randomUUID().toString(), EventJson.SCHEMA_VERSION, now, type,
                a.workflowId().toString(), a.toAlert(), now);
        return tx.preparedQuery(OUTBOX).execute(Tuple.of(a.workflowId(), EventJson.toString(event))).replaceWithVoid();
    }

    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }

    static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime t = row.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    private static List<StoredAlert> all(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<StoredAlert> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(alert(r)));
        return out;
    }

    private static List<String> strings(Row row, String column) {
        Object v = row.getValue(column);
        List<String> out = new ArrayList<>();
        if (v instanceof JsonArray array) {
            array.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }

    static StoredAlert alert(Row r) {
        return new StoredAlert(r.getUUID("id"), enumOf(AlertType.class, r.getString("type")),
                enumOf(AlertSeverity.class, r.getString("severity")), r.getString("title"),
                r.getString("description"), instant(r, "timestamp"),
                enumOf(AlertStatus.class, r.getString("status")), strings(r, "affected_components"),
                strings(r, "recommendations"), r.getString("estimated_impact"), r.getUUID("workflow_id"),
                r.getUUID("rule_id"), r.getDouble("value"), r.getDouble("threshold"), r.getDouble("baseline"),
                instant(r, "acknowledged_at"), r.getString("acknowledged_by"), instant(r, "suppressed_until"),
                r.getString("suppressed_by"), instant(r, "resolved_at"), r.getString("resolved_by"),
                r.getString("resolution"), instant(r, "updated_at"));
    }

    static <E extends Enum<E>> E enumOf(Class<E> type, String wire) {
        return wire == null ? null : Enum.valueOf(type, wire.toUpperCase(Locale.ROOT));
    }
}
