#include "CTeamlogSupport.h"
#include <string.h>

// SQLite's column accessors, declared here rather than through <sqlite3.h> and weak, as in
// sqlite_tuning.c: this target does not link SQLite; programs that fingerprint views do (through GRDB).
typedef struct sqlite3_stmt sqlite3_stmt;
extern int sqlite3_column_type(sqlite3_stmt *, int) __attribute__((weak));
extern long long sqlite3_column_int64(sqlite3_stmt *, int) __attribute__((weak));
extern double sqlite3_column_double(sqlite3_stmt *, int) __attribute__((weak));
extern const unsigned char *sqlite3_column_text(sqlite3_stmt *, int) __attribute__((weak));
extern const void *sqlite3_column_blob(sqlite3_stmt *, int) __attribute__((weak));
extern int sqlite3_column_bytes(sqlite3_stmt *, int) __attribute__((weak));

enum { TEAMLOG_SQLITE_INTEGER = 1, TEAMLOG_SQLITE_FLOAT = 2, TEAMLOG_SQLITE_TEXT = 3, TEAMLOG_SQLITE_BLOB = 4 };

static void put_u64(uint8_t *out, size_t *at, uint64_t value) {
    for (int i = 0; i < 8; i++) out[*at + i] = (uint8_t)(value >> (8 * i));  // little-endian
    *at += 8;
}

size_t teamlog_fingerprint_row(void *statement, int columns, uint8_t *out, size_t capacity) {
    sqlite3_stmt *stmt = (sqlite3_stmt *)statement;
    if (sqlite3_column_type == 0) return SIZE_MAX;
    // The size first, so that nothing is written unless the whole row fits.
    size_t needed = 1;
    for (int column = 0; column < columns; column++) {
        switch (sqlite3_column_type(stmt, column)) {
        case TEAMLOG_SQLITE_INTEGER:
        case TEAMLOG_SQLITE_FLOAT: needed += 9; break;
        case TEAMLOG_SQLITE_TEXT:
        case TEAMLOG_SQLITE_BLOB: needed += 9 + (size_t)sqlite3_column_bytes(stmt, column); break;
        default: needed += 1; break;
        }
    }
    if (needed > capacity) return needed;
    size_t at = 0;
    out[at++] = 0x52;  // "R"
    for (int column = 0; column < columns; column++) {
        switch (sqlite3_column_type(stmt, column)) {
        case TEAMLOG_SQLITE_INTEGER:
            out[at++] = 1;
            put_u64(out, &at, (uint64_t)sqlite3_column_int64(stmt, column));
            break;
        case TEAMLOG_SQLITE_FLOAT: {
            out[at++] = 2;
            double value = sqlite3_column_double(stmt, column);
            uint64_t bits;
            memcpy(&bits, &value, sizeof bits);
            put_u64(out, &at, bits);
            break;
        }
        case TEAMLOG_SQLITE_TEXT: {
            out[at++] = 3;
            size_t count = (size_t)sqlite3_column_bytes(stmt, column);
            const unsigned char *text = sqlite3_column_text(stmt, column);
            put_u64(out, &at, count);
            if (text && count > 0) { memcpy(out + at, text, count); at += count; }
            break;
        }
        case TEAMLOG_SQLITE_BLOB: {
            out[at++] = 4;
            const void *blob = sqlite3_column_blob(stmt, column);
            size_t count = (size_t)sqlite3_column_bytes(stmt, column);
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
