import Synchronization
import Analytics
import Base
import Foundation
import Messages

enum AnalyticsBench {
    /// Feeds the analytics store the way the feed follower does, in batches of 1,000 changes,
    /// then times the queries an analyst runs.
    static func run(items total: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-bench-analytics-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try AnalyticsStore(path: directory + "/analytics.sqlite")

        // A province of 40 districts × 100 communes: 4,000 reporting units, 5 items a report.
        var units = [OrgUnit(code: "P", kind: .province, nameVi: "Thử Nghiệm", validFrom: Day("2020-01-01")!)]
        for d in 0..<40 {
            units.append(OrgUnit(code: "D\(d)", kind: .agency, nameVi: "Huyện \(d)", parent: "P", validFrom: Day("2020-01-01")!))
            for c in 0..<100 { units.append(OrgUnit(code: "D\(d)C\(c)", kind: .commune, nameVi: "Xã \(d)-\(c)", parent: "D\(d)", validFrom: Day("2020-01-01")!, population: 2000 + c * 10)) }
        }
        try await store.replaceUnits(units)
        let communes = units.filter { $0.kind == .commune }.map(\.code)
        let topics = ["dat-dai", "gia-ca", "viec-lam", "y-te", "giao-duc", "moi-truong", "ha-tang", "cai-cach-hanh-chinh", "an-sinh", "an-ninh-trat-tu", "thien-tai"]
        let texts = [
            "Người dân bức xúc vì giá bồi thường giải phóng mặt bằng thấp hơn giá thị trường, đề nghị công khai.",
            "Giá thực phẩm và xăng dầu tăng khiến đời sống người lao động khó khăn hơn trước.",
            "Bà con hài lòng với việc giải quyết thủ tục hành chính nhanh chóng, thuận tiện sau sáp nhập.",
            "Tuyến đường liên thôn xuống cấp, lầy lội vào mùa mưa, học sinh đi lại nguy hiểm.",
            "Người dân phấn khởi vì trạm y tế được đầu tư trang thiết bị, khám chữa bệnh tốt hơn.",
            "Nguoi dan lo lang vi mua bao sap den ma de ke chua duoc gia co.",
        ]
        let reportsNeeded = total / 5
        let firstPeriod = Period("2022-12")!
        var cursor: UInt64 = 0
        var ingested = 0
        let start = ContinuousClock.now
        var batch: [Change] = []
        var lastProgress = ContinuousClock.now
        for r in 0..<reportsNeeded {
            let unit = communes[r % communes.count]
            let period = Period(index: firstPeriod.index + r / communes.count)
            let items = (0..<5).map { i in
                OpinionItem(topic: topics[(r + i * 3) % topics.count], summary: texts[(r + i) % texts.count], prevalence: [.isolated, .some, .widespread][(r + i) % 3], trend: .stable, sentiment: (r + i) % 5 - 2)
            }
            cursor += 1
            let at = Date(timeIntervalSince1970: 1_672_531_200 + Double(r))
            batch.append(Change(cursor: cursor, kind: .report, report: Report(unit: unit, period: period, version: 1, submitter: 1, assessment: "", items: items, receivedAt: at, timeliness: .onTime, firstReceivedAt: at)))
            if batch.count == 1000 || r == reportsNeeded - 1 {
                try await store.apply(ChangeBatch(changes: batch, cursor: cursor, more: false))
                ingested += batch.count * 5
                batch.removeAll(keepingCapacity: true)
                if ContinuousClock.now - lastProgress > .seconds(5) {
                    lastProgress = .now
                    FileHandle.standardError.write(Data("  … \(ingested) items ingested\n".utf8))
                }
            }
        }
        let ingest = (ContinuousClock.now - start).inSeconds
        print("ingest: \(ingested) opinion items (\(reportsNeeded) reports, 4,000 units, \(reportsNeeded / communes.count) months) in \(format(ingest, decimals: 1)) s = \(format(Double(ingested) / ingest, decimals: 0)) items/s   (target < \(format(Double(ingested) / 50_000, decimals: 0)) s, the issue's 1,000,000 in 20 s) \(ingest < Double(ingested) / 50_000 ? "ok" : "MISSED")")

        let lastPeriod = Period(index: firstPeriod.index + (reportsNeeded - 1) / communes.count)
        func measure(_ name: String, _ body: () async throws -> Void) async rethrows -> Double {
            for _ in 0..<3 { try await body() }
            var samples: [UInt64] = []
            for _ in 0..<30 {
                let s = ContinuousClock.now
                try await body()
                samples.append((ContinuousClock.now - s).inNanoseconds)
            }
            let m = Measurement(name: name, latenciesNanos: samples, elapsed: .zero)
            let p50 = m.p50 / 1000
            print("\(pad(name, 52)) p50 \(format(p50, decimals: 2)) ms  p99 \(format(m.p99 / 1000, decimals: 2)) ms   (target < 50 ms) \(p50 < 50 ? "ok" : "MISSED")")
            return p50
        }
        print("\nqueries at that size (30 runs each after 3 warm-ups):")
        _ = try await measure("trend: 12 months × all topics, the whole province") {
            let t = try store.trends(Scope(from: Period(index: lastPeriod.index - 11), to: lastPeriod), partner: false)
            precondition(!t.series.isEmpty)
        }
        _ = try await measure("trend: 12 months, one district") {
            _ = try store.trends(Scope(unit: "D7", from: Period(index: lastPeriod.index - 11), to: lastPeriod), partner: false)
        }
        _ = try await measure("completeness roll-up over the province, one month") {
            let c = try await store.completeness(CompletenessRequest(period: lastPeriod))
            precondition(c.expected == 4000)
        }
        _ = try await measure("full-text search \"boi thuong giai phong\" (no diacritics)") {
            let h = try await store.search(SearchItemsRequest(query: "boi thuong giai phong", limit: 20))
            precondition(h.total > 0)
        }
        // Key phrases read every text of seven months: six callers at once must not hold up the
        // cheap queries (compare the first trend line above).
        let phraseStart = ContinuousClock.now
        // The generated months run past today at this size; phrases are asked of a month that has come.
        let phraseMonth = min(lastPeriod, Day.today.period)
        let one = try await store.phrases(PhrasesRequest(topic: "dat-dai", period: phraseMonth, limit: 10), partner: false)
        print("\nkey phrases of one topic-month (\(one.texts ?? 0) texts against \(one.baselineTexts ?? 0)): \(format((ContinuousClock.now - phraseStart).inSeconds * 1000, decimals: 0)) ms; while six callers ask for them without pause:")
        final class Flag: Sendable { let raised = Atomic<Bool>(false) }
        let stop = Flag()
        let busy = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<6 {
                    group.addTask { while !stop.raised.load(ordering: .relaxed) { _ = try? await store.phrases(PhrasesRequest(topic: "dat-dai", period: phraseMonth, limit: 10), partner: false) } }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        // Each trend a task of its own, as a server's call is: timed from asking to answer, waiting for a thread included.
        _ = try await measure("trend: 12 months × all topics, beside six phrase callers") {
            _ = try await Task { try store.trends(Scope(from: Period(index: lastPeriod.index - 11), to: lastPeriod), partner: false) }.value
        }
        stop.raised.store(true, ordering: .relaxed)
        await busy.value
    }
}
