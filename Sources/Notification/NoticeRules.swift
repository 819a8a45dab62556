import Foundation
import Messages

/// When the rules speak.
public struct RuleConfiguration: Sendable {
    /// Reports are due before this day of the month (as intake's --due-day).
    public var dueDay: Int
    /// Reminders this many days before the deadline.
    public var remindDays: [Int]
    /// Escalations this many days after: the first to the units' and their parents' officials,
    /// the later ones to the commission.
    public var escalateDays: [Int]
    /// Survey reminders this many days before a survey closes.
    public var surveyDays: Int
    /// Spikes with fewer items than this reach commission staff only.
    public var minimumCell: Int

    public init(dueDay: Int = 25, remindDays: [Int] = [5, 1], escalateDays: [Int] = [1, 3], surveyDays: Int = 3, minimumCell: Int = 3) {
        self.dueDay = dueDay
        self.remindDays = remindDays
        self.escalateDays = escalateDays
        self.surveyDays = surveyDays
        self.minimumCell = minimumCell
    }
}

/// A notice the rules want to exist. Its key names it: a key already in the outbox is
/// never recorded again, however often the rules run.
public struct PlannedNotice: Sendable {
    public var key: String
    public var rule: NoticeRule
    public var unit: String?
    public var period: Period?
    public var step: String
    /// Nil when nobody is there to receive it (no official assigned): recorded as failed.
    public var recipient: Recipient?
    public var fields: [String: String]
    public var language: String { recipient?.language ?? "vi" }
}

/// A report the commission returned for correction.
public struct ReturnedReport: Sendable, Hashable {
    public var unit: String
    public var period: Period
    public var version: Int
    public var reason: String
    public init(unit: String, period: Period, version: Int, reason: String) {
        self.unit = unit
        self.period = period
        self.version = version
        self.reason = reason
    }
}

/// A survey and how many responses each unit has sent.
public struct SurveyProgress: Sendable {
    public var survey: Survey
    public var responses: [String: Int]
    public init(survey: Survey, responses: [String: Int]) {
        self.survey = survey
        self.responses = responses
    }
}

/// The rules, as a function of the time and the state of the cycle: no I/O, so that a month
/// can be replayed day by day and a preview costs nothing.
public struct NoticeRules: Sendable {
    public let configuration: RuleConfiguration
    static let day: TimeInterval = 86_400

    public init(_ configuration: RuleConfiguration) { self.configuration = configuration }

    /// Whole civil days from `a` to `b` in the province.
    static func days(from a: Day, to b: Day) -> Int {
        Int(((b.startOfDay.timeIntervalSince1970 - a.startOfDay.timeIntervalSince1970) / day).rounded())
    }

