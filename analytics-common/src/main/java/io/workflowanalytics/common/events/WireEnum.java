package io.workflowanalytics.common.events;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * The contracts' enums travel as the lower-case form of their constant names ({@code EXECUTION_COUNT} is
 * {@code "execution_count"}), exactly as the spec spells them. Jackson reads the same spelling back and rejects
 * any other, which is what makes an unknown enum value a validation error rather than a silent null.
 */
public interface WireEnum {

    @JsonValue
    default String wire() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
    }
}
