import Arguments
import Digest
import Foundation
import Localization
import Messages
import Wire

/// `pulse digest`: the month's synthesis for the standing committee as one HTML page.
enum DigestCommand {
    static var command: Command {
        Command(
            "digest", tr("Viết bản tổng hợp tháng gửi Ban Thường vụ: một trang HTML in được khổ A4, có biểu đồ.", en: "Write the month's synthesis for the standing committee: one HTML page, printable on A4, with charts."),
            options: [
                .option("period", short: "p", value: RosterCommands.monthValue, help: tr("Tháng (mặc định tháng gần nhất đã qua hạn: tháng này từ ngày 25, trước đó tháng trước).", en: "The month (default the latest past its deadline: this month from the 25th, the one before until then).")),
                .option("from", value: RosterCommands.monthValue, help: tr("Cùng --to: đặt hai tháng cạnh nhau để so sánh (sơ kết, tổng kết).", en: "With --to: two months side by side, to compare (a periodic review).")),
                .option("to", value: RosterCommands.monthValue, help: tr("Kỳ thứ hai để so sánh.", en: "The second period to compare.")),
                .option("out", short: "o", value: tr("tệp.html", en: "file.html"), help: tr("Ghi vào tệp này (bắt buộc); một thư mục: ghi tong-hop-NĂM-THÁNG.html trong đó.", en: "Write to this file (required); a directory: write tong-hop-YYYY-MM.html in it.")),
                .flag("no-notify", help: tr("Không báo người đăng ký (bản nháp, bản in thử). Chỉ tháng đã qua hạn và có báo cáo mới được báo, mỗi người một lần.", en: "Do not tell the subscribers (a draft, a test print). Only a month past its deadline with reports is announced, once per person.")),
            ]
        ) { inv in
            let given = try inv.arguments.required("out")
            var periods: [Period]
            if let from = inv.arguments.value("from") {
                guard let to = inv.arguments.value("to") else { throw UsageError(tr("--from cần đi cùng --to", en: "--from needs --to")) }
                guard inv.arguments.value("period") == nil else { throw UsageError(tr("chọn --period hoặc --from và --to", en: "choose --period, or --from with --to")) }
                periods = [try inv.period(from, option: "from"), try inv.period(to, option: "to")]
                guard periods[0] < periods[1] else {
                    throw UsageError(tr("--from là tháng trước --to (như --from 04/2026 --to 10/2026)", en: "--from is a month before --to (such as --from 2026-04 --to 2026-10)"))
                }
            } else {
                guard inv.arguments.value("to") == nil else { throw UsageError(tr("--to cần đi cùng --from", en: "--to needs --from")) }
                periods = [try inv.arguments.value("period").map { try inv.period($0, option: "period") } ?? latestPastDeadline(Day.today)]
            }
            for p in periods where p > Day.today.period {
                throw UsageError(tr("tháng \(p.text) chưa đến", en: "\(p.text) has not come yet"))
            }
            let started = ContinuousClock.now
            var months: [DigestData] = []
            for p in periods { months.append(try await gather(inv, period: p)) }
            let html = DigestPage.render(months)
            var out = given
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue {
                // A scheduled run names its file by the month (pulse-digest.timer).
                out = URL(fileURLWithPath: out).appendingPathComponent("tong-hop-" + periods.map(\.description).joined(separator: "-") + ".html").path
            }
            // Written beside it and renamed: a reader (or the timer's next run) never sees half a page.
            let partial = out + ".\(getpid()).tmp"
            guard FileManager.default.createFile(atPath: partial, contents: Data(html.utf8)), rename(partial, out) == 0 else {
                unlink(partial)
                throw CLIError(tr("không ghi được \(out): thư mục không có hoặc bạn không có quyền ghi ở đó", en: "cannot write \(out): its directory does not exist or you may not write there"))
            }
            let seconds = (ContinuousClock.now - started).components
            let elapsed = Double(seconds.seconds) + Double(seconds.attoseconds) / 1e18
            // The commission's subscribers hear that it is there (notification may be absent): once
            // per month and person, for a month past its deadline with something to read, unless
            // this is a draft.
            if let last = months.last, !inv.arguments.has("no-notify"), last.monthClosed, last.completeness.reported > 0 {
                let location = URL(fileURLWithPath: out).standardizedFileURL.path
                do {
                    let told = try await inv.call(NotificationAPI.digestReady, DigestReadyRequest(period: last.period, location: location, reported: last.completeness.reported, expected: last.completeness.expected), deadline: .seconds(30))
                    if told.recorded > 0 { inv.output.note(tr("đã báo \(told.recorded) người đăng ký nhận thông báo", en: "told \(LocalFormat.count(told.recorded, vi: "", en: "subscriber"))")) }
                } catch {
                    warn(tr("chú ý: chưa báo được người đăng ký (\(error)); bản tổng hợp vẫn đã ghi", en: "note: the subscribers were not told (\(error)); the digest is written all the same"))
                }
            }
            if inv.output.format == .json {
                struct Written: Encodable { var file: String; var periods: [Period]; var seconds: Double }
                print(Output.json(Written(file: URL(fileURLWithPath: out).standardizedFileURL.path, periods: periods, seconds: elapsed)))
                return
            }
            inv.output.note(tr("đã ghi bản tổng hợp \(periods.map(\.text).joined(separator: " và ")) vào \(out) (\(Output.decimal(elapsed, 2)) giây); mở bằng trình duyệt, in khổ A4",
                               en: "wrote the digest of \(periods.map(\.text).joined(separator: " and ")) to \(out) (\(Output.decimal(elapsed, 2)) s); open it in a browser, print on A4"))
        }
    }

