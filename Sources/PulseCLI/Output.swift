import Foundation
import Localization
import Messages
import Synchronization
import Text

/// How a command prints its data: aligned tables for people, JSON or CSV for scripts.
public enum OutputFormat: Sendable {
    case table, json, csv
}

public struct Output: Sendable {
    public var format: OutputFormat

    public init(format: OutputFormat) { self.format = format }

    /// Display width of text in a terminal: one column per character (grapheme), whatever its
    /// Unicode form, so NFD Vietnamese aligns like NFC.
    static func width(_ text: String) -> Int { text.count }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let gap = max(0, width - Output.width(text))
        return right ? String(repeating: " ", count: gap) + text : text + String(repeating: " ", count: gap)
    }

    /// Prints rows as a table (or CSV); `numeric` columns are right-aligned. A CSV's header names
    /// its columns by codes, whatever the language: the English heading in snake_case.
    public func table(_ header: @autoclosure () -> [String], _ rows: [[String]], numeric: Set<Int> = []) {
        switch format {
        case .csv:
            // Excel reads UTF-8 only with its byte-order mark: one, before the first line.
            let first = !Output.csvStarted.exchange(true, ordering: .relaxed)
            let codes = Language.$current.withValue(.en) { header() }.map(Output.columnCode)
            print((first ? "\u{FEFF}" : "") + codes.map(Output.csvField).joined(separator: ","))
            for row in rows { print(row.map(Output.csvField).joined(separator: ",")) }
        case .table, .json:
            let header = header()
            // Cells are cut for display only (CSV and JSON keep every character): a 40,000-character
            // name would otherwise widen every line of the table to match.
            let rows = rows.map { $0.map { Output.cut(Folding.nfc($0), Output.maxCell) } }
            var widths = header.map(Output.width)
            for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], Output.width(cell)) } }
            print(Output.trimmingTrailingSpaces(zip(header, widths).enumerated().map { Output.pad($0.element.0, $0.element.1, right: numeric.contains($0.offset)) }.joined(separator: "  ")))
            print(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
            for row in rows {
                let line = row.enumerated().map { i, cell in i < widths.count ? Output.pad(cell, widths[i], right: numeric.contains(i)) : cell }.joined(separator: "  ")
                print(Output.trimmingTrailingSpaces(line))
            }
        }
    }

    /// A column heading as a code: "official in charge" → official_in_charge, "p50 µs" → p50_us.
    static func columnCode(_ heading: String) -> String {
        if heading == "#" { return "rank" }
        if heading == "×" { return "times" }
        var code = ""
        for scalar in heading.lowercased().replacingOccurrences(of: "µs", with: "us").unicodeScalars {
            if scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar)) {
                code.unicodeScalars.append(scalar)
            } else if !code.isEmpty && code.last != "_" {
                code.append("_")
            }
        }
        while code.last == "_" { code.removeLast() }
        return code.isEmpty ? "value" : code
    }

    /// Whether this process has begun its CSV (and so written the byte-order mark).
    static let csvStarted = Atomic<Bool>(false)

    /// The widest a table cell is shown.
    static let maxCell = 120

    /// `text` cut to `width` characters, ending in "…" when cut.
    static func cut(_ text: String, _ width: Int) -> String {
        guard text.utf8.count > width, text.count > width else { return text }
        return String(text.prefix(width - 1)) + "…"
    }

    static func trimmingTrailingSpaces(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }

    static func csvField(_ text: String) -> String {
        if text.contains(",") || text.contains("\"") || text.contains("\n") {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    public static func json<T: Encodable>(_ value: T, pretty: Bool = true) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // JSON has no NaN or infinity; a figure that is one is written as a string rather than
        // the whole answer lost.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    /// Table cells: grouped numbers, dd/mm/yyyy dates and mm/yyyy months for people; plain numbers
    /// and ISO dates in CSV, which spreadsheets read whatever their locale.
    public func number(_ n: Int) -> String { format == .csv ? String(n) : LocalFormat.integer(n) }
    public func number(_ n: Int?) -> String { n.map(number) ?? (format == .csv ? "" : "–") }
    public func decimal(_ x: Double, _ places: Int = 1) -> String {
        format == .csv ? String(format: "%.\(places)f", x) : LocalFormat.decimal(x, places: places)
    }
    /// A p-value: 6,7 × 10⁻⁴ for a reader; for a spreadsheet, a number it reads (6.7e-04).
    public func probability(_ p: Double) -> String { format == .csv ? String(format: "%.2g", p) : LocalFormat.probability(p) }
    public func percent(_ share: Double) -> String { format == .csv ? String(format: "%.1f", share * 100) : LocalFormat.percent(share) }
    public func day(_ d: Day) -> String { format == .csv ? d.description : d.text }
    public func day(_ d: Day?) -> String { d.map(day) ?? "" }
    public func month(_ p: Period) -> String { format == .csv ? p.description : p.text }
    public func month(_ p: Period?) -> String { p.map(month) ?? "" }
    public func time(_ date: Date) -> String { format == .csv ? Output.isoTime(date) : Output.time(date) }

    /// ISO 8601 in the province's time, which spreadsheets read as the clock said: 2026-11-20T09:00:00+07:00.
    static func isoTime(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = Day.timeZone
        return f.string(from: date)
    }

    /// A line that is no data (a summary, a count): on standard output beside a table, on
    /// standard error with `--csv`, so that a CSV holds data only.
    public func note(_ line: String) {
        if format == .csv { warn(line) } else { print(line) }
    }

    /// JSON for `--json`, otherwise the human form.
    public func emit<T: Encodable>(_ value: T, human: () -> Void) {
        if format == .json { print(Output.json(value)) } else { human() }
    }

    public static func percent(_ value: Double) -> String { LocalFormat.percent(value) }

    /// A whole number grouped by thousands: 500.000 (500,000 in English).
    public static func number(_ n: Int) -> String { LocalFormat.integer(n) }

    /// A number with `places` decimals: 2,5 (2.5 in English).
    public static func decimal(_ x: Double, _ places: Int = 1) -> String { LocalFormat.decimal(x, places: places) }

    /// An instant in the province's time: 25/11/2026 14:05 (2026-11-25 14:05 in English).
    public static func time(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        f.dateFormat = Language.current == .en ? "yyyy-MM-dd HH:mm" : "dd/MM/yyyy HH:mm"
        return f.string(from: date)
    }
}

/// Writes to standard error.
func warn(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
