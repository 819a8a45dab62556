// A VFS that wraps the default one and gathers the write-ahead log's writes.
//
// SQLite writes a WAL frame as two writes (its 24-byte header, then the page), so a commit of
// 26 pages costs 52 write calls before its sync. Here they are appended to a buffer while they
// are contiguous, and the buffer is written in one call (124 KiB at most each) before anything that must see
// them: a sync (which every commit makes with synchronous=FULL, before it publishes the
// commit to readers), a read, a size query, a truncation, a file control, or a close. A write
// anywhere else (SQLite overwriting a frame of the same transaction, or the log's header)
// first flushes the buffer, then goes straight to the file. Nothing reaches another
// connection earlier or later than without the buffer: readers find frames through the
// wal-index, which SQLite updates only after the sync.
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "CWALBuffer.h"

enum { bufferCapacity = 1 << 20, largestWrite = 124 << 10 };

typedef struct WALFile {
    sqlite3_file base;
    sqlite3_file *real;
    int isWAL;
    unsigned char *buffer;  // allocated on first buffered write
    int used;
    sqlite3_int64 start;    // file offset of buffer[0]
} WALFile;

static sqlite3_vfs walVFS;
static sqlite3_vfs *realVFS;
static sqlite3_io_methods walMethods;

static int flush(WALFile *file) {
    int rc = SQLITE_OK;
    // The unix VFS writes at most 128 KiB minus one byte a call (it masks the length with
    // 0x1ffff), so a longer buffer goes out in pieces.
    for (int done = 0; done < file->used && rc == SQLITE_OK; done += largestWrite) {
        const int piece = file->used - done < largestWrite ? file->used - done : largestWrite;
        rc = file->real->pMethods->xWrite(file->real, file->buffer + done, piece, file->start + done);
    }
    file->used = 0;
    return rc;
}

static int walClose(sqlite3_file *f) {
    WALFile *file = (WALFile *)f;
    int rc = flush(file);
    int closed = file->real->pMethods->xClose(file->real);
    free(file->buffer);
    file->buffer = NULL;
    return rc != SQLITE_OK ? rc : closed;
}

static int walRead(sqlite3_file *f, void *data, int amount, sqlite3_int64 offset) {
    WALFile *file = (WALFile *)f;
    int rc = flush(file);
    if (rc != SQLITE_OK) return rc;
    return file->real->pMethods->xRead(file->real, data, amount, offset);
}

static int walWrite(sqlite3_file *f, const void *data, int amount, sqlite3_int64 offset) {
    WALFile *file = (WALFile *)f;
    if (!file->isWAL) return file->real->pMethods->xWrite(file->real, data, amount, offset);
    if (file->used > 0 && offset == file->start + file->used && file->used + amount <= bufferCapacity) {
        memcpy(file->buffer + file->used, data, (size_t)amount);
        file->used += amount;
        return SQLITE_OK;
    }
    int rc = flush(file);
    if (rc != SQLITE_OK) return rc;
    if (amount >= bufferCapacity / 2) return file->real->pMethods->xWrite(file->real, data, amount, offset);
    if (!file->buffer) {
        file->buffer = malloc(bufferCapacity);
        if (!file->buffer) return file->real->pMethods->xWrite(file->real, data, amount, offset);
    }
    memcpy(file->buffer, data, (size_t)amount);
    file->used = amount;
    file->start = offset;
    return SQLITE_OK;
}

static int walTruncate(sqlite3_file *f, sqlite3_int64 size) {
    WALFile *file = (WALFile *)f;
    int rc = flush(file);
    return rc != SQLITE_OK ? rc : file->real->pMethods->xTruncate(file->real, size);
}

static int walSync(sqlite3_file *f, int flags) {
    WALFile *file = (WALFile *)f;
    int rc = flush(file);
    return rc != SQLITE_OK ? rc : file->real->pMethods->xSync(file->real, flags);
}

