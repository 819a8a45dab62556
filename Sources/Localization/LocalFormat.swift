/// Numbers, dates and counts as a reader of the current language writes them: 500.000, 2,5,
/// 25/11/2026 and 11/2026 in Vietnamese; 500,000, 2.5, 2026-11-25 and 2026-11 in English.
public enum LocalFormat {
    /// A whole number grouped by thousands.
    public static func integer(_ n: Int, _ language: Language = Language.current) -> String {
        let digits = String(n.magnitude)
        guard digits.count > 3 else { return n < 0 ? "-" + digits : digits }
        var out = ""
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += language == .en ? "," : "." }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A number with `places` decimals, grouped like `integer`; "—" for a value that is not finite.
    public static func decimal(_ x: Double, places: Int = 1, _ language: Language = Language.current) -> String {
        guard x.isFinite else { return "—" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9e15 else { return x < 0 ? "-∞" : "∞" }
        let units = Int(scaled)
        let whole = units / Int(scale)
        var text = (x < 0 && units > 0 ? "-" : "") + integer(whole, language)
        if places > 0 {
            let fraction = String(units % Int(scale))
            text += (language == .en ? "." : ",") + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return text
    }

    /// A share as a percentage with one decimal: 87,5% or 87.5%.
    /// A probability as a reader of either language writes it: 0,012 or 0.012 down to a
    /// thousandth, then 6,7 × 10⁻⁴ (never the programmer's 6.7e-04).
    public static func probability(_ p: Double, _ language: Language = Language.current) -> String {
        guard p.isFinite, p > 0 else { return decimal(p.isFinite ? 0 : p, places: 0, language) }
        if p >= 0.001 { return decimal(p, places: 3, language) }
        var exponent = 0
        var mantissa = p
        while mantissa < 1 {
            mantissa *= 10
            exponent -= 1
        }
        if (mantissa * 10).rounded() >= 100 {  // 9,96 rounds to 10,0: one power up
            mantissa /= 10
            exponent += 1
        }
        let superscripts: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let power = String(String(-exponent).compactMap { $0.wholeNumberValue.map { superscripts[$0] } })
        return decimal(mantissa, places: 1, language) + " × 10⁻" + power
    }

    public static func percent(_ share: Double, _ language: Language = Language.current) -> String {
        decimal(share * 100, places: 1, language) + "%"
    }

    /// A day: 25/11/2026, or 2026-11-25 in English (what scripts and ISO readers expect).
    public static func date(year: Int, month: Int, day: Int, _ language: Language = Language.current) -> String {
        language == .en ? "\(year)-\(two(month))-\(two(day))" : "\(two(day))/\(two(month))/\(year)"
    }

    /// A month: 11/2026, or 2026-11 in English.
    public static func month(year: Int, month: Int, _ language: Language = Language.current) -> String {
        language == .en ? "\(year)-\(two(month))" : "\(two(month))/\(year)"
    }

    /// A count with its noun: "5 đơn vị" (Vietnamese has no plural); "1 unit", "5 units".
    public static func count(_ n: Int, vi noun: String, en singular: String, plural: String? = nil, _ language: Language = Language.current) -> String {
        if language == .en { return integer(n, language) + " " + (n == 1 ? singular : plural ?? singular + "s") }
        return integer(n, language) + " " + noun
    }

    /// Reads a whole number written with or without grouping: "500000", "500.000", "500,000" or "500 000".
    public static func parseInteger(_ text: String) -> Int? {
        if let n = Int(text) { return n }
        var body = Substring(text)
        var sign = ""
        if body.first == "-" {
            sign = "-"
            body = body.dropFirst()
        }
        for separator in [".", ",", " ", "\u{00A0}"] where body.contains(separator) {
            let groups = body.split(separator: separator, omittingEmptySubsequences: false)
            guard let first = groups.first, (1...3).contains(first.count),
                groups.dropFirst().allSatisfy({ $0.count == 3 }), groups.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
            else { return nil }
            return Int(sign + groups.joined())
        }
        return nil
    }

    /// Reads a day written 25/11/2026 (also 25-11-2026 or 25.11.2026) or 2026-11-25.
    public static func parseDate(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let trimmed = text.trimmingWhitespace
        for separator: Character in ["/", "-", "."] {
            let parts = trimmed.split(separator: separator, omittingEmptySubsequences: false)
            guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { continue }
            if parts[0].count == 4, parts[1].count <= 2, parts[2].count <= 2, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) {
                return (y, m, d)
            }
            if parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]) {
                return (y, m, d)
            }
        }
        return nil
    }

    /// Reads a month written 11/2026 (also 11-2026) or 2026-11.
    public static func parseMonth(_ text: String) -> (year: Int, month: Int)? {
        let trimmed = text.trimmingWhitespace
        for separator: Character in ["/", "-", "."] {
            let parts = trimmed.split(separator: separator, omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { continue }
            if parts[0].count == 4, parts[1].count <= 2, let y = Int(parts[0]), let m = Int(parts[1]) { return (y, m) }
            if parts[1].count == 4, parts[0].count <= 2, let m = Int(parts[0]), let y = Int(parts[1]) { return (y, m) }
        }
        return nil
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension String {
    var trimmingWhitespace: Substring {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return s
    }
}
