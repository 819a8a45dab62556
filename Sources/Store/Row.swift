import CSQLite

/// One result row. Read its columns with the typed reads, by index or by name:
///
///     let code: String = try row.get(0)
///     let validTo: Day? = try row.get("valid_to", parsing: Day.init)
///
/// A value of another type than asked for (text where an integer belongs, NULL in a column
/// read as required) throws a ``DatabaseError`` that names the column and what it holds, so a
/// malformed row fails one call with an answer instead of crashing the daemon.
public struct Row: Sendable {
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The raw value at `index` (which must be below `values.count`).
    public subscript(_ index: Int) -> SQLValue { values[index] }

    /// The value of a required column.
    public func get<T: SQLColumnValue>(_ index: Int, as type: T.Type = T.self) throws(DatabaseError) -> T {
        let value = try value(at: index)
        guard let typed = T(sqlValue: value) else { throw mismatch(index, value, expected: T.sqlTypeName) }
        return typed
    }

    /// The value of a nullable column: nil for NULL, an error for a value of another type.
    public func get<T: SQLColumnValue>(_ index: Int, as type: T?.Type = T?.self) throws(DatabaseError) -> T? {
        let value = try value(at: index)
        if value == .null { return nil }
        guard let typed = T(sqlValue: value) else { throw mismatch(index, value, expected: T.sqlTypeName) }
        return typed
    }

    /// A required text column parsed into a value (a day, a period, an enumeration's raw value).
    public func get<T>(_ index: Int, parsing parse: (String) -> T?) throws(DatabaseError) -> T {
        let text: String = try get(index)
        guard let parsed = parse(text) else { throw mismatch(index, .text(text), expected: "\(T.self)") }
        return parsed
    }

    /// A nullable text column parsed into a value: nil for NULL.
    public func get<T>(_ index: Int, parsing parse: (String) -> T?) throws(DatabaseError) -> T? {
        guard let text: String = try get(index) else { return nil }
        guard let parsed = parse(text) else { throw mismatch(index, .text(text), expected: "\(T.self)") }
        return parsed
    }

    public func get<T: SQLColumnValue>(_ name: String, as type: T.Type = T.self) throws(DatabaseError) -> T {
        try get(index(of: name), as: type)
    }

    public func get<T: SQLColumnValue>(_ name: String, as type: T?.Type = T?.self) throws(DatabaseError) -> T? {
        try get(index(of: name), as: type)
    }

    public func get<T>(_ name: String, parsing parse: (String) -> T?) throws(DatabaseError) -> T {
        try get(index(of: name), parsing: parse)
    }

    public func get<T>(_ name: String, parsing parse: (String) -> T?) throws(DatabaseError) -> T? {
        try get(index(of: name), parsing: parse)
    }

    /// The index of the column called `name`.
    public func index(of name: String) throws(DatabaseError) -> Int {
        guard let index = columns.firstIndex(of: name) else {
            throw DatabaseError(code: .range, message: "the result has no column \(name) (it has \(columns.joined(separator: ", ")))", sql: nil)
        }
        return index
    }

    private func value(at index: Int) throws(DatabaseError) -> SQLValue {
        guard values.indices.contains(index) else {
            throw DatabaseError(code: .range, message: "the result has no column \(index) (it has \(values.count))", sql: nil)
        }
        return values[index]
    }

    /// Names the column and the kind of value found, never the value itself: stored text may be
    /// a report's, and errors reach logs and callers.
    private func mismatch(_ index: Int, _ found: SQLValue, expected: String) -> DatabaseError {
        let name = columns.indices.contains(index) ? "\(index) (\(columns[index]))" : "\(index)"
        return DatabaseError(code: .mismatch, message: "column \(name) holds \(found.kindDescription), expected \(expected)", sql: nil)
    }
}

/// A Swift type a column can be read as.
public protocol SQLColumnValue {
    init?(sqlValue: SQLValue)
    /// What the type is called in an error, e.g. "an integer".
    static var sqlTypeName: String { get }
}

extension String: SQLColumnValue {
    public init?(sqlValue: SQLValue) {
        guard case .text(let v) = sqlValue else { return nil }
        self = v
    }
    public static var sqlTypeName: String { "text" }
}

extension Int64: SQLColumnValue {
    public init?(sqlValue: SQLValue) {
        guard case .integer(let v) = sqlValue else { return nil }
        self = v
    }
    public static var sqlTypeName: String { "an integer" }
}

extension Int: SQLColumnValue {
    public init?(sqlValue: SQLValue) {
        guard case .integer(let v) = sqlValue, let fitting = Int(exactly: v) else { return nil }
        self = fitting
    }
    public static var sqlTypeName: String { "an integer" }
}

extension Double: SQLColumnValue {
    /// A real, or an integer (SQLite stores a whole REAL value as an integer in some columns).
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .real(let v): self = v
        case .integer(let v): self = Double(v)
        default: return nil
        }
    }
    public static var sqlTypeName: String { "a number" }
}

extension Bool: SQLColumnValue {
    public init?(sqlValue: SQLValue) {
        guard case .integer(let v) = sqlValue, v == 0 || v == 1 else { return nil }
        self = v == 1
    }
    public static var sqlTypeName: String { "0 or 1" }
}

extension [UInt8]: SQLColumnValue {
    public init?(sqlValue: SQLValue) {
        guard case .blob(let v) = sqlValue else { return nil }
        self = v
    }
    public static var sqlTypeName: String { "a blob" }
}

extension SQLValue {
    /// The kind of value, for errors: "NULL", "an integer", "a real", "text (12 bytes)", "a blob (3 bytes)".
    var kindDescription: String {
        switch self {
        case .null: return "NULL"
        case .integer: return "an integer"
        case .real: return "a real"
        case .text(let v): return "text (\(v.utf8.count) bytes)"
        case .blob(let v): return "a blob (\(v.count) bytes)"
        }
    }
}
