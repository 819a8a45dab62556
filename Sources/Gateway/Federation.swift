import Base
import Foundation
import Localization
import Messages
import RPC
import Synchronization
import Text
import Wire

/// One view across agencies. A read goes to every agency at once, within the caller's deadline,
/// and the answers are merged as figures (rates from their numerators and denominators, trends
/// and rising topics from summed counts), never concatenated; a call about a unit goes to the
/// agency that owns the unit; what belongs to the commission alone goes to the first agency.
/// An agency that does not answer leaves a partial answer that says so.
final class Federation: Sendable {
    let agencies: [Agency]
    /// Unit code → the agency whose roster holds it, read every 30 s.
    /// And the codes more than one agency holds (the province, each agency's root).
    private let owners = Mutex<(map: [String: Int], shared: Set<String>, at: ContinuousClock.Instant?)>(([:], [], nil))

    /// How long a read that goes to every agency waits for one of them: past it, the answer is
    /// given without that agency, named in the notice, rather than the caller's deadline passing.
    let agencyDeadline: Duration

    init(agencies: [Agency], agencyDeadline: Duration = .seconds(10)) {
        self.agencies = agencies
        self.agencyDeadline = agencyDeadline
    }

    /// Methods answered from every agency, merged.
    static let merged: Set<String> = [
        RosterAPI.listUnits.fullName, RosterAPI.searchUnits.fullName, AnalyticsAPI.completeness.fullName, AnalyticsAPI.trends.fullName, AnalyticsAPI.rising.fullName,
        AnalyticsAPI.sentiment.fullName, AnalyticsAPI.search.fullName, AnalyticsAPI.ranking.fullName, AnalyticsAPI.checkTopics.fullName,
    ]

    /// Sends `method` with `body` through a client, for the caller, within the caller's deadline
    /// or `cap` if that is sooner.
    typealias Call = @Sendable (RPCClient, String, [UInt8], _ cap: Duration?) async throws(RPCError) -> ResponseEnvelope

    func forward(_ method: String, _ body: [UInt8], call: @escaping Call) async -> CallOutcome {
        if method == AnalyticsAPI.rising.fullName { return await rising(body, call: call) }
        if method == AnalyticsAPI.spikes.fullName { return await spikes(body, call: call) }
        if method == AnalyticsAPI.phrases.fullName { return await phrases(body, call: call) }
        if Federation.merged.contains(method) { return await fanOut(method, body, call: call) }
        var agency = agencies[0]
        if let units = ScopedMethods.units(method: method, body: body), let unit = units.first, let owner = await owner(of: unit) { agency = agencies[owner] }
        guard let client = agency.client(for: method) else {
            return CallOutcome(status: .unimplemented, message: tr("cơ quan \(agency.label) không có dịch vụ trả lời \(method)", en: "agency \(agency.label) runs no service that answers \(method)"))
        }
        do {
            let response = try await call(client, method, body, nil)
            return CallOutcome(status: StatusCode(rawValue: response.status) ?? .unknown, message: response.message, body: response.body)
        } catch {
            return CallOutcome(status: error.code, message: tr("cơ quan \(agency.label): ", en: "agency \(agency.label): ") + error.message)
        }
    }

    /// The agency whose roster holds `unit`.
    func owner(of unit: String) async -> Int? {
        let cached = owners.withLock { $0 }
        // A unit not in the map may be new: read the rosters again for it.
        if let owner = cached.map[unit], let at = cached.at, ContinuousClock.now - at < .seconds(30) { return owner }
        return await refreshOwners().map[unit]
    }

    /// The codes more than one agency holds.
    func sharedUnits() async -> Set<String> {
        let cached = owners.withLock { $0 }
        if let at = cached.at, ContinuousClock.now - at < .seconds(30) { return cached.shared }
        return await refreshOwners().shared
    }

    private func refreshOwners() async -> (map: [String: Int], shared: Set<String>) {
        var map: [String: Int] = [:]
        var shared: Set<String> = []
        for (i, agency) in agencies.enumerated().reversed() {
            guard let roster = agency.client(for: RosterAPI.listUnits.fullName) else { continue }
            // The first agency wins a code two of them hold (the province each keeps as its root).
            if let units = try? await roster.call(RosterAPI.listUnits, ListUnitsRequest(), deadline: .seconds(5)).units {
                for u in units {
                    if map[u.code] != nil { shared.insert(u.code) }
                    map[u.code] = i
                }
            }
        }
        owners.withLock { $0 = (map, shared, .now) }
        return (map, shared)
    }

