import Foundation
import Messages
import RPC
import Store
import Synchronization
import Testing

@Suite("pulse backup and restore, under load", .serialized)
struct BackupTests {
    @Test("a backup taken while 16 submitters write restores to sound stores holding every report acknowledged before it began; an incomplete or damaged backup is refused")
    func underLoad() async throws {
        let stack = try await Stack.withOneOfficial()
        let intakeSocket = stack.directory + "/report-intake.sock"
        let draft: @Sendable (String) -> ReportDraft = Stack.landReport
        final class Progress: Sendable {
            let acknowledged = Mutex<[String]>([])
            let stop = Atomic<Bool>(false)
            let beforeBackup = Mutex<[String]>([])
        }
        let progress = Progress()
        let out = stack.directory + "/backup"
        let backup = try await withThrowingTaskGroup(of: Ran?.self) { group in
            for submitter in 0..<16 {
                group.addTask {
                    let client = RPCClient(path: intakeSocket)
                    defer { client.close() }
                    var n = 0
                    while !progress.stop.load(ordering: .relaxed) {
                        let key = "backup-\(submitter)-\(n)"
                        n += 1
                        guard (try? await client.call(IntakeAPI.submitReport, draft(key), deadline: .seconds(10))) != nil else { continue }
                        progress.acknowledged.withLock { $0.append(key) }
                    }
                    return nil
                }
            }
            group.addTask {
                while progress.acknowledged.withLock({ $0.count }) < 200 { try await Task.sleep(for: .milliseconds(5)) }
                progress.beforeBackup.withLock { $0 = progress.acknowledged.withLock { $0 } }
                let ran = try await stack.pulse(["backup", "--data", stack.directory, "--out", out, "--json"])
                try await Task.sleep(for: .milliseconds(200))
                progress.stop.store(true, ordering: .relaxed)
                return ran
            }
            var ran: Ran?
            for try await result in group { if let result { ran = result } }
            return ran
        }
        let taken = try #require(backup)
        #expect(taken.status == 0, "\(taken.stderr)")
        #expect(taken.stdout.contains("\"integrity\" : \"ok\""), "\(taken.stdout)")
        let acknowledged = progress.acknowledged.withLock { $0 }
        #expect(acknowledged.count > progress.beforeBackup.withLock { $0.count }, "submitters kept writing during the backup")
        let live = try await stack.pulse(["restore", out, "--data", stack.directory])
        #expect(live.status == 1 && live.stderr.contains("is open in a running service"), "a store in use is never replaced: \(live.stderr)")
        _ = await stack.stop()

        // Restored into a fresh directory: sound, and every report acknowledged before the backup.
        let restoredData = stack.directory + "/restored"
        let restored = try await stack.pulse(["restore", out, "--data", restoredData])
        #expect(restored.status == 0, "\(restored.stdout)\(restored.stderr)")
        let intakeFile = try #require(try FileManager.default.subpathsOfDirectory(atPath: restoredData).first { $0.hasSuffix("intake.sqlite") })
        var mode = stat()
        #expect(stat(restoredData + "/" + intakeFile, &mode) == 0 && mode.st_mode & 0o777 == 0o600, "restored stores are their service's alone")
        let db = try Database(path: restoredData + "/" + intakeFile, readOnly: true)
        #expect(try db.integrityCheck().isEmpty)
        let stored = try db.scalar("SELECT count(*) FROM reports", as: Int.self) ?? 0
        let before = progress.beforeBackup.withLock { $0.count }
        #expect(stored >= before, "\(stored) reports restored; \(before) were acknowledged before the backup began")

        // A backup with a damaged store, or without its manifest, is refused, and nothing is put back.
        let damaged = try #require(try FileManager.default.subpathsOfDirectory(atPath: out).first { $0.hasSuffix("roster.sqlite") })
        let handle = try #require(FileHandle(forUpdatingAtPath: out + "/" + damaged))
        try handle.seek(toOffset: 5000)
        try handle.write(contentsOf: Data([0xFF, 0xFE, 0xFD]))
        try handle.close()
        let refused = try await stack.pulse(["restore", out, "--data", stack.directory + "/again"])
        #expect(refused.status == 1 && refused.stderr.contains("roster.sqlite") && refused.stderr.contains("SHA-256"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stack.directory + "/again"))
        try FileManager.default.removeItem(atPath: out + "/manifest.json")
        let incomplete = try await stack.pulse(["restore", out, "--data", stack.directory + "/again"])
        #expect(incomplete.status == 1 && incomplete.stderr.contains("incomplete"), "\(incomplete.stderr)")

        // The nightly timer's way: --into a directory, keeping the newest n.
        let nightly = stack.directory + "/nightly"
        for _ in 0..<3 {
            let ran = try await stack.pulse(["backup", "--data", restoredData, "--into", nightly, "--keep", "2"])
            #expect(ran.status == 0, "\(ran.stderr)")
        }
        let kept = try FileManager.default.contentsOfDirectory(atPath: nightly).filter { $0.hasPrefix("pulse-backup-") }
        #expect(kept.count == 2, "\(kept)")
    }
}
