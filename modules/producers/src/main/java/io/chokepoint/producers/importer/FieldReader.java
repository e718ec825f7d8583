package io.chokepoint.producers.importer;

import io.chokepoint.events.HsCode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the typed fields of one row, collecting a {@link Reject} for every field that is wrong
 * (not only the first), so a user fixes a row in one pass. Each getter returns {@code null} when
 * the field is rejected or absent; {@link #ok()} tells whether the row can be published.
 */
public final class FieldReader {

    static final int MAX_TEXT_LENGTH = 200;
    private static final Instant EARLIEST = Instant.parse("1990-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
    private static final Set<String> COUNTRIES = countries();

    private final Row row;
    private final List<Reject> rejects;

    public FieldReader(Row row) {
        this.row = row;
        this.rejects = new ArrayList<>(row.structural());
    }

    public boolean ok() {
        return rejects.isEmpty();
    }

    public List<Reject> rejects() {
        return rejects;
    }

    public long line() {
        return row.line();
    }

    /** Free text such as ids and names: trimmed, bounded, no control characters. */
    public String text(String field, boolean required) {
        String value = raw(field, required);
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_TEXT_LENGTH) {
            return reject(field, RejectReason.TOO_LONG, value.substring(0, 40) + "…",
                    "is " + value.length() + " characters long, at most " + MAX_TEXT_LENGTH + " are allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return reject(field, RejectReason.INCONSISTENT, value, "contains a control character at position " + (i + 1));
            }
        }
        return value;
    }

    /** An HS-6 code; {@code 8505.11} is normalised to {@code 850511}. */
    public String hsCode(String field) {
        String value = raw(field, true);
        if (value == null) {
            return null;
        }
        return HsCode.normalise(value).orElseGet(() -> reject(field, RejectReason.BAD_HS_CODE, value,
                "'" + value + "' is not an HS-6 code (six digits such as 850511, or 8505.11)"));
    }

    /** An ISO 3166-1 alpha-2 country, upper-cased; {@code EU} is accepted as trade statistics use it. */
    public String country(String field) {
        String value = raw(field, true);
        if (value == null) {
            return null;
        }
        String code = value.toUpperCase(Locale.ROOT);
        if (COUNTRIES.contains(code)) {
            return code;
        }
        String hint = switch (code) {
            case "UK" -> " (the United Kingdom is GB)";
            case "USA" -> " (use US)";
            case "CHN", "PRC" -> " (use CN)";
            default -> "";
        };
        return reject(field, RejectReason.BAD_COUNTRY, value, "'" + value + "' is not an ISO 3166-1 alpha-2 country code" + hint);
    }

    /** One of the listed symbols, case-insensitively. */
    public <E extends Enum<E>> E enumValue(String field, Class<E> type, Set<E> allowed) {
        String value = raw(field, true);
        if (value == null) {
            return null;
        }
        String symbol = value.toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        for (E e : allowed) {
            if (e.name().equals(symbol)) {
                return e;
            }
        }
        return reject(field, RejectReason.BAD_ENUM, value, "'" + value + "' is not one of "
                + String.join(", ", allowed.stream().map(Enum::name).toList()));
    }

    /** An ISO-8601 date-time with a UTC offset ({@code Z} or {@code +08:00}), between 1990 and 2100. */
    public Instant timestamp(String field, boolean required) {
        String value = raw(field, required);
        if (value == null) {
            return null;
        }
        Instant instant = IsoInstants.parseOrNull(value);
        if (instant == null) {
            try {
                instant = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return reject(field, RejectReason.BAD_TIMESTAMP, value, "'" + value + "' " + whyNotATimestamp(value));
            }
        }
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            return reject(field, RejectReason.OUT_OF_RANGE, value, "'" + value + "' is outside 1990-01-01 .. 2099-12-31");
        }
        return instant;
    }

    private static String whyNotATimestamp(String value) {
        if (parses(() -> LocalDateTime.parse(value))) {
            return "has no UTC offset; add Z or an offset such as +08:00";
        }
        if (parses(() -> LocalDate.parse(value))) {
            return "is a date without a time; write e.g. " + value + "T00:00:00Z";
        }
        return "is not an ISO-8601 date-time with offset such as 2025-04-09T12:01:00-04:00";
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** A finite decimal number in [min, max]. */
    public Double number(String field, boolean required, double min, double max) {
        String value = raw(field, required);
        if (value == null) {
            return null;
        }
        double number;
        try {
            number = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return reject(field, RejectReason.NOT_A_NUMBER, value, "'" + value + "' is not a number");
        }
        if (!Double.isFinite(number)) {
            return reject(field, RejectReason.NOT_A_NUMBER, value, "'" + value + "' is not a finite number");
        }
        if (number < min || number > max) {
            return reject(field, RejectReason.OUT_OF_RANGE, value, value + " is outside " + plain(min) + " .. " + plain(max));
        }
        return number;
    }

    /** A rule across fields failed, e.g. the same country on both sides. */
    public void inconsistent(String field, String value, String message) {
        reject(field, RejectReason.INCONSISTENT, value, message);
    }

    private String raw(String field, boolean required) {
        String value = row.values().get(field);
        if (value != null) {
            value = value.strip();
        }
        if (value == null || value.isEmpty()) {
            if (required) {
                reject(field, RejectReason.MISSING_FIELD, "", "is required but empty");
            }
            return null;
        }
        return value;
    }

    private <T> T reject(String field, RejectReason reason, String value, String message) {
        rejects.add(new Reject(row.line(), row.columnOf(field), field, reason, value, message));
        return null;
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static Set<String> countries() {
        Set<String> codes = new TreeSet<>(Arrays.asList(Locale.getISOCountries()));
        codes.add("EU");
        return Set.copyOf(codes);
    }
}
