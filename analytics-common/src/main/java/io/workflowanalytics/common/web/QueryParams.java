package io.workflowanalytics.common.web;

import io.workflowanalytics.common.events.WireEnum;
import io.workflowanalytics.common.problem.ProblemException;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Parsing of request parameters into the contracts' types, with 400 problems that name the parameter. */
public final class QueryParams {

    private static final Pattern UUID_PATTERN =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private QueryParams() {
    }

    /** A required UUID in canonical lower-case form; else a 400 naming the parameter. */
    public static String uuid(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(parameter, "is required");
        }
        if (!UUID_PATTERN.matcher(value).matches()) {
            throw ProblemException.invalid(parameter, "must be a UUID such as 3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10");
        }
        return value.toLowerCase(Locale.ROOT);
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

    /** {@code true} or {@code false} (any case), {@code fallback} when absent; else a 400 naming the parameter. */
    public static boolean bool(String parameter, String value, boolean fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.invalid(parameter, "must be true or false");
        };
    }
}
