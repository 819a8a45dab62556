import Base
import Feeds
import Foundation
import Localization
import Messages
import RPC
import Synchronization
import Wire

/// Runs the rules and delivers: follows intake's feed (reports received, survey responses) and
/// analytics' spikes, evaluates the calendar rules every `ruleInterval` and on demand, records
/// what they plan, and hands what is due to the channel.
public final class NotificationEngine: Sendable {
    public let store: NotificationStore
    public let templates: NoticeTemplates
    public let rules: NoticeRules
    public let channel: any DeliveryChannel
    public let policy: DeliveryPolicy
    public let clock: @Sendable () -> Date
    let roster: RPCClient
    let intake: RPCClient
    let analytics: RPCClient?
    let logger: Logger
    let ruleInterval: TimeInterval
    private let lastEvaluation = Mutex<Date?>(nil)
    /// One delivery at a time: two would read the same due notices and send them twice.
    private let delivering = Mutex(false)

    public init(
        store: NotificationStore, templates: NoticeTemplates, rules: NoticeRules, channel: any DeliveryChannel, policy: DeliveryPolicy,
        roster: RPCClient, intake: RPCClient, analytics: RPCClient?, logger: Logger, ruleInterval: TimeInterval = 60,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.templates = templates
        self.rules = rules
        self.channel = channel
        self.policy = policy
        self.roster = roster
        self.intake = intake
        self.analytics = analytics
        self.logger = logger
        self.ruleInterval = ruleInterval
        self.clock = clock
    }

    /// Follows the feeds, runs the rules and delivers, until cancelled.
    public func run() async {
        if let sender = channel.sender {
            do { try await store.noteSender(sender) } catch { logger.warning("cannot note the sender address: \(error)") }
        }
        let changes = FeedFollower<Change>.intakeChanges(from: intake, into: store.queue) { page, commit in
            try await self.store.apply(page.events, commit: commit)
        }
        let spikes = analytics.map { analytics in
            FeedFollower<Spike>.analyticsSpikes(from: analytics, into: store.queue) { page, commit in
                let now = self.clock()
                let directory = try await RosterDirectory.load(from: self.roster, on: Day(now))
                let alerts = self.rules.plan(spikes: page.events, subscriptions: try await self.store.subscriptions(), directory: directory)
                try await self.store.apply(spikeAlerts: alerts, commit: commit, templates: self.templates, now: now, quietHours: self.policy.quietHours)
            }
        }
        await FeedPoller(logger: logger).run {
            try await changes.catchUp()
            try await spikes?.catchUp()
            let now = self.clock()
            if self.lastEvaluation.withLock({ $0.map { now.timeIntervalSince($0) >= self.ruleInterval || now < $0 } ?? true }) {
                let recorded = try await self.evaluate(at: now)
                if recorded > 0 { self.logger.info("rules recorded \(recorded) notices") }
            }
            let sent = try await self.deliver(at: self.clock())
            if sent > 0 { self.logger.info("delivered \(sent) notices through \(self.channel.name)") }
        }
    }

    /// A subscription whose person, topics and unit roster knows; anything else is refused,
    /// naming what roster does not have.
    func checked(_ s: Subscription) async throws -> Subscription {
        let person: Person
        do {
            person = try await roster.call(RosterAPI.getPerson, GetPersonRequest(id: s.person), deadline: .seconds(10))
        } catch {
            guard error.code == .notFound else { throw error }
            throw RPCError(.invalidArgument, tr("person: roster không có người số \(s.person); `pulse people list` liệt kê họ", en: "person: roster has no person \(s.person); `pulse people list` shows them"))
        }
        guard person.isActive(on: Day(clock())) else {
            throw RPCError(.failedPrecondition, tr("person: \(person.fullName) (\(s.person)) đã rời mạng lưới", en: "person: \(person.fullName) (\(s.person)) has left the network"))
        }
        if !s.topics.isEmpty {
            let known = Set(try await roster.call(RosterAPI.listTopics, ListTopicsRequest(), deadline: .seconds(10)).topics.map(\.code))
            if let unknown = s.topics.first(where: { !known.contains($0) }) {
                throw RPCError(.invalidArgument, tr("topics: không có chủ đề \"\(unknown)\"; các chủ đề: \(known.sorted().joined(separator: ", "))", en: "topics: no topic \"\(unknown)\"; the topics are \(known.sorted().joined(separator: ", "))"))
            }
        }
        if let unit = s.unit {
            do {
                _ = try await roster.call(RosterAPI.getUnit, GetUnitRequest(code: unit), deadline: .seconds(10))
            } catch {
                guard error.code == .notFound else { throw error }
                throw RPCError(.invalidArgument, tr("unit: roster không có đơn vị \"\(unit)\"; `pulse units search TÊN` tìm ra mã", en: "unit: roster has no unit \"\(unit)\"; `pulse units search NAME` finds codes"))
            }
        }
        return s
    }

    /// What the calendar rules plan at `now`, from roster and intake as they stand.
    public func plan(at now: Date) async throws -> [PlannedNotice] {
        let day = Day(now)
        async let directory = RosterDirectory.load(from: roster, on: day)
        async let surveyList = intake.call(IntakeAPI.listSurveys, Empty(), deadline: .seconds(10))
        let responses = try await store.surveyResponses()
        let surveys = try await surveyList.surveys.filter { $0.state == .open }.map {
            SurveyProgress(survey: $0, responses: responses[$0.id ?? -1] ?? [:])
        }
        return rules.plan(at: now, directory: try await directory, reported: try await store.reported(), surveys: surveys, returns: try await store.returns())
    }

