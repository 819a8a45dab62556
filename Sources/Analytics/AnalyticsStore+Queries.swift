import Base
import Foundation
import Localization
import Messages
import RPC
import Statistics
import Store
import Synchronization
import Text

extension AnalyticsStore {
    /// The root unit of a scope: the province by default.
    func root(_ s: Aggregates.State, _ code: String?) throws -> Int32 {
        if let code {
            guard let i = s.unitIndex[code] else { throw RPCError(.notFound, tr("unit: analytics không biết đơn vị \"\(code)\"", en: "unit: no unit \"\(code)\" known to analytics")) }
            return i
        }
        // The province: the root with the most units below it.
        var counts: [Int32: Int] = [:]
        for i in s.parents.indices {
            var u = Int32(i)
            var guardSteps = 0
            while s.parents[Int(u)] >= 0 && guardSteps < 64 {
                u = s.parents[Int(u)]
                guardSteps += 1
            }
            counts[u, default: 0] += 1
        }
        guard let best = counts.max(by: { $0.value < $1.value })?.key else { throw RPCError(.failedPrecondition, tr("analytics chưa biết đơn vị nào", en: "analytics knows no units yet")) }
        return best
    }

    /// The periods a scope covers: its range, or the twelve months up to the latest with data;
    /// at most `maximumMonths`, so that no answer outgrows a frame.
    func periods(_ s: Aggregates.State, _ scope: Scope, months: Int = 12) throws -> ClosedRange<Int> {
        let latest = scope.to?.index ?? s.cells.keys.map { Int($0.period) }.max() ?? Day.today.period.index
        let first = max(scope.from?.index ?? (latest - months + 1), Period.firstIndex)
        let range = min(first, latest)...latest
        guard range.count <= AnalyticsStore.maximumMonths else {
            throw RPCError(.invalidArgument, tr("from, to: hỏi \(range.count) tháng; mỗi lần hỏi tối đa \(AnalyticsStore.maximumMonths) tháng (20 năm)", en: "from, to: \(range.count) months asked for; ask for at most \(AnalyticsStore.maximumMonths) (20 years) at a time"))
        }
        return range
    }

    static let maximumMonths = 240

    /// The figures a caller sees: partner agencies, as each month's deadline left them.
    func view(_ partner: Bool) -> Aggregates {
        partner ? deadlineAggregates : aggregates
    }

    /// The small-cell rule as a partner agency with these units sees it.
    func disclosure(_ s: Aggregates.State, _ k: Int, _ partnerUnits: [String]) -> Disclosure {
        Disclosure(s, k: k, partnerUnits: partnerUnits, lastClosed: lastClosedPeriod())
    }

    /// The latest month whose deadline has passed.
    func lastClosedPeriod() -> Int {
        let today = Day.today
        return today >= today.period.dueDate(dueDay: configuration.dueDay) ? today.period.index : today.period.index - 1
    }

    /// The topics asked for, or all; for a partner only those first reported in a closed month.
    func topics(_ s: Aggregates.State, _ scope: Scope, partner: Bool = false) -> [(String, Int16)] {
        let wanted = scope.topics.flatMap { $0.isEmpty ? nil : Set($0) }
        let closed = partner ? Int32(lastClosedPeriod()) : Int32.max
        return s.topicCodes.enumerated().filter { (wanted?.contains($0.element) ?? true) && s.topicFirstMonth[$0.offset] <= closed }.map { ($0.element, Int16($0.offset)) }.sorted { $0.0 < $1.0 }
    }

    public func trends(_ scope: Scope, partner: Bool, partnerUnits: [String] = []) throws -> Trends {
        let k = configuration.minimumCell
        return try view(partner).state.withLock { s in
            let root = try self.root(s, scope.unit)
            let range = try periods(s, scope)
            let disclosure = partner ? self.disclosure(s, k, partnerUnits) : nil
            var hidden: [Int64: Set<Int32>] = [:]
            let series = topics(s, scope, partner: partner).map { code, t in
                TopicSeries(topic: code, points: range.map { p in
                    let cell = s.cells[Aggregates.Key(unit: root, period: Int32(p), topic: t)] ?? Aggregates.Cell()
                    if let disclosure, !disclosure.shown(s, unit: root, topic: t, months: [p], cache: &hidden) {
                        return TrendPoint(period: Period(index: p), items: nil, intensity: nil, reports: nil, suppressed: true)
                    }
                    // How many reports a shown cell holds is left out for partners: beside the items it
                    // would tell when each report held exactly one.
                    return TrendPoint(period: Period(index: p), items: cell.items, intensity: cell.intensity, reports: partner ? nil : cell.reports)
                })
            }.filter { $0.points.contains { ($0.items ?? 0) > 0 || $0.suppressed == true } }
            return Trends(scope: Scope(unit: s.unitCodes[Int(root)], from: Period(index: range.lowerBound), to: Period(index: range.upperBound), topics: scope.topics), series: series)
        }
    }

