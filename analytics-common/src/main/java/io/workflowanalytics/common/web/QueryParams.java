package io.workflowanalytics.common.web;

import io.workflowanalytics.common.events.WireEnum;
import io.workflowanalytics.common.problem.ProblemException;

import io.workflowanalytics.common.problem.Problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

    /**
     * A comma-separated list of enum wire names, in the order given without repeats; {@code fallback} when absent.
     * Unknown names are a 400 with one error per bad item, by its index.
     */
    public static <E extends Enum<E> & WireEnum> List<E> enumList(Class<E> type, String parameter, String value,
                                                                   List<E> fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Set<E> out = new LinkedHashSet<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        String[] names = value.split(",");
        for (int i = 0; i < names.length; i++) {
            try {
                E e = enumValue(type, parameter, names[i]);
                if (e != null) {
                    out.add(e);
                }
            } catch (ProblemException e) {
                errors.add(Problem.FieldError.item(i, parameter, e.errors().get(0).message(), "unknown_value"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "validation", "Invalid request", parameter + ": unknown value", errors);
        }
        return out.isEmpty() ? fallback : List.copyOf(out);
    }

    /**
     * As {@link #enumList(Class, String, String, List)} for a parameter that may be repeated as well as
     * comma-separated ({@code ?metrics=a&metrics=b,c}); items are indexed across the repeats.
     */
    public static <E extends Enum<E> & WireEnum> List<E> enumList(Class<E> type, String parameter,
                                                                   List<String> values, List<E> fallback) {
        return enumList(type, parameter, values == null || values.isEmpty() ? null : String.join(",", values),
                fallback);
    }
}