    /// Reminders, escalations and survey reminders due at `now`. `reported` holds
    /// "unit|period" for every report received.
    public func plan(at now: Date, directory: RosterDirectory, reported: Set<String>, surveys: [SurveyProgress], returns: [ReturnedReport] = []) -> [PlannedNotice] {
        let today = Day(now)
        var out: [PlannedNotice] = []
        for period in [today.period.previous, today.period] {
            let deadline = period.deadline(dueDay: configuration.dueDay)
            let due = period.dueDate(dueDay: configuration.dueDay)
            let expected = directory.units.values
                .filter { UnitKind.reporting.contains($0.kind) && $0.isValid(on: due) }
                .map(\.code).sorted()
            let missing = expected.filter { !reported.contains("\($0)|\(period)") }
            guard !missing.isEmpty else { continue }
            func fields(_ unit: String?, _ recipient: Recipient?) -> [String: String] {
                let language = recipient?.language ?? "vi"
                return [
                    "recipient_name": recipient?.name ?? (language == "en" ? "(no official assigned)" : "(chưa phân công)"),
                    "unit_name": unit.map(directory.unitLabel) ?? "", "unit_code": unit ?? "",
                    "period": NoticeFormat.period(period, language), "deadline": NoticeFormat.day(due, language),
                ]
            }
            if now < deadline {
                // Only the nearest reminder that has come: after a pause, one reminder, not a burst.
                let come = configuration.remindDays.filter { deadline.addingTimeInterval(-Double($0) * NoticeRules.day) <= now }
                guard let step = come.min() else { continue }
                let left = NoticeRules.days(from: today, to: due)
                for unit in missing {
                    let recipient = directory.officials[unit]
                    var f = fields(unit, recipient)
                    f["days_left"] = String(left)
                    f["days_left_text"] = NoticeFormat.days(left, recipient?.language ?? "vi")
                    out.append(PlannedNotice(
                        key: "reminder|\(unit)|\(period)|-\(step)|\(recipient.map { String($0.person) } ?? "none")", rule: .reminder, unit: unit,
                        period: period, step: "-\(step)", recipient: recipient, fields: f))
                }
                continue
            }
            // Escalations about a month stop once the next month's reports are due.
            guard now < period.next.deadline(dueDay: configuration.dueDay), let first = configuration.escalateDays.min() else { continue }
            let late = NoticeRules.days(from: due, to: today)
            for step in configuration.escalateDays.sorted() where deadline.addingTimeInterval(Double(step) * NoticeRules.day) <= now {
                if step == first {
                    for unit in missing {
                        var recipients: [Recipient?] = [directory.officials[unit]]
                        if let parent = directory.units[unit]?.parent, let official = directory.officials[parent], official != recipients[0] {
                            recipients.append(official)
                        }
                        for recipient in recipients {
                            var f = fields(unit, recipient)
                            f["days_late"] = String(late)
                            f["days_late_text"] = NoticeFormat.days(late, recipient?.language ?? "vi")
                            out.append(PlannedNotice(
                                key: "escalation|\(unit)|\(period)|+\(step)|\(recipient.map { String($0.person) } ?? "none")", rule: .escalation, unit: unit,
                                period: period, step: "+\(step)", recipient: recipient, fields: f))
                        }
                    }
                } else {
                    let staff: [Recipient?] = directory.commissionStaff.isEmpty ? [nil] : directory.commissionStaff
                    for recipient in staff {
                        let language = recipient?.language ?? "vi"
                        var f = fields(nil, recipient)
                        f["days_late"] = String(late)
                        f["days_late_text"] = NoticeFormat.days(late, language)
                        f["missing_count"] = NoticeFormat.integer(missing.count, language)
                        f["missing_count_text"] = language == "en"
                            ? (missing.count == 1 ? "1 unit" : "\(NoticeFormat.integer(missing.count, language)) units")
                            : "\(NoticeFormat.integer(missing.count, language)) đơn vị"
                        f["missing_units"] = missing.map { unit in
                            let official = directory.officials[unit].map { language == "en" ? ", official in charge: \($0.name)" : ", đồng chí \($0.name) phụ trách" } ?? ""
                            return "– " + directory.unitLabel(unit) + official
                        }.joined(separator: "\n")
                        out.append(PlannedNotice(
                            key: "commission-escalation|\(period)|+\(step)|\(recipient.map { String($0.person) } ?? "none")", rule: .commissionEscalation,
                            unit: nil, period: period, step: "+\(step)", recipient: recipient, fields: f))
                    }
                }
            }
        }
        out += planSurveys(at: now, today: today, directory: directory, surveys: surveys)
        out += planReturns(returns, directory: directory)
        return out
    }

    /// A returned report, once, to its unit's official: what to correct, and by when it counts.
    func planReturns(_ returns: [ReturnedReport], directory: RosterDirectory) -> [PlannedNotice] {
        returns.map { r in
            let recipient = directory.officials[r.unit]
            let language = recipient?.language ?? "vi"
            let fields = [
                "recipient_name": recipient?.name ?? (language == "en" ? "(no official assigned)" : "(chưa phân công)"),
                "unit_name": directory.unitLabel(r.unit), "unit_code": r.unit, "period": NoticeFormat.period(r.period, language),
                "deadline": NoticeFormat.day(r.period.dueDate(dueDay: configuration.dueDay), language), "version": String(r.version), "reason": r.reason,
            ]
            return PlannedNotice(
                key: "returned|\(r.unit)|\(r.period)|v\(r.version)|\(recipient.map { String($0.person) } ?? "none")", rule: .returned, unit: r.unit,
                period: r.period, step: "v\(r.version)", recipient: recipient, fields: fields)
        }
    }

