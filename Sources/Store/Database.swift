import Base
import CSQLite
import CWALBuffer
import Foundation

/// A value bound to or read from SQLite.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var int: Int? { if case .integer(let v) = self { return Int(v) } else { return nil } }
    public var int64: Int64? { if case .integer(let v) = self { return v } else { return nil } }
    public var double: Double? {
        switch self {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }
    public var string: String? { if case .text(let v) = self { return v } else { return nil } }
    public var bytes: [UInt8]? { if case .blob(let v) = self { return v } else { return nil } }
    public var isNull: Bool { self == .null }
}

public protocol SQLConvertible { var sqlValue: SQLValue { get } }
extension Int: SQLConvertible { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int64: SQLConvertible { public var sqlValue: SQLValue { .integer(self) } }
extension Double: SQLConvertible { public var sqlValue: SQLValue { .real(self) } }
extension String: SQLConvertible { public var sqlValue: SQLValue { .text(self) } }
extension Bool: SQLConvertible { public var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension [UInt8]: SQLConvertible { public var sqlValue: SQLValue { .blob(self) } }
extension SQLValue: SQLConvertible { public var sqlValue: SQLValue { self } }
extension Optional: SQLConvertible where Wrapped: SQLConvertible {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// One result row, by column index or name.
public struct Row: Sendable {
    public let columns: [String]
    public let values: [SQLValue]

    public subscript(_ index: Int) -> SQLValue { values[index] }
    public subscript(_ name: String) -> SQLValue {
        guard let i = columns.firstIndex(of: name) else { preconditionFailure("no column \(name)") }
        return values[i]
    }
}

/// A SQLite result code: primary codes match their extended codes.
public struct ResultCode: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(_ rawValue: Int32) { self.rawValue = rawValue }
    public var primary: Int32 { rawValue & 0xFF }
    public var description: String { String(cString: sqlite3_errstr(rawValue)) }

    public static let constraint = ResultCode(SQLITE_CONSTRAINT)
    public static let busy = ResultCode(SQLITE_BUSY)
    public static let full = ResultCode(SQLITE_FULL)
    public static let corrupt = ResultCode(SQLITE_CORRUPT)
    public static let notADatabase = ResultCode(SQLITE_NOTADB)
}

/// A SQLite failure. Bound values never appear in it: only the code, SQLite's message and the SQL.
public struct DatabaseError: Error, Sendable, CustomStringConvertible, RPCErrorConvertible {
    public var code: ResultCode
    public var message: String
    public var sql: String?

    public var description: String { "SQLite error \(code.rawValue) (\(code)): \(message)" + (sql.map { " in \($0)" } ?? "") }

    /// How a storage failure reaches a caller.
    public var rpcError: RPCError {
        switch code.primary {
        case SQLITE_CONSTRAINT:
            if code.rawValue == SQLITE_CONSTRAINT | (8 << 8) || code.rawValue == SQLITE_CONSTRAINT | (6 << 8) {  // UNIQUE, PRIMARYKEY
                return RPCError(.alreadyExists, "already exists: \(message)")
            }
            return RPCError(.failedPrecondition, "violates a rule of the store: \(message)")
        case SQLITE_FULL: return RPCError(.resourceExhausted, "the disk is full")
        case SQLITE_CORRUPT, SQLITE_NOTADB: return RPCError(.dataLoss, "the store is damaged: \(message)")
        case SQLITE_BUSY, SQLITE_LOCKED: return RPCError(.unavailable, "the store is busy; try again")
        case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR: return RPCError(.internal, "the store cannot be written: \(message)")
        default: return RPCError(.internal, "storage error \(code.rawValue)")
        }
    }
}

/// A prepared statement, finalized when released. Bound to one connection and its queue.
public final class Statement {
    let handle: OpaquePointer
    public let sql: String

