package io.chokepoint.producers.importer;

/** Why a row was rejected; the code in the reject file, stable for scripts. */
public enum RejectReason {
    MISSING_FIELD,
    BAD_HS_CODE,
    BAD_COUNTRY,
    BAD_ENUM,
    BAD_TIMESTAMP,
    NOT_A_NUMBER,
    OUT_OF_RANGE,
    INCONSISTENT,
    TOO_LONG,
    FIELD_COUNT,
    BAD_JSON,
    BAD_TYPE,
    UNKNOWN_FIELD
}
