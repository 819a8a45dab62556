import Arguments
import Foundation
import Messages
import Statistics
import Text
import Wire

enum AnalyticsCommands {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// A one-line chart of values, "·" where a value is withheld.
    static func sparkline(_ values: [Double?]) -> String {
        let top = values.compactMap { $0 }.max() ?? 0
        return String(values.map { v -> Character in
            guard let v else { return "·" }
            guard top > 0 else { return blocks[0] }
            return blocks[min(7, Int((v / top * 7).rounded()))]
        })
    }

    static func period(_ inv: Invocation, _ name: String = "period") throws -> Period? {
        try inv.arguments.value(name).map { try inv.period($0, name) }
    }

    static var trends: Command {
        Command(
            "trends", "Items and prevalence-weighted intensity per topic and month, with a sparkline per topic.",
            options: [
                .option("topic", short: "t", value: "code", help: "Only this topic (repeatable).", repeatable: true),
                .option("unit", short: "u", value: "code", help: "Roll up this unit's subtree (default the province)."),
                .option("months", short: "m", value: "n", help: "How many months up to the latest (default 12)."),
                .option("to", value: "YYYY-MM", help: "The last month (default the latest with reports)."),
            ]
        ) { inv in
            let months = try inv.arguments.integer("months") ?? 12
            guard months >= 1 && months <= 120 else { throw UsageError("--months is 1 to 120") }
            try await checkTopics(inv.arguments.all("topic"), inv)
            var scope = Scope(unit: inv.arguments.value("unit"), topics: inv.arguments.all("topic"))
            if let to = try period(inv, "to") {
                scope.to = to
                scope.from = Period(index: to.index - months + 1)
            } else if months != 12 {
                let latest = try await inv.call(AnalyticsAPI.trends, Scope(unit: scope.unit)).scope.to ?? Day.today.period
                scope.to = latest
                scope.from = Period(index: latest.index - months + 1)
            }
            let t = try await inv.call(AnalyticsAPI.trends, scope)
            inv.output.emit(t) {
                let rows = t.series.map { s -> [String] in
                    let last = s.points.last
                    let total = s.points.compactMap(\.items).reduce(0, +)
                    return [s.topic, sparkline(s.points.map(\.intensity)), String(total), last?.items.map(String.init) ?? "·", last?.intensity.map { String(format: "%.0f", $0) } ?? "·"]
                }
                // The last month's own columns, named by the month they are (issue 14, item 14).
                let last = t.scope.to?.description ?? "last month"
                inv.output.table(
                    ["topic", "intensity by month \(t.scope.from?.description ?? "")…\(last)", "items", "items \(last)", "intensity \(last)"], rows, numeric: [2, 3, 4])
                if t.series.contains(where: { $0.points.contains { $0.suppressed == true } }) {
                    inv.output.note("· withheld: fewer than the minimum number of reports")
                }
                // This month is not over: its reports are still coming, so it reads low.
                if let to = t.scope.to, to >= Day.today.period {
                    inv.output.note("\(to) is still under way: reports for it can still arrive, so its figures may grow")
                }
            }
        }
    }

    static var rising: Command {
        Command(
            "rising", "Topics rising most this month against the three months before.",
            options: [.option("period", short: "p", value: "YYYY-MM", help: "The month (default this month)."), .option("unit", short: "u", value: "code", help: "Roll up this unit's subtree."), .option("limit", value: "n", help: "How many (default 10).")]
        ) { inv in
            let list = try await inv.call(AnalyticsAPI.rising, RisingRequest(period: try period(inv) ?? Day.today.period, unit: inv.arguments.value("unit"), limit: try inv.arguments.integer("limit")))
            inv.output.emit(list) {
                inv.output.table(["topic", "intensity", "3-month mean", "change", "items", "reports"], list.topics.map { [$0.topic, String(format: "%.0f", $0.intensity), String(format: "%.1f", $0.before), String(format: "%+.1f", $0.change), String($0.items), $0.reports.map(String.init) ?? "–"] }, numeric: [1, 2, 3, 4, 5])
                if list.topics.isEmpty { print("nothing rose in \(list.period)") }
            }
        }
    }

    static var spikes: Command {
        Command("spikes", "Topics in an area improbably high against their own six-month baseline.", options: [.option("period", short: "p", value: "YYYY-MM", help: "Only this month.")]) { inv in
            let list = try await inv.call(AnalyticsAPI.spikes, ListSpikesRequest(period: try period(inv)))
            inv.output.emit(list) {
                inv.output.table(
                    ["month", "unit", "topic", "items", "baseline", "×", "p"],
                    list.spikes.sorted { ($0.period, $0.pValue) > ($1.period, $1.pValue) }.map { [$0.period.description, $0.unit, $0.topic, String($0.items), String(format: "%.1f", $0.baseline), String(format: "%.1f", $0.strength), String(format: "%.1e", $0.pValue)] },
                    numeric: [3, 4, 5, 6])
                print("test: P(X ≥ items | Poisson(six-month mean)) < \(list.threshold), at least \(list.minimumItems) items")
            }
        }
    }

