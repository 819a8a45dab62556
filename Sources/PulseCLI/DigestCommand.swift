import Arguments
import Base
import Digest
import Foundation
import Localization
import Messages
import Wire

/// `pulse digest`: the month's synthesis for the standing committee as one HTML page.
enum DigestCommand {
    static var command: Command {
        Command(
            "digest", tr("Viết bản tổng hợp tháng gửi Ban Thường vụ, hoặc bản sơ kết, tổng kết nhiều tháng (--from, --to): một trang HTML in được khổ A4, có biểu đồ.", en: "Write the month's synthesis for the standing committee, or a periodic review of several months (--from, --to): one HTML page, printable on A4, with charts."),
            options: [
                .option("period", short: "p", value: RosterCommands.monthValue, help: tr("Tháng (mặc định tháng gần nhất đã qua hạn: tháng này từ ngày 25, trước đó tháng trước).", en: "The month (default the latest past its deadline: this month from the 25th, the one before until then).")),
                .option("from", value: RosterCommands.monthValue, help: tr("Cùng --to: sơ kết, tổng kết các tháng từ --from đến --to (1 đến 24 tháng), đặt cạnh cùng kỳ năm trước (hai năm trước nếu kỳ dài hơn một năm).", en: "With --to: a periodic review of the months from --from to --to (1 to 24), beside the same months a year before (two years, for a review longer than a year).")),
                .option("to", value: RosterCommands.monthValue, help: tr("Tháng cuối của kỳ sơ kết, tổng kết.", en: "The last month of the periodic review.")),
                .option("against", value: RosterCommands.monthValue, help: tr("Với --from: so với kỳ cùng độ dài bắt đầu từ tháng này, thay cho cùng kỳ năm trước (như --against 01/2026 để so 6 tháng cuối năm với 6 tháng đầu năm).", en: "With --from: compare with the months of the same length from this one instead of a year before (such as --against 2026-01 for the second half against the first).")),
                .option("out", short: "o", value: tr("tệp.html", en: "file.html"), help: tr("Ghi vào tệp này (bắt buộc); một thư mục: ghi tong-hop-NĂM-THÁNG.html trong đó (bản sơ kết: tong-hop-NĂM-THÁNG-den-NĂM-THÁNG.html).", en: "Write to this file (required); a directory: write tong-hop-YYYY-MM.html in it (a review: tong-hop-YYYY-MM-den-YYYY-MM.html).")),
                .flag("no-notify", help: tr("Không báo người đăng ký (bản nháp, bản in thử). Chỉ bản tổng hợp tháng đã qua hạn và có báo cáo mới được báo, mỗi người một lần; bản sơ kết, tổng kết không báo.", en: "Do not tell the subscribers (a draft, a test print). Only a monthly digest past its deadline with reports is announced, once per person; a periodic review never is.")),
            ]
        ) { inv in
            let given = try inv.arguments.required("out")
            guard inv.output.format != .csv else {
                throw UsageError(tr("--csv: bản tổng hợp là một trang HTML; --json cho biết đã ghi gì", en: "--csv: the digest is an HTML page; --json says what was written"))
            }
            let columns = try columns(inv)
            let reviewed = columns[columns.count - 1]
            let started = ContinuousClock.now
            var months: [DigestData] = []
            do {
                let directory = try await Directory.load(inv)
                for c in columns { months.append(try await gather(inv, from: c.from, to: c.to, directory: directory)) }
            } catch let error as CLIError where error.status == .permissionDenied {
                // It quotes texts and searches them: the commission's work, not a partner's or a unit's.
                throw CLIError(tr("bản tổng hợp là việc của quản trị viên và chuyên viên phân tích của Ban (\(error.description))", en: "the digest is for the commission's administrators and analysts (\(error.description))"))
            }
            let html = DigestPage.render(months)
            var out = given
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue {
                // A scheduled run names its file by the month (pulse-digest.timer).
                let name = columns.count == 1 ? "tong-hop-\(reviewed.to)" : "tong-hop-\(reviewed.from)-den-\(reviewed.to)"
                out = URL(fileURLWithPath: out).appendingPathComponent(name + ".html").path
            }
            // Written beside it and renamed: a reader (or the timer's next run) never sees half a page.
            let partial = out + ".\(getpid()).tmp"
            guard FileManager.default.createFile(atPath: partial, contents: Data(html.utf8)), rename(partial, out) == 0 else {
                unlink(partial)
                throw CLIError(tr("--out: không ghi được \(out): thư mục không có hoặc bạn không có quyền ghi ở đó", en: "--out: cannot write \(out): its directory does not exist or you may not write there"))
            }
            let seconds = (ContinuousClock.now - started).components
            let elapsed = Double(seconds.seconds) + Double(seconds.attoseconds) / 1e18
            // The commission's subscribers hear that it is there (notification may be absent): once
            // per month and person, for a month past its deadline with something to read, unless
            // this is a draft.
            if let last = months.last, months.count == 1, !last.isReview, !inv.arguments.has("no-notify"), last.monthClosed, last.completeness.reported > 0 {
                let location = URL(fileURLWithPath: out).standardizedFileURL.path
                do {
                    let told = try await inv.call(NotificationAPI.digestReady, DigestReadyRequest(period: last.period, location: location, reported: last.completeness.reported, expected: last.completeness.expected), deadline: .seconds(30))
                    if told.recorded > 0 { inv.output.note(tr("đã báo \(told.recorded) người đăng ký nhận thông báo", en: "told \(LocalFormat.count(told.recorded, vi: "", en: "subscriber"))")) }
                } catch {
                    warn(tr("chú ý: chưa báo được người đăng ký (\(error)); bản tổng hợp vẫn đã ghi", en: "note: the subscribers were not told (\(error)); the digest is written all the same"))
                }
            }
            if inv.output.format == .json {
                struct Written: Encodable { var file: String; var periods: [Period]; var against: [Period]?; var seconds: Double }
                let against = columns.count == 2 ? [columns[0].from, columns[0].to] : nil
                print(Output.json(Written(file: URL(fileURLWithPath: out).standardizedFileURL.path, periods: columns.count == 1 ? [reviewed.to] : [reviewed.from, reviewed.to], against: against, seconds: elapsed)))
                return
            }
            let what = months.map(\.label).reversed().joined(separator: tr(" so với ", en: " against "))
            inv.output.note(tr("đã ghi bản tổng hợp \(what) vào \(out) (\(Output.decimal(elapsed, 2)) giây); mở bằng trình duyệt, in khổ A4",
                               en: "wrote the digest of \(what) to \(out) (\(Output.decimal(elapsed, 2)) s); open it in a browser, print on A4"))
        }
    }