    /// Records a "digest ready" notice for every person who subscribes to the commission's alerts,
    /// once per month and person; returns how many are new.
    public func digestReady(_ request: DigestReadyRequest, at now: Date) async throws -> Int {
        let directory = try await RosterDirectory.load(from: roster, on: Day(now))
        let people = Set(try await store.subscriptions().map(\.person)).sorted()
        let planned = people.compactMap { directory.people[$0] }.map { recipient -> PlannedNotice in
            let language = recipient.language
            let fields = [
                "recipient_name": recipient.name, "unit_name": "", "unit_code": "", "period": NoticeFormat.period(request.period, language),
                "deadline": NoticeFormat.day(request.period.dueDate(dueDay: rules.configuration.dueDay), language), "location": request.location,
                "reported": NoticeFormat.integer(request.reported, language), "expected": NoticeFormat.integer(request.expected, language),
            ]
            return PlannedNotice(
                key: "digest|\(request.period)|\(recipient.person)", rule: .digest, unit: nil, period: request.period, step: "0", recipient: recipient, fields: fields)
        }
        return try await store.record(planned, templates: templates, now: now, quietHours: policy.quietHours)
    }

    /// Runs the calendar rules at `now` and records what they plan; returns how many are new.
    @discardableResult
    public func evaluate(at now: Date) async throws -> Int {
        let planned = try await plan(at: now)
        let recorded = try await store.record(planned, templates: templates, now: now, quietHours: policy.quietHours)
        lastEvaluation.withLock { $0 = now }
        return recorded
    }

    /// What the rules would record at `at` that is not recorded yet, rendered, without sending.
    public func preview(at: Date) async throws -> [Notice] {
        let planned = try await plan(at: at)
        let recorded = try await store.recordedKeys(planned.map(\.key))
        let notBefore = policy.quietHours.release(at)
        return planned.filter { !recorded.contains($0.key) }.enumerated().map { i, p in
            let (subject, body) = templates.render(p.rule, language: p.language, fields: p.fields)
            return Notice(
                id: 0, rule: p.rule, unit: p.unit, unitName: p.fields["unit_name"], period: p.period, step: p.step, person: p.recipient?.person,
                recipientName: p.fields["recipient_name"] ?? "", address: p.recipient?.email, language: p.language, subject: subject, body: body,
                createdAt: at, notBefore: notBefore, state: p.recipient == nil ? .failed : .pending)
        }
    }

    /// Delivers every notice due at `now`, batch after batch; returns how many were sent.
    /// A delivery already under way makes this one return 0 at once.
    public func deliver(at now: Date) async throws -> Int {
        guard delivering.withLock({ busy in busy ? false : { busy = true; return true }() }) else { return 0 }
        defer { delivering.withLock { $0 = false } }
        var sent = 0
        while true {
            let batch = try await store.due(at: now, limit: 200)
            if batch.isEmpty { break }
            let reported = try await store.reported()
            let outcome = await deliverOnThread(batch, now: now, reported: reported)
            sent += try outcome.get()
            // Everything in a batch gets an outcome; a batch that sent nothing waits for the next round.
            if batch.count < 200 { break }
        }
        return sent
    }

    /// Why a reminder or escalation recorded earlier (before quiet hours, before a pause) should
    /// not go out now: its unit has reported since, or a reminder's deadline has passed.
    func noLongerNeeded(_ notice: OutgoingNotice, at now: Date, reported: Set<String>) -> String? {
        guard let unit = notice.unit, let period = notice.period, notice.rule == .reminder || notice.rule == .escalation else { return nil }
        if reported.contains("\(unit)|\(period)") { return "\(unit) has reported for \(period) since this was recorded" }
        if notice.rule == .reminder && now >= period.deadline(dueDay: rules.configuration.dueDay) {
            return "the deadline for \(period) passed before this reminder could go out"
        }
        return nil
    }

    /// The channel blocks (sockets, child processes), so it runs on a thread of its own, not on
    /// one of the few cooperative threads.
    private func deliverOnThread(_ batch: [OutgoingNotice], now: Date, reported: Set<String>) async -> Result<Int, any Error> {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Result {
                    var sent = 0
                    var ready: [OutgoingNotice] = []
                    for notice in batch {
                        if let reason = self.noLongerNeeded(notice, at: now, reported: reported) {
                            try self.store.recordNow(notice.id, outcome: .withdrawn(reason), channel: self.channel.name, at: self.clock(), policy: self.policy)
                        } else if self.channel.needsAddress && (notice.address ?? "").isEmpty {
                            try self.store.recordNow(
                                notice.id, outcome: .permanent(tr("roster chưa có địa chỉ email của \(notice.recipientName); thêm bằng `pulse people update SỐ --email ĐỊA-CHỈ`", en: "roster has no e-mail address for \(notice.recipientName); add one with `pulse people update ID --email ADDRESS`")),
                                channel: self.channel.name, at: self.clock(), policy: self.policy)
                        } else {
                            ready.append(notice)
                        }
                    }
                    try self.channel.deliver(ready, now: now) { id, outcome in
                        if case .sent = outcome { sent += 1 }
                        try self.store.recordNow(id, outcome: outcome, channel: self.channel.name, at: self.clock(), policy: self.policy)
                    }
                    return sent
                })
            }
        }
    }
}