    static var phrases: Command {
        Command(
            "phrases", "What this month's texts on a topic say that the six months before did not.",
            options: [.option("topic", short: "t", value: "code", help: "The topic (required)."), .option("period", short: "p", value: "YYYY-MM", help: "The month (default this month)."), .option("unit", short: "u", value: "code", help: "Only this unit's subtree.")]
        ) { inv in
            try await checkTopics([try inv.arguments.required("topic")], inv)
            let list = try await inv.call(AnalyticsAPI.phrases, PhrasesRequest(topic: try inv.arguments.required("topic"), period: try period(inv) ?? Day.today.period, unit: inv.arguments.value("unit")))
            inv.output.emit(list) {
                if list.suppressed == true {
                    print("withheld: fewer than the minimum number of reports")
                    return
                }
                if let texts = list.texts, let baseline = list.baselineTexts {
                    print("\(list.topic), \(list.period): \(texts) texts against \(baseline) from the six months before")
                } else {
                    print("\(list.topic), \(list.period): withheld, built from fewer than k reports")
                }
                inv.output.table(["phrase", "texts", "z"], list.phrases.map { [$0.phrase, String($0.count), String(format: "%.1f", $0.z)] }, numeric: [1, 2])
            }
        }
    }

    static var search: Command {
        Command(
            "search", "Search report summaries, ignoring case and diacritics (\"dat dai\" finds \"đất đai\").", arguments: "<words>",
            options: [.option("unit", short: "u", value: "code", help: "Only this unit's subtree."), .option("from", value: "YYYY-MM", help: "From this month."), .option("to", value: "YYYY-MM", help: "Up to this month."), .option("limit", value: "n", help: "How many hits (default 20).")]
        ) { inv in
            let text = inv.arguments.positionals.joined(separator: " ")
            guard !text.isEmpty else { throw UsageError("missing <words>") }
            let hits = try await inv.call(
                AnalyticsAPI.search,
                SearchItemsRequest(query: text, scope: Scope(unit: inv.arguments.value("unit"), from: try period(inv, "from"), to: try period(inv, "to")), limit: try inv.arguments.integer("limit")))
            inv.output.emit(hits) {
                inv.output.table(["month", "unit", "topic", "summary"], hits.hits.map { [$0.period.description, $0.unit, $0.topic, String($0.summary.prefix(90))] })
                print("\(hits.total) items match")
            }
        }
    }

    static var ranking: Command {
        Command(
            "ranking", "The annual ranking (xếp loại) of reporting units, with the breakdown that explains each score.",
            options: [.option("year", short: "y", value: "YYYY", help: "The year (default this year)."), .option("unit", short: "u", value: "code", help: "Only this unit's subtree."), .flag("explain", help: "Show each unit's breakdown.")]
        ) { inv in
            let r = try await inv.call(AnalyticsAPI.ranking, RankingRequest(year: try inv.arguments.integer("year") ?? Day.today.year, unit: inv.arguments.value("unit")))
            inv.output.emit(r) {
                if inv.arguments.has("explain") {
                    for row in r.rows {
                        print("\(row.rank). \(row.name) (\(row.unit)): \(String(format: "%.1f", row.score * 100)) — \(row.grade)")
                        for c in row.components { print("     \(Output.pad(c.name, 11)) \(String(format: "%5.1f", c.points * 100)) of \(String(format: "%4.1f", c.weight * 100))  \(c.detail)") }
                    }
                } else {
                    inv.output.table(
                        ["#", "unit", "name", "score", "grade", "reported", "on time", "official", "team", "surveys"],
                        r.rows.map { row in [String(row.rank), row.unit, row.name, String(format: "%.1f", row.score * 100), row.grade] + row.components.map { String(format: "%.0f%%", $0.value * 100) } },
                        numeric: [0, 3, 5, 6, 7, 8, 9])
                }
                print("\(r.year): \(r.months) months past their deadline; weights and thresholds from the analytics configuration")
            }
        }
    }