    /// Topics whose intensity this month rose most over the mean of the three months before.
    public func rising(_ request: RisingRequest, partner: Bool, partnerUnits: [String] = []) throws -> RisingList {
        let limit = try RPCError.checkedLimit(request.limit, fallback: 10, range: 1...100)
        try AnalyticsStore.notFuture(request.period)
        let k = configuration.minimumCell
        return try view(partner).state.withLock { s in
            let root = try self.root(s, request.unit)
            let p = request.period.index
            let disclosure = partner ? self.disclosure(s, k, partnerUnits) : nil
            var hidden: [Int64: Set<Int32>] = [:]
            var rows: [RisingTopic] = []
            // The months before with any report here: a month before the system held anything is no baseline.
            let baseline = (1...3).filter { m in s.topicCodes.indices.contains { s.cells[Aggregates.Key(unit: root, period: Int32(p - m), topic: Int16($0))] != nil } }
            guard !baseline.isEmpty else { return RisingList(period: request.period, topics: [], baselineMonths: 0) }
            for (code, t) in topics(s, Scope(), partner: partner) {
                let now = s.cells[Aggregates.Key(unit: root, period: Int32(p), topic: t)] ?? Aggregates.Cell()
                guard now.items > 0 else { continue }
                // The three months before are part of the figure: none of them may be suppressed either.
                if let disclosure, !disclosure.shown(s, unit: root, topic: t, months: (p - 3)...p, cache: &hidden) { continue }
                let before = baseline.map { s.cells[Aggregates.Key(unit: root, period: Int32(p - $0), topic: t)]?.intensity ?? 0 }.reduce(0, +) / Double(baseline.count)
                rows.append(RisingTopic(topic: code, intensity: now.intensity, before: before, change: now.intensity - before, items: now.items, reports: partner ? nil : now.reports))
            }
            rows.sort { $0.change != $1.change ? $0.change > $1.change : $0.topic < $1.topic }
            return RisingList(period: request.period, topics: Array(rows.filter { $0.change > 0 }.prefix(limit)), baselineMonths: baseline.count)
        }
    }

    /// Assessed and computed sentiment per topic, for the scope's root and each area under it.
    public func sentiment(_ scope: Scope, partner: Bool, partnerUnits: [String] = []) throws -> SentimentIndex {
        let k = configuration.minimumCell
        return try view(partner).state.withLock { s in
            let root = try self.root(s, scope.unit)
            let range = try periods(s, scope, months: 1)
            var areas = [root]
            for (i, parent) in s.parents.enumerated() where parent == root { areas.append(Int32(i)) }
            let disclosure = partner ? self.disclosure(s, k, partnerUnits) : nil
            var hidden: [Int64: Set<Int32>] = [:]
            var rows: [SentimentRow] = []
            for area in areas {
                for (code, t) in topics(s, scope, partner: partner) {
                    var total = Aggregates.Cell()
                    for p in range {
                        guard let c = s.cells[Aggregates.Key(unit: area, period: Int32(p), topic: t)] else { continue }
                        total.items += c.items
                        total.assessed += c.assessed
                        total.computed += c.computed
                        total.reports += c.reports
                    }
                    // For a partner the root has a row for every topic, withheld when empty as when
                    // small, so that the rows never say which topics a unit wrote on.
                    guard total.items > 0 || (disclosure != nil && area == root) else { continue }
                    if let disclosure, total.items == 0 || !disclosure.shown(s, unit: area, topic: t, months: range, cache: &hidden) {
                        // Below the root, withheld rows are left out: a row would say that the unit wrote on the topic.
                        if area == root { rows.append(SentimentRow(topic: code, unit: s.unitCodes[Int(area)], assessed: nil, computed: nil, items: nil, suppressed: true)) }
                    } else {
                        rows.append(SentimentRow(topic: code, unit: s.unitCodes[Int(area)], assessed: total.assessed / Double(total.items), computed: total.computed / Double(total.items), items: total.items))
                    }
                }
            }
            return SentimentIndex(scope: Scope(unit: s.unitCodes[Int(root)], from: Period(index: range.lowerBound), to: Period(index: range.upperBound), topics: scope.topics), rows: rows)
        }
    }

