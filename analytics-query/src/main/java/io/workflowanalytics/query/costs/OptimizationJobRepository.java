package io.workflowanalytics.query.costs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Stores and reads cost optimisation jobs; a job is only ever read through its own workflow. */
@ApplicationScoped
public class OptimizationJobRepository {

    private static final String COLUMNS = "id, workflow_id, status, optimization_ids, estimated_savings, plan::text, "
            + "scheduled_for, created_by, created_at";
    private static final String INSERT = """
            INSERT INTO optimization_jobs (id, workflow_id, status, optimization_ids, estimated_savings, plan,
                                           scheduled_for, created_by)
            VALUES ($1, $2, $3, $4, $5::text::numeric, $6::text::jsonb, $7, $8)
            RETURNING\s""" + COLUMNS;
    private static final String FIND = "SELECT " + COLUMNS
            + " FROM optimization_jobs WHERE id = $1 AND workflow_id = $2";
    private static final TypeReference<List<ImplementationStep>> PLAN = new TypeReference<>() {
    };

    private final Pool pool;
    private final ObjectMapper json;

    public OptimizationJobRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    public Uni<OptimizationJob> insert(UUID workflow, String status, List<String> optimizationIds,
                                       BigDecimal estimatedSavings, List<ImplementationStep> plan,
                                       Instant scheduledFor, String createdBy) {
        Tuple params = Tuple.tuple().addUUID(UUID.randomUUID()).addUUID(workflow).addString(status)
                .addArrayOfString(optimizationIds.toArray(String[]::new))
                .addString(estimatedSavings.toPlainString()).addString(write(plan))
                .addOffsetDateTime(scheduledFor == null ? null : scheduledFor.atOffset(ZoneOffset.UTC))
                .addString(createdBy);
        return pool.preparedQuery(INSERT).execute(params).map(rows -> job(rows.iterator().next()));
    }

    /** The job, or null when there is none with this id for this workflow. */
    public Uni<OptimizationJob> find(UUID workflow, UUID id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(id, workflow))
                .map(rows -> rows.size() == 0 ? null : job(rows.iterator().next()));
    }

    private OptimizationJob job(Row row) {
        OffsetDateTime scheduled = row.getOffsetDateTime(6);
        return new OptimizationJob(row.getUUID(0).toString(), row.getUUID(1).toString(), row.getString(2),
                Arrays.asList(row.getArrayOfStrings(3)), row.getBigDecimal(4).doubleValue(), read(row.getString(5)),
                scheduled == null ? null : scheduled.toInstant().toString(), row.getString(7),
                row.getOffsetDateTime(8).toInstant().toString());
    }

    private String write(List<ImplementationStep> plan) {
        try {
            return json.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plan not serialisable", e);
        }
    }

    private List<ImplementationStep> read(String plan) {
        try {
            return json.readValue(plan, PLAN);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored plan unreadable", e);
        }
    }
}