    /// The latest month whose reports are past their deadline (before the 25th): this month from
    /// the 25th on, the month before until then.
    static func latestPastDeadline(_ today: Day) -> Period {
        today < today.period.dueDate(dueDay: ReportDue.dueDay) ? today.period.previous : today.period
    }

    /// The month's figures, from roster, intake and analytics.
    static func gather(_ inv: Invocation, period: Period) async throws -> DigestData {
        let units = try await inv.call(RosterAPI.listUnits, ListUnitsRequest()).units
        let names = Dictionary(units.map { ($0.code, $0.fullName) }, uniquingKeysWith: { a, _ in a })
        let agencies = Dictionary(units.map { ($0.code, RosterCommands.agencyName($0.agency)) }, uniquingKeysWith: { a, _ in a })
        let province = units.first { $0.kind == .province && $0.validTo == nil }
        let labels = try await Names.topics(inv)
        let completeness = try await inv.call(AnalyticsAPI.completeness, CompletenessRequest(period: period))
        // Twelve months of completeness: the months before, and each unit's share reported.
        var previous: [Completeness] = []
        var reported: [String: Int] = [:]
        for back in stride(from: 11, through: 1, by: -1) {
            let month = try await inv.call(AnalyticsAPI.completeness, CompletenessRequest(period: Period(index: period.index - back)))
            if back <= 5 { previous.append(month) }
            for row in month.rows where row.state == .onTime || row.state == .late { reported[row.unit, default: 0] += 1 }
        }
        for row in completeness.rows where row.state == .onTime || row.state == .late { reported[row.unit, default: 0] += 1 }
        let share = reported.mapValues { Double($0) / 12 }
        let trends = try await inv.call(AnalyticsAPI.trends, Scope(from: Period(index: period.index - 11), to: period))
        let rising = try await inv.call(AnalyticsAPI.rising, RisingRequest(period: period, limit: 5)).topics
        var phrases: [String: [PhraseScore]] = [:]
        var quotes: [String: String] = [:]
        for r in rising {
            let list = try await inv.call(AnalyticsAPI.phrases, PhrasesRequest(topic: r.topic, period: period))
            guard list.suppressed != true else { continue }
            phrases[r.topic] = list.phrases
            // One summary that says what is new, quoted as stored (scrubbed at intake).
            let query = list.phrases.first?.phrase ?? labels[r.topic] ?? r.topic
            let hits = try await inv.call(AnalyticsAPI.search, SearchItemsRequest(query: query, scope: Scope(from: period, to: period, topics: [r.topic]), limit: 1))
            if let hit = hits.hits.first { quotes[r.topic] = hit.summary }
        }
        let spikes = try await inv.call(AnalyticsAPI.spikes, ListSpikesRequest(period: period)).spikes
        let root = province?.code ?? completeness.root
        let sentiment = try await inv.call(AnalyticsAPI.sentiment, Scope(unit: root, from: period, to: period)).rows.filter { $0.unit == root }
        // Surveys open during the month, with their estimates.
        var surveys: [SurveyResults] = []
        for survey in try await inv.call(IntakeAPI.listSurveys, Empty()).surveys where survey.state != .draft && survey.opens <= period.last && survey.closes >= period.first {
            if let id = survey.id, let results = try? await inv.call(AnalyticsAPI.surveyResults, SurveyRequest(id: id)) { surveys.append(results) }
        }
        // Reports returned for correction this month, and the versions sent since.
        var reviews: [Review] = []
        var latest: [String: Int] = [:]
        for row in completeness.rows where row.version != nil {
            latest[row.unit] = row.version
            reviews += try await inv.call(IntakeAPI.reviews, ReviewsRequest(unit: row.unit, period: period)).reviews.filter { $0.state == .returned }
        }
        return DigestData(
            period: period, province: province?.fullName ?? root, generatedAt: PulseClock.now, completeness: completeness, previous: previous, reportingShare: share,
            unitNames: names, agencies: agencies, topicLabels: labels, trends: trends, rising: rising, phrases: phrases, quotes: quotes, spikes: spikes,
            sentiment: sentiment, surveys: surveys, reviews: reviews, latestVersions: latest)
    }
}