    func subtree(_ code: String?) throws -> Set<String>? {
        guard let code else { return nil }
        return try aggregates.state.withLock { s in
            let root = try self.root(s, code)
            var children: [Int32: [Int32]] = [:]
            for (i, p) in s.parents.enumerated() where p >= 0 { children[p, default: []].append(Int32(i)) }
            var inside: Set<String> = [s.unitCodes[Int(root)]]
            var stack = [root]
            while let next = stack.popLast() {
                for child in children[next] ?? [] where inside.insert(s.unitCodes[Int(child)]).inserted { stack.append(child) }
            }
            return inside
        }
    }

    /// What this month's texts on a topic say that the six months before did not. A partner
    /// agency (and an official, who reads only its own units' reports: the service asks as a
    /// partner for both) gets a phrase only when at least k units other than its own used it,
    /// month by month, from the text as the deadlines left it and never of the month still open,
    /// so that neither a range nor a second look gives one unit's words by difference.
    public func phrases(_ request: PhrasesRequest, partner: Bool, partnerUnits: [String] = []) async throws -> PhraseList {
        let limit = try RPCError.checkedLimit(request.limit, fallback: 10, range: 1...100)
        let p = request.period
        // Two overlapping ranges would give, by their difference, one month's use of a phrase.
        if partner, request.from != nil {
            throw RPCError(.permissionDenied, tr("from: cụm từ của nhiều tháng chỉ dành cho Ban; hãy hỏi từng tháng (period)", en: "from: phrases over several months are the commission's; ask month by month (period)"))
        }
        let (target, baseline) = try await phraseTexts(request, source: partner ? AnalyticsSchema.deadlineItems : "SELECT * FROM items")
        let k = configuration.minimumCell
        // The caller's own units and those under them: it knows their texts, so they vouch for nothing.
        var own: Set<String> = []
        if partner {
            let (shown, known) = try deadlineAggregates.state.withLock { s in
                let root = try self.root(s, request.unit)
                let disclosure = self.disclosure(s, k, partnerUnits)
                let known = Set(disclosure.known.map { s.unitCodes[Int($0)] })
                // The month's cell and the six before it (the baseline) must all be shown.
                guard let t = s.topicIndex[request.topic] else { return (true, known) }
                var hidden: [Int64: Set<Int32>] = [:]
                return (disclosure.shown(s, unit: root, topic: t, months: (p.index - 6)...p.index, cache: &hidden), known)
            }
            own = known
            if !shown || Set(target.map(\.unit)).subtracting(own).count < k {
                return PhraseList(topic: request.topic, period: p, texts: nil, baselineTexts: nil, phrases: [], suppressed: true)
            }
        }
        let phrases = await AnalyticsStore.onTextQueue { [own] in
            // Each target text read once: its phrases counted, its reading kept to tell who used a phrase.
            let read = target.map { (unit: $0.unit, text: KeyPhrases.read($0.text)) }
            var counts: [String: Int] = [:]
            for r in read { for phrase in r.text.phrases { counts[phrase, default: 0] += 1 } }
            var phrases = KeyPhrases.rank(counts, against: KeyPhrases.counts(baseline.map(\.text)), limit: partner ? min(100, max(20, limit * 3)) : limit)
            if partner {
                // A phrase is quoted only when at least k reports (units) other than the caller's used it.
                phrases = phrases.filter { phrase in
                    let needle = " " + phrase.phrase + " "
                    return Set(read.filter { $0.text.reading.contains(needle) }.map(\.unit)).subtracting(own).count >= k
                }
                phrases = Array(phrases.prefix(limit))
            }
            return phrases
        }
        return PhraseList(
            topic: request.topic, period: p, texts: target.count, baselineTexts: baseline.count,
            phrases: phrases.map { PhraseScore(phrase: $0.phrase, z: $0.z, count: $0.count) })
    }

    /// Reading texts for phrases takes up to a second of one core. It runs on a queue of its own,
    /// one request at a time, so that however many callers ask for phrases, Swift's cooperative
    /// threads (two on two cores) stay free for every other query.
    static let textQueue = DispatchQueue(label: "pulse.analytics.phrases")

