package org.meshledger.web.portal;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.json.Decimals;

/** How field values read on a page: money with its currency, addresses on one line, times in UTC. */
final class FieldText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private FieldText() {
    }

    static String of(JsonNode value) {
        if (value == null || value.isNull()) {
            return "—";
        }
        if (value.isObject() && value.has("amount") && value.has("currency")) {
            return value.path("currency").asText() + " " + amount(value.path("amount").asText());
        }
        if (value.isObject() && value.has("line1")) {
            StringBuilder address = new StringBuilder(value.path("line1").asText());
            for (String part : new String[] {"line2", "city", "region", "postalCode", "country"}) {
                if (value.hasNonNull(part) && !value.path(part).asText().isBlank()) {
                    address.append(", ").append(value.path(part).asText());
                }
            }
            return address.toString();
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** The value a form starts from: an amount's number, else the display text. */
    static String plain(JsonNode value) {
        if (value != null && value.isObject() && value.has("amount")) {
            return value.path("amount").asText();
        }
        return value == null || value.isNull() ? null : value.isValueNode() ? value.asText() : of(value);
    }

    static String amount(String amount) {
        try {
            NumberFormat format = NumberFormat.getNumberInstance(Locale.US);
            format.setMinimumFractionDigits(2);
            format.setMaximumFractionDigits(4);
            return format.format(Decimals.parse(amount));
        } catch (NumberFormatException e) {
            return amount;
        }
    }

    static String time(Instant time) {
        return time == null ? "—" : TIME.format(time);
    }
}
