package io.workflowanalytics.system;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** JDBC into metrics-ingest's schema, from outside the service, as an operator's psql would see it. */
public final class RawStore {

    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/analytics?currentSchema=ingest";

    private RawStore() {
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, "analytics", "analytics");
    }

    public static long count(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static long metricsOf(String workflowId) {
        return count("SELECT count(*) FROM analytics_metrics WHERE workflow_id = '" + workflowId + "'");
    }
}
