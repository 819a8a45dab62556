import Foundation
import Synchronization
import Wire

/// A civil day, `YYYY-MM-DD`, in the province's time zone (Asia/Ho_Chi_Minh).
public struct Day: WireScalar, Hashable, Comparable, CustomStringConvertible {
    public static let wireName = "day(YYYY-MM-DD)"
    public static let wireExample = Day(year: 2025, month: 7, day: 1)!

    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...9999).contains(year), (1...12).contains(month), (1...Day.daysIn(year, month)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func daysIn(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String {
        Day.digits(year, 4) + "-" + Day.digits(month, 2) + "-" + Day.digits(day, 2)
    }

    /// A number with leading zeros, without Foundation's formatter (dates are printed often).
    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    public var period: Period { Period(year: year, month: month)! }

    public static func < (a: Day, b: Day) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public static let timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    /// The province's civil day at an instant.
    public init(_ date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Day.timeZone
        // An instant outside the years a Day can be is held to the nearest one that can.
        guard date.timeIntervalSince1970.isFinite, let c = Optional(calendar.dateComponents([.year, .month, .day], from: date)),
            let day = Day(year: c.year ?? 1900, month: c.month ?? 1, day: c.day ?? 1)
        else {
            self.init(year: (date.timeIntervalSince1970 > 0 ? 9999 : 1900), month: date.timeIntervalSince1970 > 0 ? 12 : 1, day: date.timeIntervalSince1970 > 0 ? 31 : 1)!
            return
        }
        self = day
    }

    public static var today: Day { Day(PulseClock.now) }

    /// The first instant of this day in the province (Asia/Ho_Chi_Minh, UTC+7, no summer time).
    public var startOfDay: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Day.timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a date YYYY-MM-DD"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A reporting month, `YYYY-MM`.
public struct Period: WireScalar, Hashable, Comparable, CustomStringConvertible {
    public static let wireName = "period(YYYY-MM)"
    public static let wireExample = Period(year: 2025, month: 7)!

    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1900...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(year: y, month: m)
    }

    public var description: String { Day.digits(year, 4) + "-" + Day.digits(month, 2) }

    /// The day this period's reports are due before: `dueDay`, or the month's last day in a
    /// shorter month.
    public func dueDate(dueDay: Int) -> Day {
        Day(year: year, month: month, day: min(dueDay, Day.daysIn(year, month)))!
    }

    /// The first instant a report for this period is late: 00:00 on its due date in
    /// Asia/Ho_Chi_Minh.
    public func deadline(dueDay: Int) -> Date {
        let due = dueDate(dueDay: dueDay)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Day.timeZone
        return calendar.date(from: DateComponents(year: due.year, month: due.month, day: due.day))!
    }
    public var first: Day { Day(year: year, month: month, day: 1)! }
    public var last: Day { Day(year: year, month: month, day: Day.daysIn(year, month))! }
    /// The month after (December 9999 has none, and stays).
    public var next: Period { Period(index: index + 1) }
    /// The month before (January 1900 has none, and stays).
    public var previous: Period { Period(index: index - 1) }
    /// Months since year 0, for arithmetic.
    public var index: Int { year * 12 + month - 1 }
    /// The period `index` months after January of year 0, held to the months a Period can be
    /// (January 1900 to December 9999): arithmetic on a caller's period never traps.
    public init(index: Int) {
        let held = Swift.min(Swift.max(index, Period.firstIndex), Period.lastIndex)
        self.init(year: held / 12, month: held % 12 + 1)!
    }
    public static let firstIndex = 1900 * 12
    public static let lastIndex = 9999 * 12 + 11

    public static func < (a: Period, b: Period) -> Bool { a.index < b.index }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let period = Period(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a month YYYY-MM"))
        }
        self = period
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The instant Pulse takes as now: the system clock, unless a demo or drill started it elsewhere
/// (`--clock-start` on every daemon of the demo, so that the whole stack keeps one clock).
public enum PulseClock {
    private static let offsetMilliseconds = Atomic<Int64>(0)

    public static var now: Date { Date().addingTimeInterval(Double(offsetMilliseconds.load(ordering: .relaxed)) / 1000) }

    /// Sets the clock to `instant` from this moment on; it runs on at the normal rate.
    public static func start(at instant: Date) {
        offsetMilliseconds.store(Int64((instant.timeIntervalSinceNow * 1000).rounded()), ordering: .relaxed)
    }

    /// Starts the clock at an ISO 8601 instant such as 2026-11-20T09:00:00+07:00; false if the text is not one.
    public static func start(iso8601 text: String) -> Bool {
        guard let instant = ISO8601DateFormatter().date(from: text) else { return false }
        start(at: instant)
        return true
    }
}
