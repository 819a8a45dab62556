import Base
import Foundation
import Localization
import Messages
import RPC
import Statistics
import Store
import Synchronization

/// The weights and grade thresholds of the annual ranking (xếp loại hàng năm), read from a
/// JSON file so the commission can change them without a new build.
public struct RankingWeights: Codable, Sendable, Hashable {
    public var reporting = 0.35
    public var timeliness = 0.25
    public var official = 0.15
    public var team = 0.15
    public var surveys = 0.10
    /// Lowest scores (0…1) for xuất sắc, tốt and khá; below khá is yếu.
    public var excellent = 0.90
    public var good = 0.75
    public var fair = 0.50

    public init() {}

    public static func load(path: String) throws -> RankingWeights {
        guard let data = FileManager.default.contents(atPath: path) else { throw RPCError(.invalidArgument, "ranking weights: cannot read \(path)") }
        do {
            let w = try JSONDecoder().decode(RankingWeights.self, from: data)
            let total = w.reporting + w.timeliness + w.official + w.team + w.surveys
            guard [w.reporting, w.timeliness, w.official, w.team, w.surveys].allSatisfy({ $0 >= 0 }), total > 0 else {
                throw RPCError(.invalidArgument, "ranking weights in \(path): weights must be non-negative and not all zero")
            }
            guard w.fair <= w.good, w.good <= w.excellent else {
                throw RPCError(.invalidArgument, "ranking weights in \(path): thresholds must rise: fair ≤ good ≤ excellent")
            }
            return w
        } catch let e as RPCError {
            throw e
        } catch {
            throw RPCError(.invalidArgument, "ranking weights in \(path): \(error)")
        }
    }

    public func grade(_ score: Double) -> String {
        score >= excellent ? "xuất sắc" : score >= good ? "tốt" : score >= fair ? "khá" : "yếu"
    }
}

