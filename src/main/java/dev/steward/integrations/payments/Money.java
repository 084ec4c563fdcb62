package dev.steward.integrations.payments;

import dev.steward.actions.ToolException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;

/** An amount as the tool takes it (decimal, in a currency's units) and as the wire carries it (its smallest unit). */
record Money(BigDecimal amount, String currency) {
    /** Currencies Stripe counts in whole units: no cents on the wire. */
    private static final Set<String> ZERO_DECIMAL = Set.of("bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga",
            "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf");

    static Money of(String amount, String currency) {
        if (currency == null || !currency.strip().matches("[A-Za-z]{3}")) {
            throw new ToolException("'" + currency + "' is not a currency: write its three-letter ISO code, like USD");
        }
        String code = currency.strip().toLowerCase(Locale.ROOT);
        BigDecimal value;
        try {
            value = new BigDecimal(amount.strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw new ToolException("'" + amount + "' is not an amount: write it like 49.00");
        }
        if (value.signum() <= 0) {
            throw new ToolException("the amount must be more than zero, not " + amount);
        }
        int decimals = ZERO_DECIMAL.contains(code) ? 0 : 2;
        if (value.stripTrailingZeros().scale() > decimals) {
            throw new ToolException(amount + " " + code.toUpperCase(Locale.ROOT) + " has more than " + decimals
                    + " decimals; round it to a whole " + (decimals == 0 ? "unit" : "cent"));
        }
        return new Money(value.setScale(decimals), code);
    }

    /** The amount in the currency's smallest unit, as Stripe's {@code amount} fields take it. */
    long minorUnits() {
        return amount.movePointRight(amount.scale()).longValueExact();
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency.toUpperCase(Locale.ROOT);
    }
}