    /// The months of each column: one month, or a review and the months it is compared with
    /// (the same months a year before, or those from --against), the earlier first.
    static func columns(_ inv: Invocation) throws -> [(from: Period, to: Period)] {
        let args = inv.arguments
        guard let fromText = args.value("from") else {
            if args.value("to") != nil { throw UsageError(tr("--to cần đi cùng --from (như --from 01/2026 --to 06/2026)", en: "--to needs --from (such as --from 2026-01 --to 2026-06)")) }
            if args.value("against") != nil { throw UsageError(tr("--against cần đi cùng --from và --to", en: "--against needs --from and --to")) }
            let month = try args.value("period").map { try inv.period($0, option: "period") } ?? latestPastDeadline(Day.today)
            guard month <= Day.today.period else { throw UsageError(tr("--period: tháng \(month.text) chưa đến", en: "--period: \(month.text) has not come yet")) }
            return [(month, month)]
        }
        guard args.value("period") == nil else { throw UsageError(tr("chọn --period (một tháng) hoặc --from và --to (sơ kết, tổng kết)", en: "choose --period (a month), or --from with --to (a periodic review)")) }
        guard let toText = args.value("to") else { throw UsageError(tr("--from cần đi cùng --to (như --from 01/2026 --to 06/2026)", en: "--from needs --to (such as --from 2026-01 --to 2026-06)")) }
        let from = try inv.period(fromText, option: "from"), to = try inv.period(toText, option: "to")
        guard from <= to else {
            throw UsageError(tr("--from: tháng đầu \(from.text) ở sau tháng cuối --to \(to.text) (như --from 01/2026 --to 06/2026)", en: "--from: the first month \(from.text) comes after the last, --to \(to.text) (such as --from 2026-01 --to 2026-06)"))
        }
        guard to.index - from.index < 24 else {
            throw UsageError(tr("--from đến --to: nhiều nhất 24 tháng, đây là \(to.index - from.index + 1) tháng", en: "--from to --to: 24 months at most, not \(to.index - from.index + 1)"))
        }
        guard to <= Day.today.period else { throw UsageError(tr("--to: tháng \(to.text) chưa đến", en: "--to: \(to.text) has not come yet")) }
        let length = to.index - from.index
        // The same months a year before; a review longer than a year, as many whole years before.
        let years = (length + 12) / 12
        let against = try args.value("against").map { try inv.period($0, option: "against") } ?? Period(index: from.index - 12 * years)
        guard against.index + length < from.index else {
            throw UsageError(tr("--against: kỳ so sánh (\(against.text) đến \(Period(index: against.index + length).text)) phải kết thúc trước \(from.text)", en: "--against: the months compared with (\(against.text) to \(Period(index: against.index + length).text)) must end before \(from.text)"))
        }
        return [(against, Period(index: against.index + length)), (from, to)]
    }

