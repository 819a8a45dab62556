import Messages

/// Dates, months and numbers as a notice's reader writes them: 25/11/2026, 11/2026, 500.000
/// and 2,5 in Vietnamese; 25 November 2026, November 2026, 500,000 and 2.5 in English.
enum NoticeFormat {
    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    static func day(_ d: Day, _ language: String) -> String {
        if language == "en" { return "\(d.day) \(englishMonths[d.month - 1]) \(d.year)" }
        return two(d.day) + "/" + two(d.month) + "/" + String(d.year)
    }

    static func period(_ p: Period, _ language: String) -> String {
        language == "en" ? "\(englishMonths[p.month - 1]) \(p.year)" : two(p.month) + "/" + String(p.year)
    }

    static func integer(_ n: Int, _ language: String) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += language == "en" ? "," : "." }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// "5 ngày"; "5 days", "1 day".
    static func days(_ n: Int, _ language: String) -> String {
        language == "en" ? (n == 1 ? "1 day" : "\(integer(n, language)) days") : "\(integer(n, language)) ngày"
    }

    /// One decimal place.
    static func decimal(_ x: Double, _ language: String) -> String {
        guard x.isFinite else { return "—" }
        let tenths = Int((x * 10).rounded())
        return integer(tenths / 10, language) + (language == "en" ? "." : ",") + String(abs(tenths % 10))
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