    init(database: OpaquePointer, sql: String) throws {
        var handle: OpaquePointer?
        let rc = sqlite3_prepare_v3(database, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard rc == SQLITE_OK, let handle else {
            throw DatabaseError(code: ResultCode(rc), message: String(cString: sqlite3_errmsg(database)), sql: sql)
        }
        self.handle = handle
        self.sql = sql
        columns = (0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) }
    }

    deinit { sqlite3_finalize(handle) }

    /// The result's column names, read when the statement is prepared (and again should
    /// SQLite re-prepare it after a schema change with another number of columns).
    private(set) var columns: [String]

    func currentColumns() -> [String] {
        if columns.count != Int(sqlite3_column_count(handle)) {
            columns = (0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) }
        }
        return columns
    }

    /// Binds every parameter (so no earlier binding survives).
    func bind(_ values: [SQLValue]) throws {
        sqlite3_reset(handle)
        guard values.count == Int(sqlite3_bind_parameter_count(handle)) else {
            throw DatabaseError(code: ResultCode(SQLITE_RANGE), message: "expected \(sqlite3_bind_parameter_count(handle)) values, got \(values.count)", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            let i = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, i)
            case .integer(let v): rc = sqlite3_bind_int64(handle, i, v)
            case .real(let v): rc = sqlite3_bind_double(handle, i, v)
            case .text(let v): rc = sqlite3_bind_text(handle, i, v, -1, pulse_sqlite_transient())
            case .blob(let v):
                rc = v.withUnsafeBytes { sqlite3_bind_blob(handle, i, $0.baseAddress, Int32($0.count), pulse_sqlite_transient()) }
            }
            guard rc == SQLITE_OK else { throw DatabaseError(code: ResultCode(rc), message: "bind failed", sql: sql) }
        }
    }

    func column(_ i: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, i))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(handle, i)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, i))
            guard count > 0, let base = sqlite3_column_blob(handle, i) else { return .blob([]) }
            return .blob([UInt8](UnsafeRawBufferPointer(start: base, count: count)))
        default: return .null
        }
    }
}

@available(*, unavailable)
extension Statement: Sendable {}

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
            let mode = try scalar("PRAGMA journal_mode = WAL")?.string
            guard mode == "wal" else {
                throw DatabaseError(code: ResultCode(SQLITE_ERROR), message: "could not turn on WAL mode (got \(mode ?? "nothing"))", sql: nil)
            }
        }
        try execute("PRAGMA synchronous = FULL")
        try execute("PRAGMA foreign_keys = ON")
        guard try scalar("PRAGMA synchronous")?.int == 2, try scalar("PRAGMA foreign_keys")?.int == 1 else {
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

    public func scalar(_ sql: String, _ values: [any SQLConvertible] = []) throws -> SQLValue? {
        try query(sql, values).first?.values.first
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

    /// Copies the whole database to `path` with SQLite's online backup API.
    public func backup(to path: String) throws {
        var target: OpaquePointer?
        let rc = sqlite3_open_v2(path, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard rc == SQLITE_OK, let target else { throw error(rc, nil) }
        defer { sqlite3_close_v2(target) }
        guard let backup = sqlite3_backup_init(target, "main", handle, "main") else {
            throw DatabaseError(code: ResultCode(sqlite3_errcode(target)), message: String(cString: sqlite3_errmsg(target)), sql: nil)
        }
        var step: Int32
        repeat {
            step = sqlite3_backup_step(backup, 256)
            if step == SQLITE_BUSY || step == SQLITE_LOCKED { sqlite3_sleep(10) }
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
        let problems = try query("PRAGMA integrity_check").compactMap { $0[0].string }
        return problems == ["ok"] ? [] : problems
    }
}

/// The closure of `Database.observeCommits`, kept alive for SQLite's hook.
final class CommitObserver {
    let onCommit: (Int) -> Void
    init(_ onCommit: @escaping (Int) -> Void) { self.onCommit = onCommit }
}
