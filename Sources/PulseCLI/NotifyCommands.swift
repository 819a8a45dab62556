import Arguments
import Foundation
import Messages
import Wire

/// `pulse notify`, `pulse subscribe`, `pulse unsubscribe`, `pulse subscriptions`: the outbox
/// of reminders, escalations and alerts, and who receives spike alerts.
enum NotifyCommands {
    static let states = NoticeState.allCases.map(\.rawValue).joined(separator: "|")

    static let filterOptions: [OptionSpec] = [
        .option("state", value: states, help: "Only notices in this state."),
        .option("unit", value: "code", help: "Only notices about this unit."),
        .option("period", value: "YYYY-MM", help: "Only notices about this month."),
        .option("limit", value: "n", help: "How many, newest first (default 100)."),
    ]

    static func filter(_ inv: Invocation) throws -> ListNoticesRequest {
        var request = ListNoticesRequest(unit: inv.arguments.value("unit"), limit: try inv.arguments.integer("limit"))
        if let text = inv.arguments.value("state") {
            guard let state = NoticeState(rawValue: text) else { throw UsageError("--state takes \(states), not \"\(text)\"") }
            request.state = state
        }
        if let text = inv.arguments.value("period") {
            guard let period = Period(text) else { throw UsageError("--period is a month YYYY-MM such as 2026-11, not \"\(text)\"") }
            request.period = period
        }
        if let limit = request.limit, !(1...10_000).contains(limit) { throw UsageError("--limit is from 1 to 10000, not \(limit)") }
        return request
    }

