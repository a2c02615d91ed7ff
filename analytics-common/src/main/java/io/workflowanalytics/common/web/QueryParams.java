package io.workflowanalytics.common.web;

import io.workflowanalytics.common.events.WireEnum;
import io.workflowanalytics.common.problem.ProblemException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Parsing of request parameters into the contracts' types, with 400 problems that name the parameter. */
public final class QueryParams {

    private QueryParams() {
    }

    /** The enum constant spelled {@code value} on the wire, null when absent; else a 400 listing the choices. */
    public static <E extends Enum<E> & WireEnum> E enumValue(Class<E> type, String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.wire().equals(value.trim())) {
                return constant;
            }
        }
        throw ProblemException.invalid(parameter, "must be one of " + Arrays.stream(type.getEnumConstants())
                .map(WireEnum::wire).collect(Collectors.joining(", ")));
    }
}
