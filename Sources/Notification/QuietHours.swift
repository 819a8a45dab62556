import Foundation
import Messages

/// Hours of the province's night when no notice goes out (21:00–07:00 by default): a notice
/// that comes due in them waits until they end.
public struct QuietHours: Sendable, Equatable, CustomStringConvertible {
    /// Minutes after midnight, Asia/Ho_Chi_Minh.
    public let start: Int
    public let end: Int

    public static let `default` = QuietHours(start: 21 * 60, end: 7 * 60)
    /// No quiet hours at all.
    public static let none = QuietHours(start: 0, end: 0)

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// "21:00-07:00", or "off".
    public init?(_ text: String) {
        if text == "off" || text == "none" {
            self = .none
            return
        }
        let parts = text.split(separator: "-")
        guard parts.count == 2, let a = QuietHours.minutes(parts[0]), let b = QuietHours.minutes(parts[1]) else { return nil }
        self.init(start: a, end: b)
    }

    private static func minutes(_ text: Substring) -> Int? {
        let hm = text.split(separator: ":")
        guard hm.count == 2, hm[0].count <= 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...23).contains(h), (0...59).contains(m) else {
            return nil
        }
        return h * 60 + m
    }

    public var description: String {
        start == end ? "off" : String(format: "%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60)
    }

    /// `instant` itself outside quiet hours; the end of the quiet hours it falls in otherwise.
    public func release(_ instant: Date) -> Date {
        guard start != end else { return instant }
        let midnight = Day(instant).startOfDay
        let minute = Int(instant.timeIntervalSince(midnight) / 60)
        let quiet = start < end ? (minute >= start && minute < end) : (minute >= start || minute < end)
        guard quiet else { return instant }
        // The end that follows: today's if it is still ahead, else tomorrow's.
        let endToday = midnight.addingTimeInterval(Double(end) * 60)
        return endToday > instant ? endToday : Day(instant.addingTimeInterval(86_400)).startOfDay.addingTimeInterval(Double(end) * 60)
    }
}
