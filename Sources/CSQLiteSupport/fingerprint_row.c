#include "CSQLiteSupport.h"
#include <sqlite3.h>
#include <string.h>

// Each column is fetched once as a value (`sqlite3_column_value`), then read with the `sqlite3_value_*`
// functions: the `sqlite3_column_*` accessors would each repeat the statement's bookkeeping, and the
// row loop called four of them per text column. The connection is used by one thread at a time, so
// the unprotected values are safe to read.

/// Columns whose values are kept between the sizing pass and the writing pass; wider rows fetch
/// the rest again.
enum { TEAMLOG_KEPT_COLUMNS = 64 };

static void put_u64(uint8_t *out, size_t *at, uint64_t value) {
    for (int i = 0; i < 8; i++) out[*at + i] = (uint8_t)(value >> (8 * i));  // little-endian
    *at += 8;
}

static sqlite3_value *column_value(sqlite3_stmt *stmt, sqlite3_value **kept, int column) {
    return column < TEAMLOG_KEPT_COLUMNS ? kept[column] : sqlite3_column_value(stmt, column);
}

size_t teamlog_fingerprint_row(void *statement, int columns, uint8_t *out, size_t capacity) {
    sqlite3_stmt *stmt = (sqlite3_stmt *)statement;
    sqlite3_value *kept[TEAMLOG_KEPT_COLUMNS];
    // The size first, so that nothing is written unless the whole row fits.
    size_t needed = 1;
    for (int column = 0; column < columns; column++) {
        sqlite3_value *value = sqlite3_column_value(stmt, column);
        if (column < TEAMLOG_KEPT_COLUMNS) kept[column] = value;
        switch (sqlite3_value_type(value)) {
        case SQLITE_INTEGER:
        case SQLITE_FLOAT: needed += 9; break;
        case SQLITE_TEXT:
        case SQLITE_BLOB: needed += 9 + (size_t)sqlite3_value_bytes(value); break;
        default: needed += 1; break;
        }
    }
    if (needed > capacity) return needed;
    size_t at = 0;
    out[at++] = 0x52;  // "R"
    for (int column = 0; column < columns; column++) {
        sqlite3_value *value = column_value(stmt, kept, column);
        switch (sqlite3_value_type(value)) {
        case SQLITE_INTEGER:
            out[at++] = 1;
            put_u64(out, &at, (uint64_t)sqlite3_value_int64(value));
            break;
        case SQLITE_FLOAT: {
            out[at++] = 2;
            double number = sqlite3_value_double(value);
            uint64_t bits;
            memcpy(&bits, &number, sizeof bits);
            put_u64(out, &at, bits);
            break;
        }
        case SQLITE_TEXT: {
            out[at++] = 3;
            const unsigned char *text = sqlite3_value_text(value);
            size_t count = (size_t)sqlite3_value_bytes(value);
            put_u64(out, &at, count);
            if (text && count > 0) { memcpy(out + at, text, count); at += count; }
            break;
        }
        case SQLITE_BLOB: {
            out[at++] = 4;
            const void *blob = sqlite3_value_blob(value);
            size_t count = (size_t)sqlite3_value_bytes(value);
            put_u64(out, &at, count);
            if (blob && count > 0) { memcpy(out + at, blob, count); at += count; }
            break;
        }
        default:
            out[at++] = 0;
            break;
        }
    }
    return at;
}
