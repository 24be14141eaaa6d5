#include "CSQLiteSupport.h"
#include <sqlite3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/// Virtual machine instructions between two looks at the clock.
enum { TEAMLOG_PROGRESS_STEPS = 1000 };

struct teamlog_sql_guard {
    int has_deadline;
    struct timespec deadline;
    int timed_out;
    char denied[32];
};

/// Functions that reach beyond the data: fts3_tokenizer hands out (one argument) and installs (two)
/// pointers to C code; load_extension loads a shared library into the process.
static const char *const denied_functions[] = {"fts3_tokenizer", "load_extension"};

static void note_denied(teamlog_sql_guard *guard, const char *what) {
    strncpy(guard->denied, what, sizeof guard->denied - 1);
    guard->denied[sizeof guard->denied - 1] = 0;
}

static int authorize(void *context, int action, const char *first, const char *second, const char *database,
                     const char *trigger) {
    (void)first, (void)database, (void)trigger;
    teamlog_sql_guard *guard = context;
    if (action == SQLITE_ATTACH || action == SQLITE_DETACH) {
        note_denied(guard, action == SQLITE_ATTACH ? "ATTACH" : "DETACH");
        return SQLITE_DENY;
    }
    if (action == SQLITE_FUNCTION && second) {
        for (size_t i = 0; i < sizeof denied_functions / sizeof denied_functions[0]; i++) {
            if (strcasecmp(second, denied_functions[i]) == 0) {
                note_denied(guard, denied_functions[i]);
                return SQLITE_DENY;
            }
        }
    }
    return SQLITE_OK;
}

static int past_deadline(void *context) {
    teamlog_sql_guard *guard = context;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > guard->deadline.tv_sec || (now.tv_sec == guard->deadline.tv_sec && now.tv_nsec >= guard->deadline.tv_nsec)) {
        guard->timed_out = 1;
        return 1;  // interrupts the statement (SQLITE_INTERRUPT)
    }
    return 0;
}

teamlog_sql_guard *teamlog_sql_guard_install(void *connection, double seconds) {
    if (!connection) return NULL;
    teamlog_sql_guard *guard = calloc(1, sizeof *guard);
    if (!guard) return NULL;
    sqlite3 *db = connection;
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, (int *)0);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)0);
    sqlite3_set_authorizer(db, authorize, guard);
    if (seconds > 0 && isfinite(seconds)) {
        if (seconds > 1e9) seconds = 1e9;  // about 31 years
        clock_gettime(CLOCK_MONOTONIC, &guard->deadline);
        time_t whole = (time_t)seconds;
        guard->deadline.tv_sec += whole;
        guard->deadline.tv_nsec += (long)((seconds - (double)whole) * 1e9);
        if (guard->deadline.tv_nsec >= 1000000000L) {
            guard->deadline.tv_sec += 1;
            guard->deadline.tv_nsec -= 1000000000L;
        }
        guard->has_deadline = 1;
        sqlite3_progress_handler(db, TEAMLOG_PROGRESS_STEPS, past_deadline, guard);
    }
    return guard;
}

int teamlog_sql_guard_timed_out(const teamlog_sql_guard *guard) {
    return guard ? guard->timed_out : 0;
}

const char *teamlog_sql_guard_denied(const teamlog_sql_guard *guard) {
    return guard && guard->denied[0] ? guard->denied : NULL;
}

void teamlog_sql_guard_remove(void *connection, teamlog_sql_guard *guard) {
    if (!guard) return;
    sqlite3 *db = connection;
    if (db) {
        sqlite3_progress_handler(db, 0, NULL, NULL);
        sqlite3_set_authorizer(db, NULL, NULL);
    }
    free(guard);
}