static int walFileSize(sqlite3_file *f, sqlite3_int64 *size) {
    WALFile *file = (WALFile *)f;
    int rc = flush(file);
    return rc != SQLITE_OK ? rc : file->real->pMethods->xFileSize(file->real, size);
}

static int walLock(sqlite3_file *f, int lock) {
    WALFile *file = (WALFile *)f;
    return file->real->pMethods->xLock(file->real, lock);
}

static int walUnlock(sqlite3_file *f, int lock) {
    WALFile *file = (WALFile *)f;
    return file->real->pMethods->xUnlock(file->real, lock);
}

static int walCheckReservedLock(sqlite3_file *f, int *out) {
    WALFile *file = (WALFile *)f;
    return file->real->pMethods->xCheckReservedLock(file->real, out);
}

static int walFileControl(sqlite3_file *f, int op, void *arg) {
    WALFile *file = (WALFile *)f;
    int rc = flush(file);
    return rc != SQLITE_OK ? rc : file->real->pMethods->xFileControl(file->real, op, arg);
}

static int walSectorSize(sqlite3_file *f) {
    WALFile *file = (WALFile *)f;
    return file->real->pMethods->xSectorSize(file->real);
}

static int walDeviceCharacteristics(sqlite3_file *f) {
    WALFile *file = (WALFile *)f;
    return file->real->pMethods->xDeviceCharacteristics(file->real);
}

static int walShmMap(sqlite3_file *f, int region, int size, int extend, void volatile **out) {
    WALFile *file = (WALFile *)f;
    if (file->real->pMethods->iVersion < 2) return SQLITE_IOERR;
    return file->real->pMethods->xShmMap(file->real, region, size, extend, out);
}

static int walShmLock(sqlite3_file *f, int offset, int n, int flags) {
    WALFile *file = (WALFile *)f;
    if (file->real->pMethods->iVersion < 2) return SQLITE_IOERR;
    return file->real->pMethods->xShmLock(file->real, offset, n, flags);
}

static void walShmBarrier(sqlite3_file *f) {
    WALFile *file = (WALFile *)f;
    if (file->real->pMethods->iVersion < 2) return;
    file->real->pMethods->xShmBarrier(file->real);
}

static int walShmUnmap(sqlite3_file *f, int deleteFlag) {
    WALFile *file = (WALFile *)f;
    if (file->real->pMethods->iVersion < 2) return SQLITE_OK;
    return file->real->pMethods->xShmUnmap(file->real, deleteFlag);
}

static int walFetch(sqlite3_file *f, sqlite3_int64 offset, int amount, void **out) {
    WALFile *file = (WALFile *)f;
    int rc = flush(file);
    if (rc != SQLITE_OK) return rc;
    if (file->real->pMethods->iVersion < 3 || !file->real->pMethods->xFetch) {
        *out = NULL;  // no memory map: SQLite reads instead
        return SQLITE_OK;
    }
    return file->real->pMethods->xFetch(file->real, offset, amount, out);
}

static int walUnfetch(sqlite3_file *f, sqlite3_int64 offset, void *page) {
    WALFile *file = (WALFile *)f;
    if (file->real->pMethods->iVersion < 3 || !file->real->pMethods->xUnfetch) return SQLITE_OK;
    return file->real->pMethods->xUnfetch(file->real, offset, page);
}

static int walOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *outFlags) {
    (void)vfs;
    WALFile *file = (WALFile *)f;
    memset(file, 0, sizeof(WALFile));
    file->real = (sqlite3_file *)(file + 1);
    int rc = realVFS->xOpen(realVFS, name, file->real, flags, outFlags);
    if (rc != SQLITE_OK) {
        // SQLite calls no method of a file whose open failed.
        return rc;
    }
    file->isWAL = (flags & SQLITE_OPEN_WAL) != 0;
    // Only the methods the real file has: SQLite checks iVersion before the shm and fetch ones.
    file->base.pMethods = file->real->pMethods ? &walMethods : NULL;
    return SQLITE_OK;
}