    static func onTextQueue<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in textQueue.async { continuation.resume(returning: body()) } }
    }

    /// The counts `phrases` ranks (the commission's view): every candidate phrase of the month's
    /// texts with its count there and in the six months before.
    public func phraseCounts(_ request: PhrasesRequest) async throws -> PhraseCounts {
        _ = try RPCError.checkedLimit(request.limit, fallback: 10, range: 1...100)
        let (target, baseline) = try await phraseTexts(request, source: "SELECT * FROM items")
        let (counts, baselineCounts) = await AnalyticsStore.onTextQueue { (KeyPhrases.counts(target.map(\.text)), KeyPhrases.counts(baseline.map(\.text))) }
        return PhraseCounts(
            topic: request.topic, period: request.period, texts: target.count, baselineTexts: baseline.count,
            total: counts.values.reduce(0, +), baselineTotal: baselineCounts.values.reduce(0, +),
            phrases: counts.sorted { $0.key < $1.key }.map { PhraseCount(phrase: $0.key, count: $0.value, baseline: baselineCounts[$0.key] ?? 0) })
    }

    /// The topic's texts in the request's scope, the month's (or months') and the six months' before, from
    /// `source` (all items, or those the deadlines left).
    private func phraseTexts(_ request: PhrasesRequest, source: String) async throws -> (target: [(unit: String, text: String)], baseline: [(unit: String, text: String)]) {
        guard (1...64).contains(request.topic.count) else {
            throw RPCError(.invalidArgument, tr("topic: một mã chủ đề (1 đến 64 ký tự), như dat-dai; `pulse topics` liệt kê chúng", en: "topic: a topic code (1 to 64 characters), such as dat-dai; `pulse topics` lists them"))
        }
        try AnalyticsStore.notFuture(request.period)
        if let from = request.from, !(0..<24).contains(request.period.index - from.index) {
            throw RPCError(.invalidArgument, tr("from: tháng đầu từ 1 đến 24 tháng trước hoặc bằng tháng \(request.period.text) (nhận \(from.text))", en: "from: a first month up to 24 months before \(request.period.text), or that month (got \(from.text))"))
        }
        let inside = try subtree(request.unit)
        let first = request.first.description
        let rows = try await queue.read { db in
            try db.query(
                "SELECT unit, period, summary FROM (\(source)) WHERE topic = ? AND period BETWEEN ? AND ? LIMIT 20000",
                [request.topic, Period(index: request.first.index - 6).description, request.period.description]
            ).map { try ($0.get(0, as: String.self), $0.get(1, as: String.self), $0.get(2, as: String.self)) }
        }
        let inScope = rows.filter { inside?.contains($0.0) ?? true }
        return (inScope.filter { $0.1 >= first }.map { ($0.0, $0.2) }, inScope.filter { $0.1 < first }.map { ($0.0, $0.2) })
    }

    /// Full-text search over report summaries, ignoring diacritics and case; the most recent
    /// matches first. Counting stops at 10,000.
    public func search(_ request: SearchItemsRequest) async throws -> SearchHits {
        let words = Folding.fold(request.query).split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
        guard !words.isEmpty else { throw RPCError(.invalidArgument, tr("query: hãy cho từ cần tìm", en: "query: give words to search for")) }
        let match = "\"" + words.joined(separator: " ") + "\""  // one phrase; the words are letters and digits only
        let inside = try subtree(request.scope?.unit)
        let from = request.scope?.from?.description ?? "0000-00"
        let to = request.scope?.to?.description ?? "9999-99"
        if let from = request.scope?.from, let to = request.scope?.to, from > to {
            throw RPCError(.invalidArgument, tr("from: tháng đầu \(from.text) ở sau tháng cuối \(to.text)", en: "from: the first month \(from.text) comes after the last, \(to.text)"))
        }
        let filtered = inside != nil || request.scope?.from != nil || request.scope?.to != nil
        let limit = max(1, min(request.limit ?? 20, 500))
        let countCap = 10_000
        return try await queue.read { db in
            var hits: [SearchHit] = []
            var matched = 0
            var below = Int64.max
            // Walk the index from the newest match down, in pages, filtering as we go.
            scanning: while matched <= countCap {
                let page = try db.query(
                    "SELECT rowid FROM items_fts WHERE items_fts MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT 1000", [match, below])
                if page.isEmpty { break }
                below = try page[page.count - 1].get(0)
                if !filtered {
                    matched += page.count
                    if hits.count < limit {
                        for row in page.prefix(limit - hits.count) {
                            if let item = try db.query("SELECT unit, period, topic, summary FROM items WHERE id = ?", [row.get(0, as: Int64.self)]).first {
                                try hits.append(SearchHit(unit: item.get(0), period: item.get(1, parsing: Period.init), topic: item.get(2), summary: item.get(3)))
                            }
                        }
                    }
                    continue scanning
                }
                for row in page {
                    guard let item = try db.query("SELECT unit, period, topic, summary FROM items WHERE id = ?", [row.get(0, as: Int64.self)]).first else { continue }
                    let period: String = try item.get(1)
                    guard period >= from, period <= to, try inside?.contains(item.get(0)) ?? true else { continue }
                    matched += 1
                    if hits.count < limit {
                        try hits.append(SearchHit(unit: item.get(0), period: item.get(1, parsing: Period.init), topic: item.get(2), summary: item.get(3)))
                    }
                    if matched > countCap { break scanning }
                }
            }
            return SearchHits(query: request.query, total: min(matched, countCap), atLeast: matched > countCap ? true : nil, hits: hits)
        }
    }

    // MARK: Spikes

    /// Tests each touched cell, at its unit and at the province, against its own trailing
    /// six-month mean: P(X ≥ observed | Poisson(mean)) below the threshold is a spike.
    func detectSpikes(_ touched: Set<Aggregates.Key>) async throws {
        let threshold = configuration.spikeThreshold
        let minimum = configuration.spikeMinimumItems
        let found: [(String, String, Period, Int, Double, Double, Double, Double)] = aggregates.state.withLock { s in
            var candidates: Set<Aggregates.Key> = []
            let province = (try? self.root(s, nil)) ?? -1
            for key in touched {
                candidates.insert(key)
                if province >= 0 { candidates.insert(Aggregates.Key(unit: province, period: key.period, topic: key.topic)) }
            }
            var out: [(String, String, Period, Int, Double, Double, Double, Double)] = []
            for key in candidates {
                guard let cell = s.cells[key], cell.items >= minimum else { continue }
                let history = (1...6).map { s.cells[Aggregates.Key(unit: key.unit, period: key.period - Int32($0), topic: key.topic)]?.items ?? 0 }
                // A baseline needs history: at least three of the six months with reports of any topic from this area.
                let active = (1...6).filter { m in s.topicCodes.indices.contains { s.cells[Aggregates.Key(unit: key.unit, period: key.period - Int32(m), topic: Int16($0))] != nil } }.count
                guard active >= 3 else { continue }
                let mean = max(0.5, Double(history.reduce(0, +)) / 6)
                let p = Stats.poissonUpperTail(cell.items, mean: mean)
                guard p < threshold else { continue }
                out.append((s.topicCodes[Int(key.topic)], s.unitCodes[Int(key.unit)], Period(index: Int(key.period)), cell.items, mean, p, Double(cell.items) / mean, cell.intensity))
            }
            return out
        }
        guard !found.isEmpty else { return }
        try await queue.write { db in
            try db.transaction {
                for (topic, unit, period, items, baseline, p, strength, intensity) in found {
                    try db.run(
                        """
                        INSERT INTO spikes (topic, unit, period, items, baseline, p_value, strength, intensity) VALUES (?,?,?,?,?,?,?,?)
                        ON CONFLICT(topic, unit, period) DO UPDATE SET items = excluded.items, baseline = excluded.baseline, p_value = excluded.p_value, strength = excluded.strength, intensity = excluded.intensity
                        """,
                        [topic, unit, period.description, items, baseline, p, strength, intensity])
                }
            }
        }
    }

    /// Spikes; a partner agency sees only those whose cell holds at least k reports.
    public func spikes(_ request: ListSpikesRequest, partner: Bool, partnerUnits: [String] = []) async throws -> SpikeList {
        var list = try await spikes(request)
        guard partner else { return list }
        let k = configuration.minimumCell
        let live = aggregates.state.withLock { s in
            Dictionary(list.spikes.compactMap { spike -> (Int, Int)? in
                guard let unit = s.unitIndex[spike.unit], let topic = s.topicIndex[spike.topic] else { return nil }
                return (spike.id, s.cells[Aggregates.Key(unit: unit, period: Int32(spike.period.index), topic: topic)]?.items ?? 0)
            }, uniquingKeysWith: { a, _ in a })
        }
        list.spikes = deadlineAggregates.state.withLock { s in
            let disclosure = self.disclosure(s, k, partnerUnits)
            var hidden: [Int64: Set<Int32>] = [:]
            return list.spikes.filter { spike in
                guard let unit = s.unitIndex[spike.unit], let topic = s.topicIndex[spike.topic] else { return false }
                // The spike's month and the six its baseline is the mean of, as their deadlines
                // left them: a spike a late report made or changed is not shown.
                let p = spike.period.index
                let atDeadline = s.cells[Aggregates.Key(unit: unit, period: Int32(p), topic: topic)]?.items ?? 0
                return atDeadline == live[spike.id] && disclosure.shown(s, unit: unit, topic: topic, months: (p - 6)...p, cache: &hidden)
            }
        }
        return list
    }

    /// A month not come yet has no figures: asking for one is a mistake to name, not an empty answer.
    static func notFuture(_ period: Period) throws {
        guard period <= Day.today.period else {
            throw RPCError(.invalidArgument, tr("period: tháng \(period.text) chưa đến", en: "period: \(period.text) has not come yet"))
        }
    }

    public func spikes(_ request: ListSpikesRequest) async throws -> SpikeList {
        if let period = request.period { try AnalyticsStore.notFuture(period) }
        let spikes = try await queue.read { db in
            try db.query(
                "SELECT id, topic, unit, period, items, baseline, p_value, strength, intensity FROM spikes WHERE id > ? AND (? IS NULL OR period = ?) ORDER BY id LIMIT ?",
                [request.after ?? 0, request.period?.description, request.period?.description, max(1, min(request.limit ?? 100, 1000))]
            ).map {
                try Spike(id: $0.get(0), topic: $0.get(1), unit: $0.get(2), period: $0.get(3, parsing: Period.init), items: $0.get(4), baseline: $0.get(5), pValue: $0.get(6), strength: $0.get(7), intensity: $0.get(8))
            }
        }
        return SpikeList(spikes: spikes, threshold: configuration.spikeThreshold, minimumItems: configuration.spikeMinimumItems)
    }

    /// The month's items whose text reads strongly as another topic than the one filed
    /// (``TopicClassifier``), most confident first: for the commission to correct mis-filed items.
    public func checkTopics(_ request: CheckTopicsRequest) async throws -> TopicCheck {
        let threshold = request.threshold ?? 0.2
        guard threshold.isFinite, threshold > 0, threshold < 0.5 else {
            throw RPCError(.invalidArgument, tr("threshold: \(threshold) không nằm giữa 0 và 0,5 (0,2 liệt kê nội dung có chủ đề đã gán dưới 20% và chủ đề khác trên 80%)", en: "threshold: \(threshold) is not between 0 and 0.5 (0.2 lists items whose filed topic reads below 20% and another above 80%)"))
        }
        if let limit = request.limit, !(1...1000).contains(limit) { throw RPCError(.invalidArgument, tr("limit: \(limit) không nằm trong 1 đến 1000", en: "limit: \(limit) is not from 1 to 1000")) }
        let limit = request.limit ?? 100
        let inside = try subtree(request.unit)
        let period = request.period.description
        let items: [(unit: String, topic: String, summary: String, name: String)] = try await queue.read { db in
            try db.query("SELECT i.unit, i.topic, i.summary, coalesce(u.name, '') FROM items i LEFT JOIN units u ON u.code = i.unit WHERE i.period = ? ORDER BY i.id", [period]).map {
                try ($0.get(0), $0.get(1), $0.get(2), $0.get(3))
            }
        }
        let classifier = TopicClassifier.shared
        var mismatches: [TopicMismatch] = []
        var byTopic: [String: Int] = [:]
        var checked = 0
        for item in items where inside?.contains(item.unit) ?? true {
            checked += 1
            byTopic[item.topic, default: 0] += 1
            // The unit's own name says where, not what: "Xã Việt Xuyên" is no foreign affair.
            let text = item.name.isEmpty ? item.summary : item.summary.replacingOccurrences(of: item.name, with: " ", options: .caseInsensitive)
            let all = classifier.suggest(text, limit: classifier.topics.count)
            guard let best = all.first, best.topic != item.topic, best.score >= 1 - threshold else { continue }
            let filed = all.first { $0.topic == item.topic }?.score ?? 0
            guard filed < threshold else { continue }
            mismatches.append(TopicMismatch(
                unit: item.unit, period: request.period, filed: item.topic, filedScore: filed, suggested: best.topic, suggestedScore: best.score, summary: item.summary))
        }
        mismatches.sort { $0.suggestedScore - $0.filedScore > $1.suggestedScore - $1.filedScore }
        return TopicCheck(period: request.period, checked: checked, total: mismatches.count, mismatches: Array(mismatches.prefix(limit)), byTopic: byTopic)
    }
}