    /// An instant: ISO 8601, or "YYYY-MM-DD HH:MM" in the province's time.
    static func instant(_ text: String) throws -> Date {
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        for format in ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd", "dd/MM/yyyy HH:mm", "dd/MM/yyyy"] {
            f.dateFormat = format
            if let date = f.date(from: text) { return date }
        }
        throw UsageError("--at takes a time like \"2026-11-20 07:00\" or \"20/11/2026 07:00\" (Asia/Ho_Chi_Minh), or 2026-11-20T07:00:00+07:00; not \"\(text)\"")
    }

    /// The rule as its templates are named: commission-escalation, survey-closing.
    static func ruleName(_ rule: NoticeRule) -> String {
        rule.rawValue.replacingOccurrences(of: "([a-z])([A-Z])", with: "$1-$2", options: .regularExpression).lowercased()
    }

    static func rows(_ notices: [Notice]) -> [[String]] {
        notices.map {
            [$0.id == 0 ? "" : String($0.id), $0.state.rawValue, ruleName($0.rule), $0.step, $0.recipientName, $0.address ?? "–",
             Output.time($0.state == .sent ? $0.sentAt ?? $0.createdAt : $0.nextAttemptAt ?? $0.notBefore), $0.subject]
        }
    }

    static let notify = Command(
        "notify", "Reminders, escalations and alerts: what the rules would send, what they sent, and how delivery went.",
        subcommands: [
            Command(
                "preview", "What the rules would send now (or at --at), to whom, without sending or recording anything.",
                options: [.option("at", value: "time", help: "Evaluate at this time, e.g. \"2026-11-26 07:00\".")]
            ) { inv in
                let at = try inv.arguments.value("at").map(instant)
                let preview = try await inv.call(NotificationAPI.preview, PreviewRequest(at: at))
                inv.output.emit(preview) {
                    inv.output.table(["", "state", "rule", "step", "to", "address", "not before", "subject"], rows(preview.notices))
                    inv.output.note("\(preview.notices.count) notices would be recorded; those already recorded are not shown")
                }
            },
            Command("list", "The outbox, newest first.", options: filterOptions) { inv in
                let request = try filter(inv)
                let list = try await inv.call(NotificationAPI.listNotices, request)
                inv.output.emit(list) {
                    inv.output.table(["id", "state", "rule", "step", "to", "address", "sent / due", "subject"], rows(list.notices), numeric: [0])
                    let limit = request.limit ?? 100
                    if list.notices.count == limit { inv.output.note("the newest \(limit) shown; --limit N shows more, --state, --unit and --period fewer") }
                }
            },
            Command("log", "Every delivery attempt of the notices chosen: when, through which channel, with what result.", options: filterOptions) { inv in
                let log = try await inv.call(NotificationAPI.deliveryLog, try filter(inv))
                inv.output.emit(log) {
                    var table: [[String]] = []
                    for entry in log.entries {
                        if entry.attempts.isEmpty {
                            table.append([String(entry.notice.id), entry.notice.recipientName, "", "", "", entry.notice.state.rawValue, entry.notice.lastError ?? "not tried yet"])
                        }
                        for a in entry.attempts {
                            table.append([String(entry.notice.id), entry.notice.recipientName, Output.time(a.at), a.channel, String(a.attempt), a.result, a.detail ?? ""])
                        }
                    }
                    inv.output.table(["notice", "to", "at", "channel", "attempt", "result", "detail"], table, numeric: [0, 4])
                }
            },
            Command("retry", "Put a failed or dead notice back in the queue.", arguments: "<id>") { inv in
                let text = try inv.positional(0, "id")
                guard let id = Int(text), id > 0 else { throw UsageError("<id> is a notice's number from `pulse notify list`, not \"\(text)\"") }
                let notice = try await inv.call(NotificationAPI.retry, NoticeRequest(id: id))
                inv.output.emit(notice) { inv.output.note("notice \(notice.id) to \(notice.recipientName) is pending again; it goes out from \(Output.time(notice.nextAttemptAt ?? notice.notBefore))") }
            },
            Command("run", "Run the rules now and deliver what is due (the service also does this every minute).") { inv in
                let result = try await inv.call(NotificationAPI.runRules, Empty(), deadline: .seconds(300))
                inv.output.emit(result) { inv.output.note("\(result.recorded) notices recorded, \(result.delivered) delivered") }
            },
        ])

    static let subscribe = Command(
        "subscribe", "Send a person spike alerts: on some topics (all by default), in a unit and under it (the province by default), from a strength.",
        arguments: "<person-id>",
        options: [
            .option("topic", value: "code", help: "A topic code (repeat for several; `pulse topics` lists them).", repeatable: true),
            .option("unit", value: "code", help: "Only spikes in this unit or under it."),
            .option("min-strength", value: "x", help: "Only spikes at least this many times their baseline (e.g. 2.5)."),
        ]
    ) { inv in
        let text = try inv.positional(0, "person-id")
        guard let person = Int(text), person > 0 else { throw UsageError("<person-id> is a person's number from `pulse people list`, not \"\(text)\"") }
        var minimum: Double?
        if let m = inv.arguments.value("min-strength") {
            let decimal = m.replacingOccurrences(of: ",", with: ".")
            guard decimal.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let x = Double(decimal), x.isFinite, x <= 1000 else {
                throw UsageError("--min-strength takes a number from 0 to 1000 such as 2.5 (times the baseline), not \"\(m)\"")
            }
            minimum = x
        }
        let s = try await inv.call(NotificationAPI.subscribe, Subscription(person: person, topics: inv.arguments.all("topic"), unit: inv.arguments.value("unit"), minStrength: minimum))
        inv.output.emit(s) { inv.output.note("subscription \(s.id ?? 0): person \(s.person) receives spike alerts \(describe(s))") }
    }

    static let unsubscribe = Command(
        "unsubscribe", "Stop a subscription (by its id), or all of a person's (--person).", arguments: "[<id>]",
        options: [.option("person", value: "id", help: "Remove every subscription of this person.")]
    ) { inv in
        let id = try inv.arguments.positionals.first.map { text throws -> Int in
            guard let id = Int(text), id > 0 else { throw UsageError("<id> is a subscription's number from `pulse subscriptions`, not \"\(text)\"") }
            return id
        }
        let person = try inv.arguments.integer("person")
        guard (id == nil) != (person == nil) else { throw UsageError("give a subscription's <id> or --person, one of the two") }
        if let person, person <= 0 { throw UsageError("--person is a person's number from `pulse people list`, not \(person)") }
        let removed = try await inv.call(NotificationAPI.unsubscribe, UnsubscribeRequest(id: id, person: person))
        inv.output.emit(removed) { inv.output.note("removed \(removed.subscriptions.count == 1 ? "1 subscription" : "\(removed.subscriptions.count) subscriptions")") }
    }

    static let subscriptions = Command(
        "subscriptions", "Who receives spike alerts, on what.", options: [.option("person", value: "id", help: "Only this person's.")]
    ) { inv in
        let list = try await inv.call(NotificationAPI.listSubscriptions, ListSubscriptionsRequest(person: try inv.arguments.integer("person")))
        inv.output.emit(list) {
            inv.output.table(
                ["id", "person", "topics", "unit", "min strength"],
                list.subscriptions.map { [String($0.id ?? 0), String($0.person), $0.topics.isEmpty ? "all" : $0.topics.joined(separator: ", "), $0.unit ?? "all", $0.minStrength.map { String($0) } ?? "any"] },
                numeric: [0, 1, 4])
        }
    }

    static func describe(_ s: Subscription) -> String {
        (s.topics.isEmpty ? "on every topic" : "on " + s.topics.joined(separator: ", ")) + (s.unit.map { " in \($0) and under it" } ?? " across the province")
            + (s.minStrength.map { ", from \($0)× the baseline" } ?? "")
    }
}