// The VFS's own methods go to the default VFS with the default VFS as their argument.
static int vfsDelete(sqlite3_vfs *v, const char *name, int syncDir) { (void)v; return realVFS->xDelete(realVFS, name, syncDir); }
static int vfsAccess(sqlite3_vfs *v, const char *name, int flags, int *out) { (void)v; return realVFS->xAccess(realVFS, name, flags, out); }
static int vfsFullPathname(sqlite3_vfs *v, const char *name, int size, char *out) { (void)v; return realVFS->xFullPathname(realVFS, name, size, out); }
static void *vfsDlOpen(sqlite3_vfs *v, const char *name) { (void)v; return realVFS->xDlOpen(realVFS, name); }
static void vfsDlError(sqlite3_vfs *v, int size, char *out) { (void)v; realVFS->xDlError(realVFS, size, out); }
static void (*vfsDlSym(sqlite3_vfs *v, void *handle, const char *symbol))(void) { (void)v; return realVFS->xDlSym(realVFS, handle, symbol); }
static void vfsDlClose(sqlite3_vfs *v, void *handle) { (void)v; realVFS->xDlClose(realVFS, handle); }
static int vfsRandomness(sqlite3_vfs *v, int size, char *out) { (void)v; return realVFS->xRandomness(realVFS, size, out); }
static int vfsSleep(sqlite3_vfs *v, int microseconds) { (void)v; return realVFS->xSleep(realVFS, microseconds); }
static int vfsCurrentTime(sqlite3_vfs *v, double *out) { (void)v; return realVFS->xCurrentTime(realVFS, out); }
static int vfsGetLastError(sqlite3_vfs *v, int size, char *out) { (void)v; return realVFS->xGetLastError(realVFS, size, out); }
static int vfsCurrentTimeInt64(sqlite3_vfs *v, sqlite3_int64 *out) { (void)v; return realVFS->xCurrentTimeInt64(realVFS, out); }

static void registerVFS(void) {
    realVFS = sqlite3_vfs_find(NULL);
    if (!realVFS) return;
    walMethods = (sqlite3_io_methods){
        .iVersion = 3, .xClose = walClose, .xRead = walRead, .xWrite = walWrite, .xTruncate = walTruncate,
        .xSync = walSync, .xFileSize = walFileSize, .xLock = walLock, .xUnlock = walUnlock,
        .xCheckReservedLock = walCheckReservedLock, .xFileControl = walFileControl, .xSectorSize = walSectorSize,
        .xDeviceCharacteristics = walDeviceCharacteristics, .xShmMap = walShmMap, .xShmLock = walShmLock,
        .xShmBarrier = walShmBarrier, .xShmUnmap = walShmUnmap, .xFetch = walFetch, .xUnfetch = walUnfetch,
    };
    if (realVFS->iVersion < 2) {  // every SQLite since 3.7 has a version 2 or 3 default VFS
        realVFS = NULL;
        return;
    }
    walVFS = (sqlite3_vfs){
        .iVersion = 2, .szOsFile = (int)sizeof(WALFile) + realVFS->szOsFile, .mxPathname = realVFS->mxPathname,
        .zName = "pulse-wal-buffer", .xOpen = walOpen, .xDelete = vfsDelete, .xAccess = vfsAccess,
        .xFullPathname = vfsFullPathname, .xDlOpen = vfsDlOpen, .xDlError = vfsDlError, .xDlSym = vfsDlSym,
        .xDlClose = vfsDlClose, .xRandomness = vfsRandomness, .xSleep = vfsSleep, .xCurrentTime = vfsCurrentTime,
        .xGetLastError = vfsGetLastError, .xCurrentTimeInt64 = vfsCurrentTimeInt64,
    };
    if (sqlite3_vfs_register(&walVFS, 0) != SQLITE_OK) realVFS = NULL;
}

const char *pulse_wal_buffer_vfs(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, registerVFS);
    return realVFS ? walVFS.zName : NULL;
}
