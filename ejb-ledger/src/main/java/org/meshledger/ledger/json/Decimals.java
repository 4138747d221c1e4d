package org.meshledger.ledger.json;

import java.math.BigDecimal;

/**
 * Decimal numbers from outside (a connector's data or mapping, a portal form, a query parameter),
 * bounded before anything works on them. {@code new BigDecimal("1e999999999")} itself is cheap, but
 * {@code toPlainString}, {@code setScale}, arithmetic or comparing it with a number of another scale
 * then builds a billion digits: a few characters can burn a core and gigabytes. So a text longer than
 * {@value #MAX_LENGTH} characters is refused before it is parsed, and a number whose exponent (in
 * scientific notation) lies outside ±{@value #MAX_EXPONENT}, or that has more than
 * {@value #MAX_DIGITS} digits, is refused before anything else touches it.
 *
 * <p>Threads: stateless, any. Failure: a {@link NumberFormatException}, so that the callers'
 * handling of malformed numbers covers hostile ones too; one out of bounds is an {@link OutOfBounds},
 * whose message says what the bound is (never the whole offending text) for callers that tell the
 * two apart.
 */
public final class Decimals {

    /** Characters of a decimal text, sign and exponent included. */
    public static final int MAX_LENGTH = 64;
    /** Largest magnitude of the exponent in scientific notation (1E+1000, 1E-1000). */
    public static final int MAX_EXPONENT = 1000;
    /** Digits of the unscaled value. */
    public static final int MAX_DIGITS = 64;

    private Decimals() {
    }

    /**
     * Parses a decimal text within the bounds.
     *
     * @throws NumberFormatException if the text is no number
     * @throws OutOfBounds if the text is too long or the number out of the bounds
     */
    public static BigDecimal parse(String text) {
        if (text == null) {
            throw new NumberFormatException("no number");
        }
        if (text.length() > MAX_LENGTH) {
            throw new OutOfBounds("a decimal number is at most " + MAX_LENGTH + " characters long, not "
                    + text.length());
        }
        BigDecimal number;
        try {
            number = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("'" + text + "' is not a decimal number");
        }
        return bounded(number, text);
    }

    /**
     * The number itself if it is within the bounds, e.g. one a JSON parser has made.
     *
     * @throws OutOfBounds if it has too many digits or its exponent is out of range
     */
    public static BigDecimal bounded(BigDecimal number) {
        return bounded(number, null);
    }

    /** Whether {@link #bounded} accepts the number. */
    public static boolean isBounded(BigDecimal number) {
        return refusal(number) == null;
    }

    private static BigDecimal bounded(BigDecimal number, String text) {
        String why = refusal(number);
        if (why != null) {
            throw new OutOfBounds((text == null ? "a number" : "'" + text + "'") + " " + why);
        }
        return number;
    }

    /** Why the number is out of bounds, or null. Reads only its scale and precision (cheap for any). */
    private static String refusal(BigDecimal number) {
        // The scale alone first: precision() of a number with a billion digits is itself work.
        long scale = number.scale();
        if (Math.abs(scale) > MAX_EXPONENT + (long) MAX_DIGITS) {
            return outOfRange();
        }
        int digits = number.precision();
        if (digits > MAX_DIGITS) {
            return "has " + digits + " digits; a decimal number has at most " + MAX_DIGITS;
        }
        long exponent = digits - scale - 1;
        if (number.signum() != 0 && Math.abs(exponent) > MAX_EXPONENT) {
            return outOfRange();
        }
        return null;
    }

    private static String outOfRange() {
        return "is out of range: a decimal number's exponent is between -" + MAX_EXPONENT + " and " + MAX_EXPONENT;
    }

    /** A number (or text) refused for its size, not its form; the message says the bound. */
    public static final class OutOfBounds extends NumberFormatException {

        private static final long serialVersionUID = 1L;

        OutOfBounds(String message) {
            super(message);
        }
    }
}
