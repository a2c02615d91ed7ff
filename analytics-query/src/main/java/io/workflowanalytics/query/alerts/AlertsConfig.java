package io.workflowanalytics.query.alerts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Alert evaluation (docs/views/alerts.md): how often, and the default rules every workflow gets. */
@ConfigMapping(prefix = "wa.alerts")
public interface AlertsConfig {

    /** Off: nothing is evaluated (stored alerts and rules stay readable and editable). */
    @WithDefault("true")
    boolean enabled();

    /** A workflow is evaluated at most this often, however many batches touch it. */
    @WithDefault("1s")
    Duration minInterval();

    /** The sweep's period: workflows with an open alert or a minimum duration running are evaluated this often. */
    @WithDefault("5s")
    String evaluateEvery();

    /** How often touched workflows are picked up for evaluation. */
    @WithDefault("1s")
    String dispatchEvery();

    Outbox outbox();

    /** The outbox drain's schedule for rows not sent right after their commit. */
    interface Outbox {
        @WithDefault("2s")
        String drainEvery();
    }

    /** How many workflows one replica evaluates at once. */
    @WithDefault("2")
    int concurrency();

    /**
     * The default rules, by name ({@code error-rate-spike}, {@code resource-exhaustion-cpu}, …). A workflow without
     * a rule of its own of a type is evaluated by the enabled defaults of that type.
     */
    Map<String, DefaultRule> defaults();

    /** One default rule: the parameters of {@link RuleParameters}, in configuration form. */
    interface DefaultRule {
        /** The alert type (wire spelling). */
        String type();

        @WithDefault("true")
        boolean enabled();

        String severity();

        double threshold();

        @WithDefault("1")
        double factor();

        @WithDefault("0")
        double minDelta();

        @WithDefault("0.8")
        double clearRatio();

        Optional<String> resource();

        Optional<String> budgetPeriod();

        @WithDefault("300")
        int windowSeconds();

        @WithDefault("86400")
        int baselineSeconds();

        @WithDefault("1")
        int minSamples();

        @WithDefault("0")
        int forSeconds();

        @WithDefault("0")
        int clearForSeconds();

        @WithDefault("0")
        int cooldownSeconds();
    }
}