    private func planSurveys(at now: Date, today: Day, directory: RosterDirectory, surveys: [SurveyProgress]) -> [PlannedNotice] {
        var out: [PlannedNotice] = []
        for progress in surveys {
            let s = progress.survey
            guard let id = s.id, s.state == .open, let quota = s.quota else { continue }
            let closesAt = s.closes.startOfDay
            // Until the day before it closes: a reminder on the closing day itself comes too late.
            guard closesAt.addingTimeInterval(-Double(configuration.surveyDays) * NoticeRules.day) <= now, now < closesAt else { continue }
            var reached = directory.units.values.filter { u in
                UnitKind.reporting.contains(u.kind) && s.targetUnits.contains { directory.isUnder(u.code, $0) }
            }.map(\.code)
            if reached.isEmpty { reached = s.targetUnits }
            for unit in reached.sorted() where progress.responses[unit, default: 0] < quota {
                let recipient = directory.officials[unit]
                let language = recipient?.language ?? "vi"
                let f: [String: String] = [
                    "recipient_name": recipient?.name ?? (language == "en" ? "(no official assigned)" : "(chưa phân công)"),
                    "unit_name": directory.unitLabel(unit), "unit_code": unit, "period": NoticeFormat.period(today.period, language),
                    "deadline": NoticeFormat.day(s.closes, language), "survey_title": s.title, "closes": NoticeFormat.day(s.closes, language),
                    "days_left": String(NoticeRules.days(from: today, to: s.closes)),
                    "days_left_text": NoticeFormat.days(NoticeRules.days(from: today, to: s.closes), language),
                    "responses": NoticeFormat.integer(progress.responses[unit, default: 0], language), "quota": NoticeFormat.integer(quota, language),
                ]
                out.append(PlannedNotice(
                    key: "survey-closing|\(id)|\(unit)|-\(configuration.surveyDays)|\(recipient.map { String($0.person) } ?? "none")",
                    rule: .surveyClosing, unit: unit, period: nil, step: "-\(configuration.surveyDays)", recipient: recipient, fields: f))
            }
        }
        return out
    }

    /// Alerts for `spikes` to the subscribers they match. Someone outside the commission's
    /// staff is not told of a cell smaller than the minimum.
    public func plan(spikes: [Spike], subscriptions: [Subscription], directory: RosterDirectory) -> [PlannedNotice] {
        var out: [PlannedNotice] = []
        for spike in spikes {
            for s in subscriptions {
                guard s.topics.isEmpty || s.topics.contains(spike.topic),
                    s.unit.map({ directory.isUnder(spike.unit, $0) }) ?? true,
                    spike.strength >= (s.minStrength ?? 0),
                    let recipient = directory.people[s.person],
                    recipient.isCommissionStaff || spike.items >= configuration.minimumCell
                else { continue }
                let language = recipient.language
                let f: [String: String] = [
                    "recipient_name": recipient.name, "unit_name": directory.unitLabel(spike.unit), "unit_code": spike.unit,
                    "period": NoticeFormat.period(spike.period, language),
                    "deadline": NoticeFormat.day(spike.period.dueDate(dueDay: configuration.dueDay), language),
                    "topic": directory.topicLabel(spike.topic, language: language), "items": NoticeFormat.integer(spike.items, language),
                    "strength": NoticeFormat.decimal(spike.strength, language), "baseline": NoticeFormat.decimal(spike.baseline, language),
                ]
                out.append(PlannedNotice(
                    key: "spike|\(spike.unit)|\(spike.period)|\(spike.topic)|\(recipient.person)", rule: .spike, unit: spike.unit, period: spike.period,
                    step: "0", recipient: recipient, fields: f))
            }
        }
        return out
    }
}