    /// Key phrases ranked from every agency's counts summed, as from all the texts in one place.
    /// Partners, whose phrases are held to the small-cell rule, are refused the counts by each
    /// agency, and so across agencies.
    private func phrases(_ body: [UInt8], call: @escaping Call) async -> CallOutcome {
        guard let request = try? CBORDecoder().decode(PhrasesRequest.self, from: body) else {
            return CallOutcome(status: .invalidArgument, message: "request: not a PhrasesRequest")
        }
        let gathered: (parts: [PhraseCounts], notice: String?)
        switch await gather(AnalyticsAPI.phraseCounts, body, call: call) {
        case .success(let answers): gathered = answers
        case .failure(let refusal): return refusal.outcome
        }
        return encoded(Federation.mergePhrases(gathered.parts, request: request), notice: gathered.notice)
    }

    /// Each agency's spikes at its own units, and those at a unit several hold tested again
    /// over the agencies' summed months.
    private func spikes(_ body: [UInt8], call: @escaping Call) async -> CallOutcome {
        guard let request = try? CBORDecoder().decode(ListSpikesRequest.self, from: body) else {
            return CallOutcome(status: .invalidArgument, message: "request: not a ListSpikesRequest")
        }
        // Ids are each agency's own: followed across agencies, `after` would skip some and repeat others.
        guard request.after == nil else {
            return CallOutcome(status: .invalidArgument, message: tr(
                "after: mã tăng đột biến là riêng của từng cơ quan; qua nhiều cơ quan, hãy đọc theo tháng (period), hoặc theo dõi analytics của từng cơ quan",
                en: "after: spike ids are each agency's own; across agencies read them by month (period), or follow each agency's analytics"))
        }
        let listed: (parts: [SpikeList], notice: String?)
        switch await gather(AnalyticsAPI.spikes, body, call: call) {
        case .success(let answers): listed = answers
        case .failure(let refusal): return refusal.outcome
        }
        let parts = listed.parts
        let shared = await sharedUnits()
        struct Cell: Hashable { var unit: String; var period: Period }
        var cells = Set(parts.flatMap(\.spikes).filter { shared.contains($0.unit) }.map { Cell(unit: $0.unit, period: $0.period) })
        if let period = request.period { for unit in shared { cells.insert(Cell(unit: unit, period: period)) } }
        var recomputed: [Spike] = []
        var notice = listed.notice
        for cell in cells.sorted(by: { ($0.unit, $0.period.index) < ($1.unit, $1.period.index) }) {
            guard let scope = try? CBOREncoder().encode(Scope(unit: cell.unit, from: Period(index: cell.period.index - 6), to: cell.period)) else { continue }
            let trends = await fanOut(AnalyticsAPI.trends.fullName, scope, call: call)
            guard trends.status == .ok, let merged = trends.body, let t = try? CBORDecoder().decode(Trends.self, from: merged) else { continue }
            notice = notice ?? trends.message
            recomputed += Federation.spikes(in: t, unit: cell.unit, period: cell.period, threshold: parts[0].threshold, minimumItems: parts[0].minimumItems)
        }
        // As analytics limits a list (1 to 1,000, 100 by default).
        let limit = max(1, min(request.limit ?? 100, 1000))
        return encoded(Federation.mergeSpikes(parts, shared: shared, recomputed: recomputed, limit: limit), notice: notice)
    }

    /// Rising topics from the agencies' trends summed: each agency's own list would leave out
    /// what rose only in the sum.
    private func rising(_ body: [UInt8], call: @escaping Call) async -> CallOutcome {
        guard let request = try? CBORDecoder().decode(RisingRequest.self, from: body),
            let scope = try? CBOREncoder().encode(Scope(unit: request.unit, from: Period(index: request.period.index - 3), to: request.period))
        else { return CallOutcome(status: .invalidArgument, message: "request: not a RisingRequest") }
        let limit: Int
        do { limit = try RPCError.checkedLimit(request.limit, fallback: 10, range: 1...100) } catch { return CallOutcome(status: error.code, message: error.message) }
        guard request.period <= Day.today.period else {
            return CallOutcome(status: .invalidArgument, message: tr("period: tháng \(request.period.text) chưa đến", en: "period: \(request.period.text) has not come yet"))
        }
        let trends = await fanOut(AnalyticsAPI.trends.fullName, scope, call: call)
        guard trends.status == .ok, let merged = trends.body, let t = try? CBORDecoder().decode(Trends.self, from: merged) else { return trends }
        var topics: [RisingTopic] = []
        // As analytics does: the months before with any report (withheld ones hold reports) are the baseline.
        let reported = t.monthsWithReports
        let baseline = (1...3).map { Period(index: request.period.index - $0) }.filter(reported.contains)
        guard !baseline.isEmpty else { return encoded(RisingList(period: request.period, topics: [], baselineMonths: 0), notice: trends.message) }
        for series in t.series {
            let byPeriod = Dictionary(series.points.map { ($0.period, $0) }, uniquingKeysWith: { a, _ in a })
            guard let now = byPeriod[request.period], now.suppressed != true, let items = now.items, items > 0, let intensity = now.intensity else { continue }
            let months = (1...3).map { byPeriod[Period(index: request.period.index - $0)] }
            guard !months.contains(where: { $0?.suppressed == true }) else { continue }
            let before = baseline.map { byPeriod[$0]?.intensity ?? 0 }.reduce(0, +) / Double(baseline.count)
            topics.append(RisingTopic(topic: series.topic, intensity: intensity, before: before, change: intensity - before, items: items, reports: now.reports))
        }
        topics = topics.filter { $0.change > 0 }.sorted { $0.change != $1.change ? $0.change > $1.change : $0.topic < $1.topic }
        return encoded(RisingList(period: request.period, topics: Array(topics.prefix(limit)), baselineMonths: baseline.count), notice: trends.message)
    }

