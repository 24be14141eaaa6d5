#ifndef TEAMLOG_SUPPORT_H
#define TEAMLOG_SUPPORT_H
#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli), as in iSCSI and ext4: init 0xFFFFFFFF, reflected, final xor 0xFFFFFFFF.
/// Pass 0 as `crc` to start; pass a previous result to continue over more bytes.
uint32_t teamlog_crc32c(uint32_t crc, const void *data, size_t length);

/// MurmurHash3 x64 128-bit of `data` with `seed`; writes two 64-bit words to `out`.
void teamlog_murmur3_128(const void *data, size_t length, uint32_t seed, uint64_t out[2]);

/// XXH32 of `data` with `seed`, as used by the LZ4 frame format (header and content checksums).
uint32_t teamlog_xxh32(const void *data, size_t length, uint32_t seed);

/// Streaming XXH32 state, for the content checksum of an LZ4 frame decoded block by block.
typedef struct {
    uint64_t total_len;
    uint32_t v[4];
    uint8_t mem[16];
    uint32_t memsize;
    uint32_t seed;
} teamlog_xxh32_state;

void teamlog_xxh32_reset(teamlog_xxh32_state *state, uint32_t seed);
void teamlog_xxh32_update(teamlog_xxh32_state *state, const void *data, size_t length);
uint32_t teamlog_xxh32_digest(const teamlog_xxh32_state *state);

/// Turns off SQLite's memory statistics (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0)): with them on,
/// every SQLite allocation takes one process-wide mutex, which threads applying views in parallel
/// fight over. Only effective before SQLite's first use in the process; returns SQLite's result code
/// (0: done, 21: too late), or -1 when the program does not link SQLite.
int teamlog_sqlite_disable_memory_statistics(void);

/// Writes the current row of a stepped SQLite statement (`sqlite3_stmt *`, `columns` columns) in the
/// view fingerprint's encoding: "R", then per value a type tag (1 integer, 2 float, 3 text, 4 blob,
/// 0 null) and the value (8 bytes little-endian; text and blobs: their length in 8 bytes, then the bytes).
/// Returns the bytes written, or, when the row needs more than `capacity`, the bytes it needs (nothing
/// is written then). SIZE_MAX when the program does not link SQLite.
size_t teamlog_fingerprint_row(void *statement, int columns, uint8_t *out, size_t capacity);

/// Starts writing the file's dirty pages to disk without waiting for them (Linux `sync_file_range`
/// with SYNC_FILE_RANGE_WRITE), so that a later fsync has less left to wait for. Durability still
/// comes only from fsync. Returns 0, or -1 with errno set; 0 where the call does not exist.
int teamlog_start_writeback(int fd);

/// Restrictions on a SQLite connection (`sqlite3 *`) that runs statements users write (`teamlog sql`):
/// an authorizer denies the functions that reach beyond the data (fts3_tokenizer, whose two-argument
/// form installs a pointer to C code and whose one-argument form reveals one, and load_extension) and
/// ATTACH/DETACH; the two-argument fts3_tokenizer and load_extension are also switched off with
/// sqlite3_db_config; with `seconds` > 0, a progress handler interrupts statements (SQLITE_INTERRUPT)
/// once that many seconds have passed from now. Replaces the connection's authorizer (GRDB's: the
/// connection must only run read-only statements from then on). Returns NULL when the program does not
/// link SQLite. Remove with `teamlog_sql_guard_remove` before closing the connection.
typedef struct teamlog_sql_guard teamlog_sql_guard;
teamlog_sql_guard *teamlog_sql_guard_install(void *connection, double seconds);
/// Whether the time limit interrupted a statement.
int teamlog_sql_guard_timed_out(const teamlog_sql_guard *guard);
/// The function (or ATTACH, DETACH) the authorizer last denied, or NULL.
const char *teamlog_sql_guard_denied(const teamlog_sql_guard *guard);
/// Removes the handlers from the connection and frees the guard.
void teamlog_sql_guard_remove(void *connection, teamlog_sql_guard *guard);

#endif
