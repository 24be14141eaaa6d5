#include "CTeamlogSupport.h"

// Declared here rather than through <sqlite3.h>, and weak: this target does not link SQLite; in a
// program that does (through GRDB), the symbol resolves to SQLite's, and elsewhere it stays null.
extern int sqlite3_config(int option, ...) __attribute__((weak));

enum { TEAMLOG_SQLITE_CONFIG_MEMSTATUS = 9 };  // SQLITE_CONFIG_MEMSTATUS in sqlite3.h

int teamlog_sqlite_disable_memory_statistics(void) {
    if (sqlite3_config == 0) return -1;
    return sqlite3_config(TEAMLOG_SQLITE_CONFIG_MEMSTATUS, 0);
}
