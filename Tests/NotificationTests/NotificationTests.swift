import Feeds
import Foundation
import Messages
import TestSupport
import Testing
@testable import Notification

@Suite("Notification outbox")
struct NotificationTests {
    func report(_ unit: String, version: Int) -> Report {
        Report(
            unit: unit, period: Period("2026-10")!, version: version, submitter: 1, assessment: "",
            items: [OpinionItem(topic: "dat-dai", summary: "x", prevalence: .some, trend: .stable, sentiment: 0)],
            receivedAt: Date(), timeliness: .onTime, firstReceivedAt: Date())
    }

    @Test("reports and spikes become notices; the Maildir gets each once; cursors survive a restart")
    func outbox() async throws {
        let dir = temporaryDirectory("notification")
        var store: NotificationStore? = try NotificationStore(directory: dir)
        let changes = [Change(cursor: 1, kind: .report, report: report("18073", version: 1)), Change(cursor: 2, kind: .report, report: report("18073", version: 2))]
        try await store!.apply(changes, commit: FeedCommit(feed: FeedName.intakeChanges, cursor: 2, queue: store!.queue))
        let spike = Spike(id: 7, topic: "dat-dai", unit: "18775", period: Period("2026-10")!, items: 9, baseline: 1, pValue: 1.1e-6, strength: 9, intensity: 27)
        try await store!.apply(spikes: [spike], commit: FeedCommit(feed: FeedName.analyticsSpikes, cursor: 7, queue: store!.queue))
        #expect(try await store!.deliver() == 3)
        #expect(try await store!.deliver() == 0, "nothing is delivered twice")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/maildir/new")
        #expect(files.count == 3)
        let notices = try await store!.outbox(limit: 10).notices
        #expect(notices.contains { $0.subject.contains("(bản sửa lần 1)") })
        let alert = try #require(notices.first { $0.subject.hasPrefix("Cảnh báo") })
        #expect(alert.body.contains("9 nội dung"))
        #expect(alert.body.contains("gấp 9.0 lần"))
        store = nil
        let reopened = try NotificationStore(directory: dir)
        #expect(try await reopened.cursor() == 2)
        #expect(try await reopened.cursor(FeedName.analyticsSpikes) == 7)
    }
}