    /// The latest month whose reports are past their deadline (before the 25th): this month from
    /// the 25th on, the month before until then.
    static func latestPastDeadline(_ today: Day) -> Period {
        today < today.period.dueDate(dueDay: ReportDue.dueDay) ? today.period.previous : today.period
    }

    /// The units and topics every column names, asked for once.
    struct Directory {
        var names: [String: String]
        var agencies: [String: String]
        var province: OrgUnit?
        var labels: [String: String]

        static func load(_ inv: Invocation) async throws -> Directory {
            let units = try await inv.call(RosterAPI.listUnits, ListUnitsRequest()).units
            return Directory(
                names: Dictionary(units.map { ($0.code, $0.fullName) }, uniquingKeysWith: { a, _ in a }),
                agencies: Dictionary(units.map { ($0.code, RosterCommands.agencyName($0.agency)) }, uniquingKeysWith: { a, _ in a }),
                province: units.first { $0.kind == .province && $0.validTo == nil }, labels: try await Names.topics(inv))
        }
    }

    /// One column's figures, from roster, intake and analytics: a month (`from == to`), or a review's months.
    static func gather(_ inv: Invocation, from: Period, to period: Period, directory: Directory) async throws -> DigestData {
        let (names, agencies, province, labels) = (directory.names, directory.agencies, directory.province, directory.labels)
        let review = from < period
        let length = period.index - from.index + 1
        var months: [Completeness] = []
        for index in from.index...period.index { months.append(try await inv.call(AnalyticsAPI.completeness, CompletenessRequest(period: Period(index: index)))) }
        let completeness = months[months.count - 1]
        // The months before: a month's table shows five, and its bars twelve months' share.
        var previous: [Completeness] = []
        var reported: [String: Int] = [:]
        for back in stride(from: review ? 5 : 11, through: 1, by: -1) {
            let month = try await inv.call(AnalyticsAPI.completeness, CompletenessRequest(period: Period(index: from.index - back)))
            if back <= 5 { previous.append(month) }
            if !review { for row in month.rows where row.state == .onTime || row.state == .late { reported[row.unit, default: 0] += 1 } }
        }
        // A review's share is of its counted months: past their deadline, with reports.
        let now = PulseClock.now
        let counted = months.filter { !review || DigestData.counts($0, at: now) }
        for month in counted { for row in month.rows where row.state == .onTime || row.state == .late { reported[row.unit, default: 0] += 1 } }
        let share = reported.mapValues { Double($0) / Double(review ? max(1, counted.count) : 12) }
        let window = max(12, length)
        let trends = try await inv.call(AnalyticsAPI.trends, Scope(from: Period(index: period.index - window + 1), to: period))
        var rising: [RisingTopic] = []
        var baselineMonths: Int?
        if review {
            // The review's months against as many before them, a month's mean intensity each;
            // before them, only the months with any report count (no data is not zero opinion).
            let both = try await inv.call(AnalyticsAPI.trends, Scope(from: Period(index: from.index - length), to: period))
            let withReports = both.monthsWithReports.filter { $0 < from }
            let countedPeriods = Set(counted.map(\.period))
            baselineMonths = withReports.count
            if !withReports.isEmpty && !countedPeriods.isEmpty {
                rising = Array(both.series.compactMap { series -> RisingTopic? in
                    let inside = series.points.filter { countedPeriods.contains($0.period) }, before = series.points.filter { withReports.contains($0.period) }
                    let items = inside.compactMap(\.items).reduce(0, +)
                    guard items > 0 else { return nil }
                    let now = inside.compactMap(\.intensity).reduce(0, +) / Double(countedPeriods.count), then = before.compactMap(\.intensity).reduce(0, +) / Double(withReports.count)
                    return RisingTopic(topic: series.topic, intensity: now, before: then, change: now - then, items: items, reports: nil)
                }.filter { $0.change > 0 }.sorted { $0.change > $1.change }.prefix(5))
            }
        } else {
            let list = try await inv.call(AnalyticsAPI.rising, RisingRequest(period: period, limit: 5))
            rising = list.topics
            baselineMonths = list.baselineMonths
        }
        var phrases: [String: [PhraseScore]] = [:]
        var quotes: [String: String] = [:]
        for r in rising {
            let list = try await inv.call(AnalyticsAPI.phrases, PhrasesRequest(topic: r.topic, period: period, from: review ? from : nil))
            guard list.suppressed != true else { continue }
            phrases[r.topic] = list.phrases
            // One summary that says what is new, quoted as stored (scrubbed at intake).
            let query = list.phrases.first?.phrase ?? labels[r.topic] ?? r.topic
            let hits = try await inv.call(AnalyticsAPI.search, SearchItemsRequest(query: query, scope: Scope(from: from, to: period, topics: [r.topic]), limit: 1))
            if let hit = hits.hits.first { quotes[r.topic] = hit.summary }
        }
        var spikes: [Spike] = []
        for month in months { spikes += try await inv.call(AnalyticsAPI.spikes, ListSpikesRequest(period: month.period)).spikes }
        let root = province?.code ?? completeness.root
        let sentiment = try await inv.call(AnalyticsAPI.sentiment, Scope(unit: root, from: from, to: period)).rows.filter { $0.unit == root }
        // Surveys open during the months, with their estimates.
        var surveys: [SurveyResults] = []
        for survey in try await inv.call(IntakeAPI.listSurveys, Empty()).surveys where survey.state != .draft && survey.opens <= period.last && survey.closes >= from.first {
            if let id = survey.id, let results = try? await inv.call(AnalyticsAPI.surveyResults, SurveyRequest(id: id)) { surveys.append(results) }
        }
        // Reports of these months returned for correction, and the versions sent since.
        var reviews: [Review] = []
        var latest: [Period: [String: Int]] = [:]
        for month in months { for row in month.rows { if let v = row.version { latest[month.period, default: [:]][row.unit] = v } } }
        let sent = Set(months.flatMap { $0.rows.filter { $0.version != nil }.map(\.unit) })
        for unit in sent.sorted() {
            reviews += try await inv.call(IntakeAPI.reviews, ReviewsRequest(unit: unit, period: review ? nil : period)).reviews.filter { $0.state == .returned && $0.period >= from && $0.period <= period }
        }
        var data = DigestData(
            from: from, period: period, province: province?.fullName ?? root, generatedAt: now, completeness: completeness, previous: previous, months: months,
            reportingShare: share, unitNames: names, agencies: agencies, topicLabels: labels, trends: trends, rising: rising, phrases: phrases, quotes: quotes, spikes: spikes,
            sentiment: sentiment, surveys: surveys, reviews: reviews, latestVersions: latest)
        data.baselineMonths = baselineMonths
        return data
    }
}
