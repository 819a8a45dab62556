#ifndef CWALBUFFER_H
#define CWALBUFFER_H

/// Registers (once) the SQLite VFS "pulse-wal-buffer": the default VFS, except that the
/// write-ahead log's writes are gathered in memory and written in one call when SQLite syncs
/// the log (at every commit, with synchronous=FULL), reads it, or asks its size. Returns its
/// name, or NULL if it could not be registered.
const char *pulse_wal_buffer_vfs(void);

#endif
