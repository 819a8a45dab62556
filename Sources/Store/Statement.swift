import CSQLite

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
