package io.workflowanalytics.query.costs;

import io.workflowanalytics.common.problem.ProblemException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/** Body of PUT …/costs/budgets/{period}. */
public record BudgetRequest(
        @Schema(example = "250.00", description = "greater than 0, below 10,000,000,000, at most 4 decimals")
        BigDecimal amount,
        @Schema(example = "USD", description = "ISO 4217 code, default USD") String currency) {

    /** The largest amount the column (DECIMAL(14,4)) holds. */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999.9999");
    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");

    /** The currency to store, after checking every field; faults are 400 problems naming the field. */
    String validatedCurrency() {
        if (amount == null) {
            throw ProblemException.invalid("amount", "is required");
        }
        if (amount.signum() <= 0) {
            throw ProblemException.invalid("amount", "must be greater than 0");
        }
        if (amount.compareTo(MAX_AMOUNT) > 0) {
            throw ProblemException.invalid("amount", "must be at most " + MAX_AMOUNT.toPlainString());
        }
        if (amount.stripTrailingZeros().scale() > 4) {
            throw ProblemException.invalid("amount", "may have at most 4 decimal places");
        }
        if (currency == null) {
            return CostService.CURRENCY;
        }
        if (!CURRENCY.matcher(currency).matches()) {
            throw ProblemException.invalid("currency", "must be an ISO 4217 code of 3 upper-case letters, such as USD");
        }
        return currency;
    }
}
