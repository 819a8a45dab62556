import Base
import CSQLite

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
    public static let mismatch = ResultCode(SQLITE_MISMATCH)
    public static let range = ResultCode(SQLITE_RANGE)
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
        case SQLITE_MISMATCH: return RPCError(.internal, "the store holds a value it cannot read: \(message)")
        case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR: return RPCError(.internal, "the store cannot be written: \(message)")
        default: return RPCError(.internal, "storage error \(code.rawValue)")
        }
    }
}
