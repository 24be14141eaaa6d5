#ifndef TEAMLOG_SQLITE_SUPPORT_H
#define TEAMLOG_SQLITE_SUPPORT_H
// C shims over SQLite for the read models, for what Swift cannot call (variadic functions) or would
// wrap at length (an authorizer and a progress handler with their own state). They are compiled
// against <sqlite3.h> and link the system SQLite (libsqlite3), the same library GRDB links through
// its GRDBSQLite module (`link "sqlite3"`). The connection is passed untyped (`sqlite3 *`) so that
// this header does not declare SQLite's API a second time beside GRDBSQLite's.
#include <stddef.h>
#include <stdint.h>

/// Turns off SQLite's memory statistics (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0)): with them on,
/// every SQLite allocation takes one process-wide mutex, which threads applying views in parallel
/// fight over. Only effective before SQLite's first use in the process; returns SQLite's result code
/// (0: done, 21: too late).
int teamlog_sqlite_disable_memory_statistics(void);

/// Restrictions on a SQLite connection (`sqlite3 *`) that runs statements users write (`teamlog sql`):
/// an authorizer denies the functions that reach beyond the data (fts3_tokenizer, whose two-argument
/// form installs a pointer to C code and whose one-argument form reveals one, and load_extension) and
/// ATTACH/DETACH; the two-argument fts3_tokenizer and load_extension are also switched off with
/// sqlite3_db_config; with `seconds` > 0, a progress handler interrupts statements (SQLITE_INTERRUPT)
/// once that many seconds have passed from now. Replaces the connection's authorizer (GRDB's: the
/// connection must only run read-only statements from then on). Returns NULL when out of memory or
/// `connection` is NULL. Remove with `teamlog_sql_guard_remove` before closing the connection.
typedef struct teamlog_sql_guard teamlog_sql_guard;
teamlog_sql_guard *teamlog_sql_guard_install(void *connection, double seconds);
/// Whether the time limit interrupted a statement.
int teamlog_sql_guard_timed_out(const teamlog_sql_guard *guard);
/// The function (or ATTACH, DETACH) the authorizer last denied, or NULL.
const char *teamlog_sql_guard_denied(const teamlog_sql_guard *guard);
/// Removes the handlers from the connection and frees the guard.
void teamlog_sql_guard_remove(void *connection, teamlog_sql_guard *guard);

#endif
