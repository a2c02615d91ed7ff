package io.workflowanalytics.common.events;

/** Classification of a failed execution or node (spec: ErrorType). */
public enum ErrorType implements WireEnum {
    VALIDATION_ERROR, API_TIMEOUT, NETWORK_ERROR, AUTHENTICATION_ERROR, DATA_PROCESSING_ERROR, RESOURCE_EXHAUSTION, CONFIGURATION_ERROR, EXTERNAL_SERVICE_ERROR
}
