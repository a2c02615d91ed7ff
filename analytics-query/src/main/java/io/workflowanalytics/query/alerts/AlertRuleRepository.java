package io.workflowanalytics.query.alerts;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.events.AlertSeverity;
import io.workflowanalytics.common.events.AlertType;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.workflowanalytics.query.alerts.AlertRepository.enumOf;
import static io.workflowanalytics.query.alerts.AlertRepository.instant;
import static io.workflowanalytics.query.alerts.AlertRepository.utc;

/** The alert_rules table: rules, materialised defaults and their evaluation state. */
@ApplicationScoped
public class AlertRuleRepository {

    private static final String PARAMETERS = "type, enabled, severity, threshold, factor, min_delta, clear_ratio, "
            + "resource, budget_period, window_seconds, baseline_seconds, min_samples, for_seconds, clear_for_seconds, "
            + "cooldown_seconds";
    private static final String COLUMNS = "id, workflow_id, default_key, " + PARAMETERS + ", created_by, created_at, "
            + "updated_at, pending_since, clear_since, quiet_until";
    private static final String INSERT = "INSERT INTO alert_rules (workflow_id, default_key, " + PARAMETERS
            + ", created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) ";

    private final Pool pool;

    public AlertRuleRepository(Pool pool) {
        this.pool = pool;
    }

    /** The workflow's rules, own ones first, then by type and creation. */
    public Uni<List<AlertRule>> list(UUID workflow) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alert_rules WHERE workflow_id = $1 "
                        + "ORDER BY default_key IS NOT NULL, type, created_at, id").execute(Tuple.of(workflow))
                .map(rows -> {
                    List<AlertRule> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(rule(r)));
                    return out;
                });
    }

    /**
     * The workflow's rules sorted into those that evaluate it and those retired ({@link DefaultRules#select}), after
     * materialising the defaults that apply to it for the first time.
     */
    public Uni<DefaultRules.Selection> selection(UUID workflow, DefaultRules defaults) {
        return list(workflow).chain(stored -> {
            DefaultRules.Selection s = defaults.select(stored);
            if (s.missingDefaults().isEmpty()) {
                return Uni.createFrom().item(s);
            }
            Map<String, RuleParameters> missing = new java.util.LinkedHashMap<>();
            s.missingDefaults().forEach(name -> missing.put(name, defaults.named(name)));
            return materialise(workflow, missing).chain(() -> list(workflow)).map(defaults::select);
        });
    }

    /** A rule of this workflow (null when absent or another workflow's), locked when {@code lock}. */
    public Uni<AlertRule> find(SqlClient client, UUID workflow, UUID id, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM alert_rules WHERE id = $1 AND workflow_id = $2"
                        + (lock ? " FOR UPDATE" : "")).execute(Tuple.of(id, workflow))
                .map(rows -> rows.size() == 0 ? null : rule(rows.iterator().next()));
    }

    public Uni<AlertRule> find(UUID workflow, UUID id) {
        return find(pool, workflow, id, false);
    }

    public Uni<AlertRule> insert(SqlClient tx, UUID workflow, RuleParameters p, String by) {
        return tx.preparedQuery(INSERT + "RETURNING " + COLUMNS).execute(params(workflow, null, p, by))
                .map(rows -> rule(rows.iterator().next()));
    }

    /** Materialises configured defaults for a workflow; one already there is left as it is. */
    public Uni<Void> materialise(UUID workflow, Map<String, RuleParameters> defaults) {
        if (defaults.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>();
        defaults.forEach((name, p) -> batch.add(params(workflow, name, p, "default")));
        return pool.preparedQuery(INSERT + "ON CONFLICT (workflow_id, default_key) WHERE default_key IS NOT NULL "
                + "DO NOTHING").executeBatch(batch).replaceWithVoid();
    }

    /** Replaces a rule's parameters; a default rule becomes the workflow's own. Its evaluation state restarts. */
    public Uni<AlertRule> update(SqlClient tx, UUID id, RuleParameters p) {
        return tx.preparedQuery("UPDATE alert_rules SET (default_key, " + PARAMETERS + ", updated_at, pending_since, "
                        + "clear_since) = (NULL, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
                        + "now(), NULL, NULL) WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.from(new Object[] {id, p.type().wire(), p.enabled(), p.severity().wire(),
                        p.threshold(), p.factor(), p.minDelta(), p.clearRatio(), p.resource(), p.budgetPeriod(),
                        p.windowSeconds(), p.baselineSeconds(), p.minSamples(), p.forSeconds(),
                        p.clearForSeconds(), p.cooldownSeconds()}))
                .map(rows -> rule(rows.iterator().next()));
    }

    public Uni<Void> state(SqlClient tx, UUID id, AlertStateMachine.State s) {
        return tx.preparedQuery("UPDATE alert_rules SET pending_since = $2, clear_since = $3, quiet_until = $4 "
                        + "WHERE id = $1").execute(Tuple.of(id, utc(s.pendingSince()), utc(s.clearSince()),
                        utc(s.quietUntil()))).replaceWithVoid();
    }

    public Uni<Boolean> delete(SqlClient tx, UUID id) {
        return tx.preparedQuery("DELETE FROM alert_rules WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.rowCount() > 0);
    }

    private static Tuple params(UUID workflow, String defaultKey, RuleParameters p, String by) {
        return Tuple.from(new Object[] {workflow, defaultKey, p.type().wire(), p.enabled(), p.severity().wire(),
                p.threshold(), p.factor(), p.minDelta(), p.clearRatio(), p.resource(), p.budgetPeriod(),
                p.windowSeconds(), p.baselineSeconds(), p.minSamples(), p.forSeconds(), p.clearForSeconds(),
                p.cooldownSeconds(), by});
    }

    static AlertRule rule(Row r) {
        return new AlertRule(r.getUUID("id"), r.getUUID("workflow_id"), enumOf(AlertType.class, r.getString("type")),
                r.getBoolean("enabled"), r.getString("default_key"),
                enumOf(AlertSeverity.class, r.getString("severity")), r.getDouble("threshold"),
                r.getDouble("factor"), r.getDouble("min_delta"), r.getDouble("clear_ratio"), r.getString("resource"),
                r.getString("budget_period"), r.getInteger("window_seconds"), r.getInteger("baseline_seconds"),
                r.getInteger("min_samples"), r.getInteger("for_seconds"), r.getInteger("clear_for_seconds"),
                r.getInteger("cooldown_seconds"), r.getString("created_by"), instant(r, "created_at"),
                instant(r, "updated_at"), instant(r, "pending_since"), instant(r, "clear_since"),
                instant(r, "quiet_until"));
    }
}
