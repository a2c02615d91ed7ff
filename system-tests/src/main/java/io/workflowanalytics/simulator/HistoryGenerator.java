package io.workflowanalytics.simulator;

import io.workflowanalytics.common.events.ExecutionEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The simulator's executions as a list, for tests that send a history through the suite and check the answers
 * against the events: seeded workflows (nodes, users, versions, environments, failures, costs) with fresh random
 * workflow ids, so that runs never share data in a shared database.
 */
public final class HistoryGenerator {

    private HistoryGenerator() {
    }

    /** Started and finished events of {@code perWorkflow} executions of each workflow, starting in [start, start+span). */
    public static List<ExecutionEvent> executions(long seed, int workflows, int perWorkflow, Instant start,
                                                  Duration span) {
        Random random = new Random(seed);
        ExecutionGenerator generator = new ExecutionGenerator(random, List.of());
        List<ExecutionEvent> out = new ArrayList<>();
        for (int w = 0; w < workflows; w++) {
            WorkflowModel model = WorkflowModel.create(w, random);
            WorkflowModel fresh = new WorkflowModel(UUID.randomUUID().toString(), model.name(), model.nodes(),
                    model.users(), model.executionsPerMinute());
            for (int i = 0; i < perWorkflow; i++) {
                Instant t = start.plusMillis((long) (random.nextDouble() * span.toMillis()));
                out.addAll(generator.execution(fresh, t));
            }
        }
        out.sort(Comparator.comparing(ExecutionEvent::occurredAt));
        return out;
    }
}