    /// Every agency's answer at once; the merged one, with a notice naming any agency that did not answer.
    private func fanOut(_ method: String, _ body: [UInt8], call: @escaping Call) async -> CallOutcome {
        let gathered: (bodies: [[UInt8]], notice: String?)
        switch await gather(method, body, call: call) {
        case .success(let answers): gathered = answers
        case .failure(let refusal): return refusal.outcome
        }
        let merged: [UInt8]
        do {
            merged = try Federation.merge(method, gathered.bodies, request: body)
        } catch {
            return CallOutcome(status: .internal, message: "\(method): the agencies' answers could not be merged: \(error)")
        }
        return CallOutcome(status: .ok, message: gathered.notice, body: merged)
    }

    struct Refusal: Error { var outcome: CallOutcome }

    /// `method`'s answer from every agency, decoded, with the notice `gather(_:_:call:)` gives.
    private func gather<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ body: [UInt8], call: @escaping Call
    ) async -> Result<(parts: [Response], notice: String?), Refusal> {
        switch await gather(method.fullName, body, call: call) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let answers):
            guard let parts = try? answers.bodies.map({ try CBORDecoder().decode(Response.self, from: $0) }) else {
                return .failure(Refusal(outcome: CallOutcome(status: .internal, message: "\(method.fullName): an agency's answer did not decode")))
            }
            return .success((parts, answers.notice))
        }
    }

    /// A merged answer, encoded.
    private func encoded<T: Encodable>(_ value: T, notice: String?) -> CallOutcome {
        guard let body = try? CBOREncoder().encode(value) else { return CallOutcome(status: .internal, message: "the merged answer could not be encoded") }
        return CallOutcome(status: .ok, message: notice, body: body)
    }

    /// Every agency's successful answer, and a notice naming those that did not answer; or the
    /// refusal to pass on when one refused, or none answered.
    private func gather(_ method: String, _ body: [UInt8], call: @escaping Call) async -> Result<(bodies: [[UInt8]], notice: String?), Refusal> {
        let answers = await withTaskGroup(of: (Int, Result<ResponseEnvelope, RPCError>).self) { group in
            for (i, agency) in agencies.enumerated() {
                guard let client = agency.client(for: method) else { continue }
                group.addTask {
                    do { return (i, .success(try await call(client, method, body, self.agencyDeadline))) } catch { return (i, .failure(error as? RPCError ?? RPCError(.unknown, "\(error)"))) }
                }
            }
            var out: [(Int, Result<ResponseEnvelope, RPCError>)] = []
            for await answer in group { out.append(answer) }
            return out.sorted { $0.0 < $1.0 }
        }
        var bodies: [[UInt8]] = []
        var missing: [String] = []
        var refusal: CallOutcome?
        for (i, answer) in answers {
            switch answer {
            case .success(let r) where r.status == 0:
                bodies.append(r.body ?? [])
            case .success(let r):
                let code = StatusCode(rawValue: r.status) ?? .unknown
                // An agency that does not hold the unit asked about contributes nothing.
                if code == .notFound { refusal = refusal ?? CallOutcome(status: code, message: r.message); continue }
                if code == .unavailable || code == .deadlineExceeded { missing.append(agencies[i].label); continue }
                return .failure(Refusal(outcome: CallOutcome(status: code, message: tr("cơ quan \(agencies[i].label): ", en: "agency \(agencies[i].label): ") + (r.message ?? ""))))
            case .failure(let error):
                missing.append(agencies[i].label + " (\(error.message))")
            }
        }
        guard !bodies.isEmpty else {
            return .failure(Refusal(outcome: refusal ?? CallOutcome(status: .unavailable, message: tr("không cơ quan nào trả lời: \(missing.joined(separator: "; "))", en: "no agency answered: \(missing.joined(separator: "; "))"))))
        }
        let notice = missing.isEmpty ? nil
            : tr("câu trả lời chưa đủ: không có số liệu của \(missing.joined(separator: ", "))", en: "a partial answer: nothing from \(missing.joined(separator: ", "))")
        return .success((bodies, notice))
    }

    static func merge(_ method: String, _ bodies: [[UInt8]], request: [UInt8]) throws -> [UInt8] {
        let decoder = CBORDecoder(), encoder = CBOREncoder()
        switch method {
        case RosterAPI.listUnits.fullName, RosterAPI.searchUnits.fullName:
            var seen: Set<String> = []
            var units: [OrgUnit] = []
            for body in bodies { for u in try decoder.decode(UnitList.self, from: body).units where seen.insert(u.code).inserted { units.append(u) } }
            if method == RosterAPI.listUnits.fullName { units.sort { $0.code < $1.code } }
            return try encoder.encode(UnitList(units: units))
        case AnalyticsAPI.completeness.fullName:
            return try encoder.encode(mergeCompleteness(try bodies.map { try decoder.decode(Completeness.self, from: $0) }))
        case AnalyticsAPI.trends.fullName:
            return try encoder.encode(mergeTrends(try bodies.map { try decoder.decode(Trends.self, from: $0) }))
        case AnalyticsAPI.sentiment.fullName:
            return try encoder.encode(mergeSentiment(try bodies.map { try decoder.decode(SentimentIndex.self, from: $0) }))
        case AnalyticsAPI.search.fullName:
            return try encoder.encode(mergeSearch(try bodies.map { try decoder.decode(SearchHits.self, from: $0) }, request: try? decoder.decode(SearchItemsRequest.self, from: request)))
        case AnalyticsAPI.ranking.fullName:
            return try encoder.encode(mergeRanking(try bodies.map { try decoder.decode(Ranking.self, from: $0) }))
        case AnalyticsAPI.checkTopics.fullName:
            return try encoder.encode(mergeTopicCheck(try bodies.map { try decoder.decode(TopicCheck.self, from: $0) }, request: try? decoder.decode(CheckTopicsRequest.self, from: request)))
        default:
            throw RPCError(.internal, "no merge for \(method)")
        }
    }

    /// Rows of every agency (a unit once), and the rates from the merged counts.
    static func mergeCompleteness(_ parts: [Completeness]) -> Completeness {
        var seen: Set<String> = []
        var rows: [CompletenessRow] = []
        for part in parts { for row in part.rows where seen.insert(row.unit).inserted { rows.append(row) } }
        // As one analytics orders them: missing first, then returned, late, on time; by name in Vietnamese order.
        rows = rows.map { ($0.state.urgency, Folding.fold($0.name), $0) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        let reported = rows.filter { $0.state == .onTime || $0.state == .late }.count
        let onTime = rows.filter { $0.state == .onTime }.count
        let n = Double(max(1, rows.count))
        // Provinces under a national gateway each answer for their own root: name them all.
        var roots: [String] = []
        for part in parts where !roots.contains(part.root) { roots.append(part.root) }
        return Completeness(
            period: parts[0].period, root: roots.joined(separator: "+"), expected: rows.count, reported: reported, onTime: onTime,
            reportingRate: rows.isEmpty ? 0 : Double(reported) / n, timelinessRate: rows.isEmpty ? 0 : Double(onTime) / n, rows: rows)
    }

    /// Counts and intensities summed per topic and month; a month withheld anywhere is withheld
    /// in the sum (adding a shown part to a hidden one would give the hidden one away).
    static func mergeTrends(_ parts: [Trends]) -> Trends {
        let to = parts.compactMap(\.scope.to).max()
        let from = parts.compactMap(\.scope.from).min()
        var byTopic: [String: [Period: TrendPoint]] = [:]
        for part in parts {
            for series in part.series {
                for p in series.points {
                    var point = byTopic[series.topic]?[p.period] ?? TrendPoint(period: p.period, items: nil, intensity: nil, reports: nil)
                    if p.suppressed == true || point.suppressed == true {
                        point = TrendPoint(period: p.period, items: nil, intensity: nil, reports: nil)
                        point.suppressed = true
                    } else {
                        if let items = p.items { point.items = (point.items ?? 0) + items }
                        if let intensity = p.intensity { point.intensity = (point.intensity ?? 0) + intensity }
                        if let reports = p.reports { point.reports = (point.reports ?? 0) + reports }
                    }
                    byTopic[series.topic, default: [:]][p.period] = point
                }
            }
        }
        var scope = parts[0].scope
        scope.from = from
        scope.to = to
        let months = from.flatMap { f in to.map { t in (f.index...max(f.index, t.index)).map { Period(index: $0) } } } ?? []
        let series = byTopic.keys.sorted().map { topic in
            TopicSeries(topic: topic, points: months.map { byTopic[topic]?[$0] ?? TrendPoint(period: $0, items: 0, intensity: 0, reports: 0) })
        }
        return Trends(scope: scope, series: series)
    }
}
