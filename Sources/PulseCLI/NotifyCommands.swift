import Arguments
import Foundation
import Localization
import Messages
import Wire

/// `pulse notify`, `pulse subscribe`, `pulse unsubscribe`, `pulse subscriptions`: the outbox
/// of reminders, escalations and alerts, and who receives spike alerts.
enum NotifyCommands {
    static let states = NoticeState.allCases.map(\.rawValue).joined(separator: "|")

    static var filterOptions: [OptionSpec] {
        [
            .option("state", value: states, help: tr("Chỉ thông báo ở trạng thái này.", en: "Only notices in this state.")),
            .option("unit", value: RosterCommands.codeValue, help: tr("Chỉ thông báo về đơn vị này.", en: "Only notices about this unit.")),
            .option("period", value: RosterCommands.monthValue, help: tr("Chỉ thông báo về tháng này.", en: "Only notices about this month.")),
            .option("limit", value: "n", help: tr("Bao nhiêu, mới nhất trước (mặc định 100).", en: "How many, newest first (default 100).")),
        ]
    }

    static func filter(_ inv: Invocation) throws -> ListNoticesRequest {
        var request = ListNoticesRequest(unit: inv.arguments.value("unit"), limit: try inv.arguments.integer("limit"))
        if let text = inv.arguments.value("state") {
            guard let state = NoticeState(rawValue: text) ?? NoticeState.allCases.first(where: { $0.vietnamese == text }) else {
                throw UsageError(tr("--state nhận \(states) (\(NoticeState.allCases.map(\.vietnamese).joined(separator: ", "))), không phải \"\(text)\"", en: "--state takes \(states), not \"\(text)\""))
            }
            request.state = state
        }
        if let text = inv.arguments.value("period") { request.period = try inv.period(text, option: "period") }
        if let limit = request.limit, !(1...10_000).contains(limit) { throw UsageError(tr("--limit từ 1 đến 10000, không phải \(limit)", en: "--limit is from 1 to 10000, not \(limit)")) }
        return request
    }

