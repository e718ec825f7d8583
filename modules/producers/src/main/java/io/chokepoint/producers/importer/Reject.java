package io.chokepoint.producers.importer;

/**
 * One problem with one row: where it is (line, 1-based column for CSV or 0 when the format has no
 * columns, field name) and why. A row with several bad fields gives several rejects.
 */
public record Reject(long line, int column, String field, RejectReason reason, String value, String message) {

    /** {@code file:line:column: field: message}, the shape compilers use, so editors can jump to it. */
    public String describe(String file) {
        String where = column > 0 ? file + ":" + line + ":" + column : file + ":" + line;
        return where + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + message;
    }
}
