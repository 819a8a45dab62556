import Messages
import Statistics
import Text
import Wire

/// The answers that merge row by row: each agency's rows are about its own units, and a unit
/// two agencies hold (the province, each agency's root) is combined from its figures.
extension Federation {
    /// Sentiment rows by topic and unit; a unit's rows from several agencies become one whose
    /// means are weighted by items. A row withheld anywhere is withheld in the merge.
    static func mergeSentiment(_ parts: [SentimentIndex]) -> SentimentIndex {
        struct Cell: Hashable { var unit: String, topic: String }
        struct Sum { var assessed = 0.0, computed = 0.0, items = 0, suppressed = false }
        var order: [Cell] = []  // as first seen: the province's rows, then each agency's areas
        var sums: [Cell: Sum] = [:]
        for row in parts.flatMap(\.rows) {
            let cell = Cell(unit: row.unit, topic: row.topic)
            if sums[cell] == nil { order.append(cell) }
            var sum = sums[cell] ?? Sum()
            if row.suppressed == true { sum.suppressed = true }
            if let items = row.items {
                sum.items += items
                sum.assessed += (row.assessed ?? 0) * Double(items)
                sum.computed += (row.computed ?? 0) * Double(items)
            } else {
                sum.suppressed = true
            }
            sums[cell] = sum
        }
        let rows = order.map { cell -> SentimentRow in
            let sum = sums[cell]!
            guard !sum.suppressed, sum.items > 0 else {
                return SentimentRow(topic: cell.topic, unit: cell.unit, assessed: nil, computed: nil, items: nil, suppressed: true)
            }
            let n = Double(sum.items)
            return SentimentRow(topic: cell.topic, unit: cell.unit, assessed: sum.assessed / n, computed: sum.computed / n, items: sum.items)
        }
        var scope = parts[0].scope
        scope.from = parts.compactMap(\.scope.from).min()
        scope.to = parts.compactMap(\.scope.to).max()
        return SentimentIndex(scope: scope, rows: rows)
    }

    /// Matches from every agency, the most recent month first, as many as asked; the totals summed.
    static func mergeSearch(_ parts: [SearchHits], request: SearchItemsRequest?) -> SearchHits {
        let limit = max(1, min(request?.limit ?? 20, 500))
        let hits = parts.flatMap(\.hits).sorted { ($0.period, $1.unit) > ($1.period, $0.unit) }
        return SearchHits(
            query: parts[0].query, total: parts.map(\.total).reduce(0, +), atLeast: parts.contains { $0.atLeast == true } ? true : nil,
            hits: Array(hits.prefix(limit)))
    }

    /// Every agency's units in one ranking: scores are each unit's own, so the order and the
    /// ranks are recomputed over all of them (a unit once).
    static func mergeRanking(_ parts: [Ranking]) -> Ranking {
        var seen: Set<String> = []
        var rows = parts.flatMap(\.rows).filter { seen.insert($0.unit).inserted }
        rows.sort { $0.score != $1.score ? $0.score > $1.score : $0.unit < $1.unit }
        for i in rows.indices { rows[i].rank = i + 1 }
        return Ranking(year: parts[0].year, months: parts.map(\.months).max() ?? 0, rows: rows)
    }

    /// Phrase counts summed over agencies (texts are each agency's own, so the sums are one
    /// place's counts), then ranked as analytics ranks them.
    static func mergePhrases(_ parts: [PhraseCounts], request: PhrasesRequest) -> PhraseList {
        var target: [String: Int] = [:], baseline: [String: Int] = [:]
        for part in parts {
            for p in part.phrases {
                target[p.phrase, default: 0] += p.count
                baseline[p.phrase, default: 0] += p.baseline
            }
        }
        // The agencies have checked the limit (1 to 100) before counting.
        let ranked = KeyPhrases.rank(target, against: baseline, limit: max(1, min(request.limit ?? 10, 100)), baselineTotal: parts.map(\.baselineTotal).reduce(0, +))
        return PhraseList(
            topic: request.topic, period: request.period, texts: parts.map(\.texts).reduce(0, +), baselineTexts: parts.map(\.baselineTexts).reduce(0, +),
            phrases: ranked.map { PhraseScore(phrase: $0.phrase, z: $0.z, count: $0.count) })
    }

    /// Items read and found elsewhere, summed; the mismatches of all, the clearest first.
    static func mergeTopicCheck(_ parts: [TopicCheck], request: CheckTopicsRequest?) -> TopicCheck {
        let limit = max(0, request?.limit ?? 100)
        let mismatches = parts.flatMap(\.mismatches).sorted { $0.suggestedScore - $0.filedScore > $1.suggestedScore - $1.filedScore }
        return TopicCheck(
            period: parts[0].period, checked: parts.map(\.checked).reduce(0, +), total: parts.map(\.total).reduce(0, +),
            mismatches: Array(mismatches.prefix(limit)), byTopic: parts.reduce(into: [:]) { $0.merge($1.byTopic, uniquingKeysWith: +) })
    }

    /// Spikes at units one agency holds are that agency's; at a unit several hold (the
    /// province), those `spikes(in:…)` found again over the summed months replace them.
    static func mergeSpikes(_ parts: [SpikeList], shared: Set<String>, recomputed: [Spike], limit: Int = 100) -> SpikeList {
        var spikes = parts.flatMap(\.spikes).filter { !shared.contains($0.unit) } + recomputed
        spikes.sort { ($0.period, $1.pValue, $0.unit, $0.topic) > ($1.period, $0.pValue, $1.unit, $1.topic) }
        return SpikeList(spikes: Array(spikes.prefix(limit)), threshold: parts[0].threshold, minimumItems: parts[0].minimumItems)
    }

    /// The province's spikes in `period` from the summed trends of its six months before, tested
    /// as analytics tests them: at least `minimumItems`, three of the six months before with
    /// reports, P(X ≥ items | Poisson(six-month mean, at least 0.5)) below the threshold.
    static func spikes(in trends: Trends, unit: String, period: Period, threshold: Double, minimumItems: Int) -> [Spike] {
        let before = (1...6).map { Period(index: period.index - $0) }
        var activeMonths: Set<Period> = []
        for series in trends.series {
            for point in series.points where (point.items ?? 0) > 0 && before.contains(point.period) { activeMonths.insert(point.period) }
        }
        guard activeMonths.count >= 3 else { return [] }
        var found: [Spike] = []
        for series in trends.series {
            let byPeriod = Dictionary(series.points.map { ($0.period, $0) }, uniquingKeysWith: { a, _ in a })
            guard let now = byPeriod[period], now.suppressed != true, let items = now.items, items >= minimumItems else { continue }
            // A withheld month in the baseline would make it up: no test then.
            guard !before.contains(where: { byPeriod[$0]?.suppressed == true }) else { continue }
            let mean = max(0.5, Double(before.map { byPeriod[$0]?.items ?? 0 }.reduce(0, +)) / 6)
            let p = Stats.poissonUpperTail(items, mean: mean)
            guard p < threshold else { continue }
            found.append(Spike(id: 0, topic: series.topic, unit: unit, period: period, items: items, baseline: mean, pValue: p, strength: Double(items) / mean, intensity: now.intensity ?? 0))
        }
        return found
    }
}