    /// An instant: ISO 8601, or "YYYY-MM-DD HH:MM" or "dd/mm/yyyy HH:MM" in the province's time.
    static func instant(_ text: String) throws -> Date {
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        for format in ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd", "dd/MM/yyyy HH:mm", "dd/MM/yyyy"] {
            f.dateFormat = format
            if let date = f.date(from: text) { return date }
        }
        throw UsageError(tr("--at nhận một thời điểm như \"20/11/2026 07:00\" hoặc \"2026-11-20 07:00\" (giờ Việt Nam), hay 2026-11-20T07:00:00+07:00; không phải \"\(text)\"", en: "--at takes a time like \"2026-11-20 07:00\" or \"20/11/2026 07:00\" (Asia/Ho_Chi_Minh), or 2026-11-20T07:00:00+07:00; not \"\(text)\""))
    }

    /// The rule as its templates are named: commission-escalation, survey-closing.
    static func ruleName(_ rule: NoticeRule) -> String {
        rule.rawValue.replacingOccurrences(of: "([a-z])([A-Z])", with: "$1-$2", options: .regularExpression).lowercased()
    }

    static func rows(_ notices: [Notice], _ output: Output) -> [[String]] {
        notices.map {
            [$0.id == 0 ? "" : String($0.id), output.format == .csv ? $0.state.rawValue : $0.state.word, output.format == .csv ? ruleName($0.rule) : $0.rule.word, $0.step, $0.recipientName, $0.address ?? "–",
             output.time($0.state == .sent ? $0.sentAt ?? $0.createdAt : $0.nextAttemptAt ?? $0.notBefore), $0.subject]
        }
    }

    static var headers: [String] {
        ["id", tr("trạng thái", en: "state"), tr("loại", en: "rule"), tr("bước", en: "step"), tr("gửi", en: "to"), tr("địa chỉ", en: "address"), tr("đã gửi / đến hạn", en: "sent / due"), tr("tiêu đề", en: "subject")]
    }

    static var notify: Command {
        Command(
            "notify", tr("Nhắc hạn, đôn đốc và cảnh báo: quy tắc sẽ gửi gì, đã gửi gì, và việc gửi ra sao.", en: "Reminders, escalations and alerts: what the rules would send, what they sent, and how delivery went."),
            subcommands: [
                Command(
                    "preview", tr("Quy tắc sẽ gửi gì bây giờ (hoặc lúc --at), cho ai, mà không gửi hay ghi gì.", en: "What the rules would send now (or at --at), to whom, without sending or recording anything."),
                    options: [.option("at", value: tr("thời điểm", en: "time"), help: tr("Tính tại thời điểm này, như \"26/11/2026 07:00\".", en: "Evaluate at this time, e.g. \"2026-11-26 07:00\"."))]
                ) { inv in
                    let at = try inv.arguments.value("at").map(instant)
                    let preview = try await inv.call(NotificationAPI.preview, PreviewRequest(at: at))
                    inv.output.emit(preview) {
                        inv.output.table(headers, rows(preview.notices, inv.output))
                        inv.output.note(tr("\(preview.notices.count) thông báo sẽ được ghi; những thông báo đã ghi không hiện", en: "\(LocalFormat.count(preview.notices.count, vi: "", en: "notice")) would be recorded; those already recorded are not shown"))
                    }
                },
                Command("list", tr("Hộp thư đi, mới nhất trước.", en: "The outbox, newest first."), options: filterOptions) { inv in
                    let request = try filter(inv)
                    let list = try await inv.call(NotificationAPI.listNotices, request)
                    inv.output.emit(list) {
                        inv.output.table(headers, rows(list.notices, inv.output), numeric: [0])
                        let limit = request.limit ?? 100
                        if list.notices.count == limit { inv.output.note(tr("hiện \(limit) thông báo mới nhất; --limit N để xem thêm, --state, --unit và --period để lọc bớt", en: "the newest \(limit) shown; --limit N shows more, --state, --unit and --period fewer")) }
                    }
                },
                Command("log", tr("Mọi lần gửi của các thông báo được chọn: lúc nào, qua kênh nào, kết quả ra sao.", en: "Every delivery attempt of the notices chosen: when, through which channel, with what result."), options: filterOptions) { inv in
                    let log = try await inv.call(NotificationAPI.deliveryLog, try filter(inv))
                    inv.output.emit(log) {
                        var table: [[String]] = []
                        for entry in log.entries {
                            if entry.attempts.isEmpty {
                                table.append([String(entry.notice.id), entry.notice.recipientName, "", "", "", entry.notice.state.word, entry.notice.lastError ?? tr("chưa thử gửi", en: "not tried yet")])
                            }
                            for a in entry.attempts {
                                table.append([String(entry.notice.id), entry.notice.recipientName, inv.output.time(a.at), a.channel, String(a.attempt), a.result, a.detail ?? ""])
                            }
                        }
                        inv.output.table(
                            [tr("thông báo", en: "notice"), tr("gửi", en: "to"), tr("lúc", en: "at"), tr("kênh", en: "channel"), tr("lần", en: "attempt"), tr("kết quả", en: "result"), tr("chi tiết", en: "detail")],
                            table, numeric: [0, 4])
                    }
                },
                Command("retry", tr("Đưa một thông báo không gửi được trở lại hàng chờ.", en: "Put a failed or dead notice back in the queue."), arguments: "<id>") { inv in
                    let text = try inv.positional(0, "id")
                    guard let id = Int(text), id > 0 else { throw UsageError(tr("<id> là số của thông báo trong `pulse notify list`, không phải \"\(text)\"", en: "<id> is a notice's number from `pulse notify list`, not \"\(text)\"")) }
                    let notice = try await inv.call(NotificationAPI.retry, NoticeRequest(id: id))
                    inv.output.emit(notice) {
                        inv.output.note(tr("thông báo \(notice.id) gửi \(notice.recipientName) lại chờ gửi; sẽ gửi từ \(Output.time(notice.nextAttemptAt ?? notice.notBefore))", en: "notice \(notice.id) to \(notice.recipientName) is pending again; it goes out from \(Output.time(notice.nextAttemptAt ?? notice.notBefore))"))
                    }
                },
                Command("run", tr("Chạy các quy tắc ngay và gửi những gì đến hạn (dịch vụ cũng làm việc này mỗi phút).", en: "Run the rules now and deliver what is due (the service also does this every minute).")) { inv in
                    let result = try await inv.call(NotificationAPI.runRules, Empty(), deadline: .seconds(300))
                    inv.output.emit(result) { inv.output.note(tr("đã ghi \(result.recorded) thông báo, đã gửi \(result.delivered)", en: "\(result.recorded) notices recorded, \(result.delivered) delivered")) }
                },
            ])
    }

    static var subscribe: Command {
        Command(
            "subscribe", tr("Gửi cảnh báo tăng đột biến cho một người: theo chủ đề (mặc định mọi chủ đề), ở một đơn vị và cấp dưới (mặc định cả tỉnh), từ một cường độ.", en: "Send a person spike alerts: on some topics (all by default), in a unit and under it (the province by default), from a strength."),
            arguments: tr("<số-người>", en: "<person-id>"),
            options: [
                .option("topic", value: RosterCommands.codeValue, help: tr("Mã chủ đề (lặp lại cho nhiều chủ đề; `pulse topics list` liệt kê).", en: "A topic code (repeat for several; `pulse topics list` lists them)."), repeatable: true),
                .option("unit", value: RosterCommands.codeValue, help: tr("Chỉ tăng đột biến ở đơn vị này hoặc cấp dưới.", en: "Only spikes in this unit or under it.")),
                .option("min-strength", value: "x", help: tr("Chỉ khi gấp ít nhất bấy nhiêu lần nền (như 2,5).", en: "Only spikes at least this many times their baseline (e.g. 2.5).")),
            ]
        ) { inv in
            let person = try RosterCommands.personID(inv, 0, name: tr("số-người", en: "person-id"))
            var minimum: Double?
            if let m = inv.arguments.value("min-strength") {
                let decimal = m.replacingOccurrences(of: ",", with: ".")
                guard decimal.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let x = Double(decimal), x.isFinite, x <= 1000 else {
                    throw UsageError(tr("--min-strength nhận một số từ 0 đến 1000 như 2,5 (số lần so với nền), không phải \"\(m)\"", en: "--min-strength takes a number from 0 to 1000 such as 2.5 (times the baseline), not \"\(m)\""))
                }
                minimum = x
            }
            try await AnalyticsCommands.checkTopics(inv.arguments.all("topic"), inv)
            let s = try await inv.call(NotificationAPI.subscribe, Subscription(person: person, topics: inv.arguments.all("topic"), unit: inv.arguments.value("unit"), minStrength: minimum))
            let labels = try await Names.topics(inv), units = try await Names.units(inv)
            let who = (try? await inv.call(RosterAPI.getPerson, GetPersonRequest(id: s.person))).map { "\($0.fullName) (#\(s.person))" } ?? "#\(s.person)"
            inv.output.emit(s) { inv.output.note(tr("đăng ký \(s.id ?? 0): \(who) nhận cảnh báo tăng đột biến \(describe(s, labels, units))", en: "subscription \(s.id ?? 0): \(who) receives spike alerts \(describe(s, labels, units))")) }
        }
    }

    static var unsubscribe: Command {
        Command(
            "unsubscribe", tr("Dừng một đăng ký (theo số), hoặc mọi đăng ký của một người (--person).", en: "Stop a subscription (by its id), or all of a person's (--person)."), arguments: "[<id>]",
            options: [.option("person", value: "id", help: tr("Bỏ mọi đăng ký của người này.", en: "Remove every subscription of this person."))]
        ) { inv in
            let id = try inv.arguments.positionals.first.map { text throws -> Int in
                guard let id = Int(text), id > 0 else { throw UsageError(tr("<id> là số của đăng ký trong `pulse subscriptions`, không phải \"\(text)\"", en: "<id> is a subscription's number from `pulse subscriptions`, not \"\(text)\"")) }
                return id
            }
            let person = try inv.arguments.integer("person")
            guard (id == nil) != (person == nil) else { throw UsageError(tr("hãy cho số <id> của một đăng ký hoặc --person, một trong hai", en: "give a subscription's <id> or --person, one of the two")) }
            if let person, person <= 0 { throw UsageError(tr("--person là số của một người trong `pulse people list`, không phải \(person)", en: "--person is a person's number from `pulse people list`, not \(person)")) }
            let removed = try await inv.call(NotificationAPI.unsubscribe, UnsubscribeRequest(id: id, person: person))
            inv.output.emit(removed) { inv.output.note(tr("đã bỏ \(removed.subscriptions.count) đăng ký", en: "removed \(LocalFormat.count(removed.subscriptions.count, vi: "", en: "subscription"))")) }
        }
    }

    static var subscriptions: Command {
        Command(
            "subscriptions", tr("Ai nhận cảnh báo tăng đột biến, về những gì.", en: "Who receives spike alerts, on what."), options: [.option("person", value: "id", help: tr("Chỉ của người này.", en: "Only this person's."))]
        ) { inv in
            let list = try await inv.call(NotificationAPI.listSubscriptions, ListSubscriptionsRequest(person: try inv.arguments.integer("person")))
            let labels = inv.output.format == .table ? try await Names.topics(inv) : [:]
            let units = inv.output.format == .table ? try await Names.units(inv) : [:]
            inv.output.emit(list) {
                let all = inv.output.format == .csv ? "" : tr("tất cả", en: "all")
                inv.output.table(
                    ["id", tr("người", en: "person"), tr("chủ đề", en: "topics"), tr("đơn vị", en: "unit"), tr("mức tăng tối thiểu (× nền)", en: "min strength")],
                    list.subscriptions.map { [String($0.id ?? 0), String($0.person), $0.topics.isEmpty ? all : $0.topics.map { inv.output.format == .csv ? $0 : labels[$0] ?? $0 }.joined(separator: inv.output.format == .csv ? " " : ", "), $0.unit.map { Names.unit($0, units, inv.output) } ?? all, $0.minStrength.map { inv.output.decimal($0) } ?? (inv.output.format == .csv ? "" : tr("bất kỳ", en: "any"))] },
                    numeric: [0, 1, 4])
            }
        }
    }

    static func describe(_ s: Subscription, _ labels: [String: String], _ units: [String: String]) -> String {
        let unit = s.unit.map { code in units[code].map { "\($0) (\(code))" } ?? code }
        return (s.topics.isEmpty ? tr("về mọi chủ đề", en: "on every topic") : tr("về ", en: "on ") + s.topics.map { labels[$0] ?? $0 }.joined(separator: ", "))
            + (unit.map { tr(" tại \($0) và cấp dưới", en: " in \($0) and under it") } ?? tr(" trên toàn tỉnh", en: " across the province"))
            + (s.minStrength.map { tr(", khi gấp từ \(Output.decimal($0)) lần nền", en: ", from \(Output.decimal($0))× the baseline") } ?? "")
    }
}