    static var surveyResults: Command {
        Command("results", "Estimates with 95% intervals; weighted by unit population when the sample is unbalanced.", arguments: "<survey-id>") { inv in
            guard let id = Int(try inv.positional(0, "survey-id")) else { throw UsageError("<survey-id> is a number") }
            let r = try await inv.call(AnalyticsAPI.surveyResults, SurveyRequest(id: id))
            inv.output.emit(r) {
                print("survey #\(r.survey) \"\(r.title)\": \(r.responses) responses" + (r.weighted ? String(format: ", post-stratified by unit population (design effect %.2f, effective n %.0f)", r.designEffect, r.effectiveSampleSize) : ", unweighted"))
                if !r.unitsWithoutResponses.isEmpty { print("no responses from: \(r.unitsWithoutResponses.joined(separator: ", "))") }
                for q in r.questions {
                    print("\n\(q.question). \(q.text) (" + (q.answered.map { "\($0) answered" } ?? "withheld: too few answered") + ")")
                    for o in q.options ?? [] {
                        guard let count = o.count, let p = o.proportion, let low = o.low, let high = o.high else {
                            print("   " + Output.pad(o.option, 16) + " withheld (too few respondents)")
                            continue
                        }
                        print("   " + Output.pad(o.option, 16) + String(format: " %5.1f%%  [%5.1f – %5.1f]  (%d)", p * 100, low * 100, high * 100, count))
                    }
                    if let m = q.mean { print(String(format: "   mean %.2f  [%.2f – %.2f]", m, q.low ?? m, q.high ?? m)) }
                }
            }
        }
    }

    static var surveyPlan: Command {
        Command(
            "plan", "How many respondents a survey needs (offline).",
            options: [.option("margin", value: "e", help: "Margin of error, e.g. 0.03 (required)."), .option("confidence", value: "c", help: "Confidence level (default 0.95)."), .option("population", value: "N", help: "Population size, for the finite-population correction.")]
        ) { inv in
            guard let margin = Double(try inv.arguments.required("margin")), margin > 0, margin < 0.5 else { throw UsageError("--margin is a number between 0 and 0.5, like 0.03") }
            let confidence = try inv.arguments.value("confidence").map { text -> Double in
                guard let c = Double(text), c > 0.5, c < 1 else { throw UsageError("--confidence is between 0.5 and 1, like 0.95") }
                return c
            } ?? 0.95
            let population = try inv.arguments.value("population").map { text -> Double in
                guard let n = Double(text), n >= 1 else { throw UsageError("--population is a number of people") }
                return n
            }
            let n = Stats.sampleSize(margin: margin, confidence: confidence, population: population)
            struct Plan: Encodable { var margin: Double; var confidence: Double; var population: Double?; var respondents: Int }
            inv.output.emit(Plan(margin: margin, confidence: confidence, population: population, respondents: n)) {
                print("\(n) respondents for ±\(margin * 100)% at \(confidence * 100)% confidence" + (population.map { " in a population of \(Int($0))" } ?? "") + " (worst case p = 0.5)")
            }
        }
    }

    static let checkTopics = Command(
        "check", "The month's items whose text reads as another topic than the one filed, for correcting mis-filed items.",
        options: [
            .option("period", value: "YYYY-MM", help: "The month (required)."),
            .option("unit", value: "code", help: "Only items in this unit and under it."),
            .option("threshold", value: "p", help: "List an item when its filed topic reads below p and another above 1 − p (default 0.2)."),
            .option("limit", value: "n", help: "At most this many items (default 100)."),
        ]
    ) { inv in
        let periodText = try inv.arguments.required("period")
        guard let period = Period(periodText) else { throw UsageError("--period is a month YYYY-MM such as 2026-10, not \"\(periodText)\"") }
        if let limit = try inv.arguments.integer("limit"), !(1...1000).contains(limit) { throw UsageError("--limit is from 1 to 1000, not \(limit)") }
        var threshold: Double?
        if let text = inv.arguments.value("threshold") {
            guard let p = Double(text), p > 0, p < 0.5 else { throw UsageError("--threshold is a probability between 0 and 0.5, such as 0.2; not \"\(text)\"") }
            threshold = p
        }
        let check = try await inv.call(AnalyticsAPI.checkTopics, CheckTopicsRequest(period: period, unit: inv.arguments.value("unit"), threshold: threshold, limit: try inv.arguments.integer("limit")))
        inv.output.emit(check) {
            inv.output.table(
                ["unit", "filed", "p filed", "reads as", "p read", "summary"],
                check.mismatches.map { [$0.unit, $0.filed, String(format: "%.2f", $0.filedScore), $0.suggested, String(format: "%.2f", $0.suggestedScore), $0.summary] },
                numeric: [2, 4])
            let shown = check.mismatches.count < check.total ? " (\(check.mismatches.count) shown; --limit N for more)" : ""
            inv.output.note("\(check.total) of \(check.checked) items in \(check.period) read as another topic than the one filed\(shown)")
        }
    }

    /// An unknown topic code would match nothing and print an empty table: say so, with the codes.
    static func checkTopics(_ codes: [String], _ inv: Invocation) async throws {
        guard !codes.isEmpty else { return }
        let topics = try await inv.call(RosterAPI.listTopics, ListTopicsRequest(includeRetired: true)).topics
        let known = Set(topics.map(\.code))
        if let unknown = codes.first(where: { !known.contains($0) }) {
            throw UsageError("--topic \"\(unknown)\" is not a topic; the topics are " + topics.filter(\.active).map { "\($0.code) (\($0.labelVi))" }.joined(separator: ", "))
        }
    }
}
