import Base
import CSQLite
import CWALBuffer
import Foundation

/// One SQLite connection: WAL, synchronous=FULL, foreign keys on, a busy timeout, extended
/// result codes, and a cache of prepared statements. Use it from one thread at a time
/// (``DatabaseQueue`` does that).
public final class Database {
    let handle: OpaquePointer
    public let path: String
    private var statements: [String: Statement] = [:]
    private var transactionDepth = 0
    private var commitObserver: CommitObserver?  // kept alive for SQLite's hook

    /// Opens (creating if needed) the file. `bufferingLog` gathers each commit's writes to the
    /// write-ahead log into one (see CWALBuffer); only for a connection that stays at
    /// synchronous=FULL, whose commits always sync the log.
    public init(path: String, readOnly: Bool = false, bufferingLog: Bool = false) throws {
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, bufferingLog && !readOnly ? pulse_wal_buffer_vfs() : nil)
        guard rc == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let handle { sqlite3_close_v2(handle) }
            throw DatabaseError(code: ResultCode(rc), message: "\(message): \(path)", sql: nil)
        }
        self.handle = handle
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, 5000)
        if !readOnly {
            let mode = try scalar("PRAGMA journal_mode = WAL", as: String.self)
            guard mode == "wal" else {
                throw DatabaseError(code: ResultCode(SQLITE_ERROR), message: "could not turn on WAL mode (got \(mode ?? "nothing"))", sql: nil)
            }
        }
        try execute("PRAGMA synchronous = FULL")
        try execute("PRAGMA foreign_keys = ON")
        // Deleted and overwritten content is zeroed, so that text a later scrubber would remove
        // does not linger in free pages.
        try execute("PRAGMA secure_delete = ON")
        guard try scalar("PRAGMA synchronous", as: Int.self) == 2, try scalar("PRAGMA foreign_keys", as: Int.self) == 1,
            try scalar("PRAGMA secure_delete", as: Int.self) == 1
        else {
            throw DatabaseError(code: ResultCode(SQLITE_ERROR), message: "pragmas did not take effect", sql: nil)
        }
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    private func error(_ rc: Int32, _ sql: String?) -> DatabaseError {
        DatabaseError(code: ResultCode(rc), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs SQL with no parameters (several statements allowed), for schema and pragmas.
    public func execute(_ sql: String) throws {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc, sql) }
    }

    private func statement(_ sql: String) throws -> Statement {
        if let cached = statements[sql] { return cached }
        let statement = try Statement(database: handle, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs one statement with bound values and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ values: [any SQLConvertible] = []) throws -> [Row] {
        var rows: [Row] = []
        try forEach(sql, values) { rows.append($0) }
        return rows
    }

    /// Runs one statement, handing each row to `body` as it is read.
    public func forEach(_ sql: String, _ values: [any SQLConvertible] = [], _ body: (Row) throws -> Void) throws {
        let statement = try statement(sql)
        try statement.bind(values.map(\.sqlValue))
        defer { sqlite3_reset(statement.handle) }
        while true {
            let rc = sqlite3_step(statement.handle)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw error(rc, sql) }
            let columns = statement.currentColumns()
            try body(Row(columns: columns, values: (0..<Int32(columns.count)).map { statement.column($0) }))
        }
    }

    /// Runs one statement that returns no rows; returns how many rows it changed.
    @discardableResult
    public func run(_ sql: String, _ values: [any SQLConvertible] = []) throws -> Int {
        let statement = try statement(sql)
        try statement.bind(values.map(\.sqlValue))
        defer { sqlite3_reset(statement.handle) }
        let rc = sqlite3_step(statement.handle)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw error(rc, sql) }
        return Int(sqlite3_changes(handle))
    }

    /// The first column of the first row as `type`: nil when there is no row or it is NULL.
    public func scalar<T: SQLColumnValue>(_ sql: String, _ values: [any SQLConvertible] = [], as type: T.Type) throws -> T? {
        guard let row = try query(sql, values).first else { return nil }
        return try row.get(0, as: T?.self)
    }

    /// Whether the statement returns at least one row.
    public func exists(_ sql: String, _ values: [any SQLConvertible] = []) throws -> Bool {
        try !query(sql, values).isEmpty
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs `body` in a transaction (BEGIN IMMEDIATE) that commits if it returns and rolls back
    /// if it throws; the first error wins. Nested calls use savepoints.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let depth = transactionDepth
        let savepoint = "pulse_sp\(depth)"
        // Prepared once and cached: these run for every write of a group commit.
        try run(depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT \(savepoint)")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let result = try body()
            try run(depth == 0 ? "COMMIT" : "RELEASE \(savepoint)")
            return result
        } catch {
            if depth == 0 {
                _ = try? run("ROLLBACK")
            } else {
                _ = try? run("ROLLBACK TO \(savepoint)")
                _ = try? run("RELEASE \(savepoint)")
            }
            throw error
        }
    }

    /// Runs `body` on one snapshot of the database (a deferred read transaction): what it reads
    /// in several statements belongs together, whatever other connections commit meanwhile.
    public func snapshot<T>(_ body: () throws -> T) throws -> T {
        guard transactionDepth == 0 else { return try body() }
        try run("BEGIN DEFERRED")
        transactionDepth += 1
        defer {
            transactionDepth -= 1
            _ = try? run("COMMIT")
        }
        return try body()
    }

    /// Copies the whole database to `path` with SQLite's online backup API.
    public func backup(to path: String, pagesPerStep: Int = -1, pause: Duration = .zero) throws {
        var target: OpaquePointer?
        let rc = sqlite3_open_v2(path, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard rc == SQLITE_OK, let target else { throw error(rc, nil) }
        defer { sqlite3_close_v2(target) }
        guard let backup = sqlite3_backup_init(target, "main", handle, "main") else {
            throw DatabaseError(code: ResultCode(sqlite3_errcode(target)), message: String(cString: sqlite3_errmsg(target)), sql: nil)
        }
        // One read transaction held across every step: the copy is the store as of one commit
        // while other processes go on writing (WAL), and steps of 8 MiB with a pause between
        // them let the kernel write the copy out gradually instead of in one burst that every
        // fsync of the services would wait behind.
        try execute("BEGIN")
        defer { try? execute("COMMIT") }
        _ = try query("SELECT count(*) FROM sqlite_master")
        var step: Int32
        repeat {
            step = sqlite3_backup_step(backup, Int32(pagesPerStep))
            if step == SQLITE_BUSY || step == SQLITE_LOCKED { sqlite3_sleep(10) }
            if step == SQLITE_OK, pause > .zero { usleep(UInt32(clamping: pause.inMicroseconds)) }
        } while step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED
        let finish = sqlite3_backup_finish(backup)
        guard step == SQLITE_DONE, finish == SQLITE_OK else { throw DatabaseError(code: ResultCode(step), message: "backup failed", sql: nil) }
    }

    /// Copies what it can of the write-ahead log into the database file without waiting for
    /// (or blocking) the writer or readers; returns false if another checkpoint was running.
    @discardableResult
    public func checkpointPassively() throws -> Bool {
        let rc = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        if rc == SQLITE_BUSY { return false }
        guard rc == SQLITE_OK else { throw error(rc, "checkpoint") }
        return true
    }

    /// Calls `onCommit` with the write-ahead log's length in pages after each commit of this
    /// connection, instead of SQLite's automatic checkpoint (which a hook replaces). On the
    /// connection's own thread, inside the commit.
    func observeCommits(_ onCommit: @escaping (Int) -> Void) {
        let observer = CommitObserver(onCommit)
        commitObserver = observer
        sqlite3_wal_hook(handle, { context, _, _, pages in
            Unmanaged<CommitObserver>.fromOpaque(context!).takeUnretainedValue().onCommit(Int(pages))
            return SQLITE_OK
        }, Unmanaged.passUnretained(observer).toOpaque())
    }

    /// SQLite's integrity check: empty when the file is sound, else the problems found.
    public func integrityCheck() throws -> [String] {
        let problems: [String] = try query("PRAGMA integrity_check").map { try $0.get(0) }
        return problems == ["ok"] ? [] : problems
    }
}

/// The closure of `Database.observeCommits`, kept alive for SQLite's hook.
final class CommitObserver {
    let onCommit: (Int) -> Void
    init(_ onCommit: @escaping (Int) -> Void) { self.onCommit = onCommit }
}
