package io.chokepoint.events;

import java.util.Optional;
import java.util.regex.Pattern;

/** Harmonized System commodity codes at the 6-digit level, the key of every Chokepoint topic. */
public final class HsCode {

    private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");
    private static final Pattern DOTTED = Pattern.compile("\\d{4}\\.\\d{2}");

    private HsCode() {
    }

    /**
     * Normalises {@code 850511} or {@code 8505.11} to {@code 850511}; empty when the text is not an HS-6 code.
     */
    public static Optional<String> normalise(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.strip();
        if (SIX_DIGITS.matcher(trimmed).matches()) {
            return Optional.of(trimmed);
        }
        if (DOTTED.matcher(trimmed).matches()) {
            return Optional.of(trimmed.replace(".", ""));
        }
        return Optional.empty();
    }

    public static boolean isValid(String text) {
        return text != null && SIX_DIGITS.matcher(text).matches();
    }
}
