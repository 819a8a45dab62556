import Arguments
import Foundation
import Localization
import Messages
import Wire

/// `pulse report due`: what an official's units owe, month by month: the deadline, the days
/// left or late, and where each report stands.
enum ReportDue {
    /// Reports are due before this day of the month (trước ngày 25 hằng tháng).
    static let dueDay = 25

    struct Row: Codable {
        var unit: String
        var unitName: String
        var period: Period
        /// The first day a report for the month is late.
        var dueDate: Day
        /// Days until the due date (negative: days late), for a month still owed.
        var daysLeft: Int?
        /// notYet, submitted, returned (for correction), received.
        var state: String
        /// Why it was returned.
        var reason: String?
        var timeliness: Timeliness?
        var version: Int?
    }

    static var command: Command {
        Command(
            "due", tr("Các tháng đơn vị của bạn phải báo cáo: hạn, số ngày còn lại hoặc trễ, và trạng thái.", en: "What your units owe: each month due, its deadline, days left or late, and the state."),
            options: [
                .option("unit", short: "u", value: RosterCommands.codeValue, help: tr("Đơn vị này (lặp lại được; mặc định các đơn vị của tài khoản bạn).", en: "This unit (repeatable; default your account's units)."), repeatable: true),
                .option("months", short: "m", value: "n", help: tr("Bao nhiêu tháng gần nhất (mặc định 3).", en: "How many recent months (default 3).")),
            ]
        ) { inv in
            let months = try inv.arguments.integer("months") ?? 3
            guard (1...24).contains(months) else { throw UsageError(tr("--months từ 1 đến 24, không phải \(months)", en: "--months is 1 to 24, not \(months)")) }
            var units = inv.arguments.all("unit")
            if units.isEmpty { units = try await inv.call(GatewayAPI.whoAmI, Empty()).units ?? [] }
            guard !units.isEmpty else {
                throw CLIError(tr("tài khoản của bạn không gắn với đơn vị nào; hãy chỉ đơn vị: pulse report due --unit MÃ", en: "your account acts for no unit; name one: pulse report due --unit CODE"))
            }
            let rows = try await due(inv, units: units, months: months, today: Day.today)
            inv.output.emit(rows) {
                inv.output.table(
                    inv.output.format == .csv ? ["unit", "name", "period", "due_date", "days_left", "state", "version", "reason"] : [tr("mã", en: "code"), tr("đơn vị", en: "unit"), tr("tháng", en: "month"), tr("hạn (trước ngày)", en: "due before"), tr("còn / trễ", en: "left / late"), tr("trạng thái", en: "state")],
                    rows.map { row in
                        if inv.output.format == .csv {
                            return [row.unit, row.unitName, row.period.description, row.dueDate.description, row.daysLeft.map(String.init) ?? "", row.state, row.version.map(String.init) ?? "", row.reason ?? ""]
                        }
                        return [row.unit, row.unitName, row.period.text, row.dueDate.text, left(row.daysLeft), state(row)]
                    })
                let owed = rows.filter { $0.state == "notYet" || $0.state == "returned" }.count
                inv.output.note(owed == 0 ? tr("không còn tháng nào phải báo cáo", en: "nothing owed") : tr("còn \(owed) báo cáo phải gửi", en: "\(LocalFormat.count(owed, vi: "", en: "report")) still owed"))
            }
        }
    }

    static func due(_ inv: Invocation, units: [String], months: Int, today: Day) async throws -> [Row] {
        var rows: [Row] = []
        let current = today.period
        for unit in units {
            // The commission's latest review of each month's report.
            var latest: [Period: Review] = [:]
            for review in try await inv.call(IntakeAPI.reviews, ReviewsRequest(unit: unit)).reviews { latest[review.period] = review }
            for index in stride(from: current.index, to: current.index - months, by: -1) {
                let period = Period(index: index)
                let completeness = try await inv.call(AnalyticsAPI.completeness, CompletenessRequest(period: period, unit: unit))
                // The unit itself if it reports, else the reporting units under it.
                let own = completeness.rows.filter { $0.unit == unit }
                for r in own.isEmpty ? completeness.rows : own {
                    let dueDate = period.dueDate(dueDay: dueDay)
                    let missing = r.state == .missing
                    let review = r.unit == unit ? latest[period] : nil
                    var state = missing ? "notYet" : "submitted"
                    if r.state == .returned {
                        state = "returned"
                    } else if let review, review.state == .received, review.version == r.version {
                        state = "received"
                    }
                    let timeliness: Timeliness? = missing || r.state == .returned ? nil : (r.state == .onTime ? .onTime : .late)
                    rows.append(
                        Row(
                            unit: r.unit, unitName: r.name, period: period, dueDate: dueDate, daysLeft: missing || r.state == .returned ? days(from: today, to: dueDate) : nil,
                            state: state, reason: r.state == .returned ? review?.reason : nil, timeliness: timeliness, version: r.version))
                }
            }
        }
        return rows
    }

    static func days(from a: Day, to b: Day) -> Int {
        Int((b.startOfDay.timeIntervalSince(a.startOfDay) / 86_400).rounded())
    }

    static func left(_ days: Int?) -> String {
        guard let days else { return "" }
        if days > 0 { return tr("còn \(days) ngày", en: days == 1 ? "1 day left" : "\(days) days left") }
        let late = 1 - days
        return tr("trễ \(late) ngày", en: late == 1 ? "1 day late" : "\(late) days late")
    }

    static func state(_ row: Row) -> String {
        switch row.state {
        case "notYet": return tr("chưa gửi", en: "not yet")
        case "returned": return tr("trả lại để sửa", en: "returned for correction") + (row.reason.map { ": \($0)" } ?? "")
        case "received": return tr("Ban đã tiếp nhận", en: "received") + (row.timeliness.map { ", " + $0.word } ?? "") + (row.version.map { tr(", bản \($0)", en: ", version \($0)") } ?? "")
        default: return tr("đã gửi", en: "submitted") + (row.timeliness.map { ", " + $0.word } ?? "") + (row.version.map { tr(", bản \($0)", en: ", version \($0)") } ?? "")
        }
    }
}
