import Glibc
import Synchronization

/// A small structured logger in swift-log's shape: a value type, passed down from `main`,
/// whose arguments are only evaluated when the level is enabled. One line per event.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case trace, debug, info, notice, warning, error

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        public init?(name: String) {
            guard let level = Level.allCases.first(where: { "\($0)" == name }) else { return nil }
            self = level
        }
    }

    public typealias Sink = @Sendable (String) -> Void

    public let label: String
    public var level: Level
    private let sink: Sink?

    public init(label: String, level: Level = .info, sink: Sink?) {
        self.label = label
        self.level = level
        self.sink = sink
    }

    /// Writes each line to standard error.
    public static func standardError(label: String, level: Level = .info) -> Logger {
        Logger(label: label, level: level, sink: StandardErrorSink.write)
    }

    /// A logger that drops everything.
    public static func silent(label: String = "silent") -> Logger {
        Logger(label: label, sink: nil)
    }

    /// One line in logfmt: `ts=… level=… service=… msg=… key=value…`, values quoted where they
    /// hold a space, a quote, an equals sign or a control character, which are escaped.
    public func log(_ level: Level, _ message: @autoclosure () -> String, _ metadata: @autoclosure () -> KeyValuePairs<String, String> = [:]) {
        guard let sink, level >= self.level else { return }
        var line = "ts=\(Logger.timestamp()) level=\(level) service=\(Logger.logfmt(label)) msg=\(Logger.logfmt(message()))"
        for (key, value) in metadata() {
            line += " \(key)=\(Logger.logfmt(value))"
        }
        sink(line)
    }

    static func logfmt(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "\"" && $0 != "=" && $0 != "\\" && $0.value != 0x7F }
        if plain { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    public func debug(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> KeyValuePairs<String, String> = [:]) {
        log(.debug, message(), metadata())
    }
    public func info(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> KeyValuePairs<String, String> = [:]) {
        log(.info, message(), metadata())
    }
    public func warning(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> KeyValuePairs<String, String> = [:]) {
        log(.warning, message(), metadata())
    }
    public func error(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> KeyValuePairs<String, String> = [:]) {
        log(.error, message(), metadata())
    }

    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = tm()
        var seconds = ts.tv_sec
        gmtime_r(&seconds, &t)
        let ms = ts.tv_nsec / 1_000_000
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(t.tm_year + 1900)-\(pad(t.tm_mon + 1, 2))-\(pad(t.tm_mday, 2))T\(pad(t.tm_hour, 2)):\(pad(t.tm_min, 2)):\(pad(t.tm_sec, 2)).\(pad(Int32(ms), 3))Z"
    }
}

private enum StandardErrorSink {
    static let lock = Mutex(())
    static func write(_ line: String) {
        lock.withLock { _ in
            var bytes = Array(line.utf8)
            bytes.append(10)
            var offset = 0
            while offset < bytes.count {
                let written = try? SystemError.retryingInterrupts("write") {
                    bytes[offset...].withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
                }
                guard let n = written ?? nil, n > 0 else { return }  // standard error is gone: nothing to tell
                offset += n
            }
        }
    }
}