extension AnalyticsStore {
    /// Scores every reporting unit for a year from what analytics holds (reports, survey
    /// responses) and what roster says (officials' terms, teams at the year's end or today).
    public func ranking(_ request: RankingRequest, assignments: [Assignment], teams: [TeamStatusRow], today: Day = Day.today) async throws -> Ranking {
        let weights = configuration.ranking
        let year = request.year
        guard let yearStart = Day(year: year, month: 1, day: 1), let yearEnd = Day(year: year + 1, month: 1, day: 1) else {
            throw RPCError(.invalidArgument, tr("year: \(year) không phải năm Pulse xếp loại được; hãy cho một năm từ 1900 đến 9998", en: "year: \(year) is not a year Pulse can rank; give one from 1900 to 9998"))
        }
        let due = dueDay
        // Months whose deadline has passed.
        let months = (1...12).filter { Period(year: year, month: $0)!.dueDate(dueDay: due) <= today }
        let inside = try subtree(request.unit)
        let units = unitList.withLock { $0 }
        let (versions, surveys) = try await queue.read { db in
            var versions: [String: [String: (at: Double, items: Int)]] = [:]  // unit → period → first version
            try db.forEach("SELECT unit, period, received_at, items FROM report_versions WHERE period BETWEEN ? AND ? AND version = 1", ["\(year)-01", "\(year)-12"]) { row in
                try versions[row.get(0), default: [:]][row.get(1)] = (row.get(2), row.get(3))
            }
            var surveys: [String: Int] = [:]
            for row in try db.query("SELECT unit, count(DISTINCT survey) FROM survey_responses WHERE day BETWEEN ? AND ? GROUP BY unit", ["\(year)-01-01", "\(year)-12-31"]) {
                try surveys[row.get(0)] = row.get(1)
            }
            return (versions, surveys)
        }
        let teamByUnit = Dictionary(teams.map { ($0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [RankingRow] = []
        for u in units where AnalyticsStore.reportingKinds.contains(u.kind) && (inside?.contains(u.code) ?? true) {
            guard u.from < yearEnd, u.to.map({ $0 > yearStart }) ?? true else { continue }
            var expected = 0, reported = 0, onTime = 0
            for m in months {
                let period = Period(year: year, month: m)!
                let deadline = period.dueDate(dueDay: due)
                guard u.from <= deadline, u.to.map({ deadline < $0 }) ?? true else { continue }
                expected += 1
                guard let first = versions[u.code]?[period.description] else { continue }
                reported += 1
                if first.at < period.deadline(dueDay: due).timeIntervalSince1970 && first.items > 0 { onTime += 1 }
            }
            guard expected > 0 else { continue }
            // Days of the year (while the unit existed, up to today) with an official in charge.
            let start = max(yearStart, u.from)
            let end = min(min(yearEnd, u.to ?? yearEnd), max(start, today))
            let span = AnalyticsStore.days(from: start, to: end)
            var covered = 0
            for a in assignments where a.unit == u.code {
                let s = max(a.from, start)
                let e = min(a.to ?? end, end)
                if s < e { covered += AnalyticsStore.days(from: s, to: e) }
            }
            let officialShare = span > 0 ? min(1, Double(covered) / Double(span)) : 0
            let team = teamByUnit[u.code]
            let teamShare = team.map { $0.norm == 0 ? 1 : min(1, Double($0.active) / Double($0.norm)) } ?? 1
            let surveysRun = surveys[u.code] ?? 0
            let parts: [(String, Double, Double, String)] = [
                ("reporting", Double(reported) / Double(expected), weights.reporting, tr("\(reported) trên \(expected) tháng đã báo cáo", en: "\(reported) of \(expected) months reported")),
                ("timeliness", Double(onTime) / Double(expected), weights.timeliness, tr("\(onTime) trên \(expected) tháng đúng hạn", en: "\(onTime) of \(expected) on time")),
                ("official", officialShare, weights.official, tr("có cán bộ phụ trách \(Int((officialShare * 100).rounded()))% thời gian trong năm", en: "an official in charge \(Int((officialShare * 100).rounded()))% of the year")),
                ("team", teamShare, weights.team, team.map { tr("\($0.active) trên \($0.norm) cộng tác viên", en: "\($0.active) of \($0.norm) collaborators") } ?? tr("chưa có định mức đội", en: "no team norm")),
                ("surveys", min(1, Double(surveysRun)), weights.surveys, tr(surveysRun == 0 ? "chưa thực hiện khảo sát nào" : "đã thực hiện \(surveysRun) khảo sát", en: "\(surveysRun) survey\(surveysRun == 1 ? "" : "s") run")),
            ]
            let totalWeight = parts.map(\.2).reduce(0, +)
            let components = parts.map { RankingComponent(name: $0.0, value: $0.1, weight: $0.2 / totalWeight, points: $0.1 * $0.2 / totalWeight, detail: $0.3) }
            let score = components.map(\.points).reduce(0, +)
            rows.append(RankingRow(rank: 0, unit: u.code, name: u.name, score: score, grade: weights.grade(score), components: components))
        }
        rows.sort { $0.score != $1.score ? $0.score > $1.score : $0.unit < $1.unit }
        var rank = 0
        var last: Double?
        for i in rows.indices {
            if rows[i].score != last { rank = i + 1 }
            rows[i].rank = rank
            last = rows[i].score
        }
        return Ranking(year: year, months: months.count, rows: rows)
    }

    static func days(from a: Day, to b: Day) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let da = calendar.date(from: DateComponents(year: a.year, month: a.month, day: a.day))!
        let db = calendar.date(from: DateComponents(year: b.year, month: b.month, day: b.day))!
        return max(0, Int((db.timeIntervalSince(da) / 86400).rounded()))
    }

    // MARK: Survey estimates

    /// Proportions with Wilson intervals and means with t-intervals; when the responses'
    /// spread over units differs from the units' populations, post-stratification weights are
    /// applied and the design effect reported.
    public func surveyResults(_ data: SurveyResponses) async throws -> SurveyResults {
        let populations = try await queue.read { db in
            Dictionary(try db.query("SELECT code, population FROM units WHERE population IS NOT NULL").map { try ($0.get(0, as: String.self), Double($0.get(1, as: Int.self))) }, uniquingKeysWith: { a, _ in a })
        }
        let responses = data.responses
        var sample: [String: Int] = [:]
        for r in responses { sample[r.unit, default: 0] += 1 }
        let targetPopulations = data.survey.targetUnits.reduce(into: [String: Double]()) { acc, code in
            if let p = populations[code] { acc[code] = p }
        }
        // Responses are collected in target units or units under them: weight by the unit they were collected in, when its population is known.
        let strataPopulation = sample.keys.reduce(into: [String: Double]()) { acc, code in
            if let p = populations[code] { acc[code] = p }
        }
        let n = Double(responses.count)
        var weighted = false
        var weights = [Double](repeating: 1, count: responses.count)
        if strataPopulation.count == sample.count, strataPopulation.count >= 2, n > 0 {
            let total = strataPopulation.values.reduce(0, +)
            let imbalance = sample.map { abs(Double($0.value) / n - strataPopulation[$0.key]! / total) }.max() ?? 0
            if imbalance > 0.05 {
                let w = Stats.poststratificationWeights(sample: sample, population: strataPopulation)
                weights = responses.map { w[$0.unit] ?? 1 }
                weighted = true
            }
        }
        let deff = Stats.designEffect(weights)
        let missing = data.survey.targetUnits.filter { sample[$0] == nil && targetPopulations[$0] != nil }
        var questions: [QuestionEstimate] = []
        for q in data.survey.questions {
            var answeredWeights: [Double] = []
            var answers: [Answer] = []
            for (r, w) in zip(responses, weights) {
                if let a = r.answers.first(where: { $0.question == q.code }) {
                    answers.append(a)
                    answeredWeights.append(w)
                }
            }
            let sw = answeredWeights.reduce(0, +)
            let effective = answeredWeights.isEmpty ? 0 : Stats.effectiveSampleSize(answeredWeights)
            switch q.kind {
            case .singleChoice, .multipleChoice:
                let options = (q.options ?? []).map { option -> OptionEstimate in
                    let chosen = zip(answers, answeredWeights).filter { $0.0.choices?.contains(option) ?? false }
                    let share = sw > 0 ? chosen.map(\.1).reduce(0, +) / sw : 0
                    let interval = Stats.wilson(successes: share * effective, n: effective)
                    return OptionEstimate(option: option, count: chosen.count, proportion: share, low: interval.low, high: interval.high)
                }
                questions.append(QuestionEstimate(question: q.code, text: q.text, answered: answers.count, options: options))
            case .likert, .number:
                let values = answers.compactMap(\.number)
                let interval = Stats.meanInterval(values, weights: weighted ? answeredWeights : nil)
                questions.append(QuestionEstimate(question: q.code, text: q.text, answered: values.count, mean: interval?.estimate, low: interval?.low, high: interval?.high))
            case .freeText:
                questions.append(QuestionEstimate(question: q.code, text: q.text, answered: answers.count))
            }
        }
        return SurveyResults(
            survey: data.survey.id ?? 0, title: data.survey.title, responses: responses.count, weighted: weighted, designEffect: deff,
            effectiveSampleSize: n / deff, unitsWithoutResponses: missing, questions: questions)
    }
}
