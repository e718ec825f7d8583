package io.chokepoint.producers.importer;

import java.io.IOException;

/**
 * Raised inside {@link ValidatingReader}: the bytes are not acceptable text. An {@link IOException}
 * so it travels through readers and parsers (commons-csv, {@code BufferedReader}) unchanged; the
 * row sources turn it into a {@link BadFileException}.
 */
final class BadInputException extends IOException {

    BadInputException(String message) {
        super(message);
    }
}
