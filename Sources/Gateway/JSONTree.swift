/// A JSON document read with the line each value starts on, so that a mistake in a file an
/// operator wrote can be named by its line. Small on purpose: the policy file is its only user.
indirect enum JSONTree: Equatable {
    case object([(key: String, value: JSONTree, line: Int)], line: Int)
    case array([JSONTree], line: Int)
    case string(String, line: Int)
    case number(Double, line: Int)
    case bool(Bool, line: Int)
    case null(line: Int)

    static func == (a: JSONTree, b: JSONTree) -> Bool { a.description == b.description }

    var line: Int {
        switch self {
        case .object(_, let line), .array(_, let line), .string(_, let line), .number(_, let line), .bool(_, let line), .null(let line):
            return line
        }
    }

    /// What kind of value this is, for errors: "an object", "text", ….
    var kind: String {
        switch self {
        case .object: "an object"
        case .array: "a list"
        case .string: "text"
        case .number: "a number"
        case .bool: "true or false"
        case .null: "null"
        }
    }

    var description: String {
        switch self {
        case .object(let fields, _): "{" + fields.map { "\($0.key): \($0.value.description)" }.joined(separator: ", ") + "}"
        case .array(let items, _): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .string(let s, _): "\"\(s)\""
        case .number(let n, _): "\(n)"
        case .bool(let b, _): "\(b)"
        case .null: "null"
        }
    }

    struct SyntaxError: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(line): \(message)" }
    }

    static func parse(_ text: String) throws(SyntaxError) -> JSONTree {
        var parser = Parser(bytes: Array(text.utf8))
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at == parser.bytes.count else { throw parser.error("more text after the end of the document") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0
        var line = 1

        func error(_ message: String) -> SyntaxError { SyntaxError(line: line, message: message) }

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case UInt8(ascii: "\n"): line += 1
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): break
                default: return
                }
                at += 1
            }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(SyntaxError) {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { throw error("expected \(what)") }
            at += 1
        }

        mutating func value(depth: Int) throws(SyntaxError) -> JSONTree {
            guard depth < 64 else { throw error("nested too deeply") }
            skipSpace()
            guard at < bytes.count else { throw error("the document ends where a value was expected") }
            let start = line
            switch bytes[at] {
            case UInt8(ascii: "{"):
                at += 1
                var fields: [(key: String, value: JSONTree, line: Int)] = []
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(fields, line: start) }
                while true {
                    skipSpace()
                    let keyLine = line
                    guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw error("expected a field name in double quotes") }
                    let key = try string()
                    if fields.contains(where: { $0.key == key }) { throw error("field \"\(key)\" appears twice") }
                    try expect(UInt8(ascii: ":"), "':' after the field name \"\(key)\"")
                    fields.append((key, try value(depth: depth + 1), keyLine))
                    skipSpace()
                    guard at < bytes.count else { throw error("the document ends inside an object") }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(fields, line: start) }
                    throw error("expected ',' or '}' after the value of \"\(key)\"")
                }
            case UInt8(ascii: "["):
                at += 1
                var items: [JSONTree] = []
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items, line: start) }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard at < bytes.count else { throw error("the document ends inside a list") }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items, line: start) }
                    throw error("expected ',' or ']' in a list")
                }
            case UInt8(ascii: "\""):
                return .string(try string(), line: start)
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                for (word, result) in [("true", JSONTree.bool(true, line: start)), ("false", .bool(false, line: start)), ("null", .null(line: start))]
                where bytes[at...].starts(with: word.utf8) {
                    at += word.utf8.count
                    return result
                }
                throw error("unexpected text; values are objects, lists, \"text\", numbers, true, false or null")
            default:
                let begin = at
                while at < bytes.count, "+-0123456789.eE".utf8.contains(bytes[at]) { at += 1 }
                guard at > begin, let number = Double(String(decoding: bytes[begin..<at], as: UTF8.self)) else {
                    throw error("unexpected character '\(String(decoding: bytes[begin..<min(begin + 1, bytes.count)], as: UTF8.self))'")
                }
                return .number(number, line: start)
            }
        }

        mutating func string() throws(SyntaxError) -> String {
            at += 1  // the opening quote
            var out: [UInt8] = []
            while at < bytes.count {
                let b = bytes[at]
                at += 1
                switch b {
                case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\n"): throw error("a line ends inside text; close it with '\"'")
                case UInt8(ascii: "\\"):
                    guard at < bytes.count else { break }
                    let e = bytes[at]
                    at += 1
                    switch e {
                    case UInt8(ascii: "n"): out.append(10)
                    case UInt8(ascii: "t"): out.append(9)
                    case UInt8(ascii: "r"): out.append(13)
                    case UInt8(ascii: "u"):
                        guard at + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16),
                            let scalar = Unicode.Scalar(code)
                        else { throw error("\\u takes four hex digits of a character") }
                        at += 4
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: out.append(e)
                    }
                default: out.append(b)
                }
            }
            throw error("the document ends inside text")
        }
    }
}
