#ifndef TEAMLOG_FILE_SUPPORT_H
#define TEAMLOG_FILE_SUPPORT_H

/// Starts writing the file's dirty pages to disk without waiting for them (Linux `sync_file_range`
/// with SYNC_FILE_RANGE_WRITE), so that a later fsync has less left to wait for. Durability still
/// comes only from fsync. Returns 0, or -1 with errno set; 0 where the call does not exist.
int teamlog_start_writeback(int fd);

#endif
