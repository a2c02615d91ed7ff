package io.workflowanalytics.common.events;

import java.util.Set;

/** The well-known keys of {@link AnalyticsMetric#dimensions()}; the analyses group by these. */
public final class Dimensions {

    public static final String NODE_ID = "nodeId";
    public static final String NODE_TYPE = "nodeType";
    public static final String EXECUTION_ID = "executionId";
    public static final String USER_ID = "userId";
    public static final String USER_TYPE = "userType";
    public static final String COUNTRY = "country";
    public static final String REGION = "region";
    public static final String DEVICE_TYPE = "deviceType";
    public static final String VERSION = "version";
    public static final String ENVIRONMENT = "environment";
    public static final String ERROR_TYPE = "errorType";
    public static final String COST_COMPONENT = "costComponent";

    public static final Set<String> WELL_KNOWN = Set.of(NODE_ID, NODE_TYPE, EXECUTION_ID, USER_ID, USER_TYPE,
            COUNTRY, REGION, DEVICE_TYPE, VERSION, ENVIRONMENT, ERROR_TYPE, COST_COMPONENT);

    private Dimensions() {
    }
}
