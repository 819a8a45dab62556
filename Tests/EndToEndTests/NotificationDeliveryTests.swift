import Foundation
import Glibc
import Messages
import Spawn
import TestSupport
import Testing

/// The built notification daemon in a stack: SMTP to aiosmtpd, SIGKILL mid-delivery, quiet
/// hours on its clock, the hook and sendmail channels.
@Suite("Notification delivery: the built daemon, a real SMTP server, SIGKILL", .serialized)
struct NotificationDeliveryTests {
    /// Hà Tĩnh's units, with officials (with e-mail) in charge of 18073 and 18100.
    static func stackWithOfficials() async throws -> Stack {
        let stack = try Stack()
        _ = try await stack.pulse(["units", "import", "--ha-tinh"])
        for (unit, name, email) in [("18073", "Nguyễn Thị Hoa", "hoa@thanhsen.hatinh.gov.vn"), ("18100", "Trần Văn Nam", "nam@tranphu.hatinh.gov.vn")] {
            let added = try await stack.pulse(["people", "add", "--name", name, "--unit", unit, "--role", "official", "--email", email, "--joined", "2025-07-01", "--json"])
            let idLine = added.stdout.split(separator: "\n").first { $0.contains("\"id\"") } ?? ""
            let id = idLine.filter(\.isNumber)
            #expect(!id.isEmpty, "\(added.stdout)\(added.stderr)")
            _ = try await stack.pulse(["assign", unit, String(id), "--from", "2025-07-15"])
        }
        return stack
    }

    /// Restarts notification with `options` in place of its default channel and clock.
    func restartNotification(_ stack: Stack, _ options: [String]) async throws {
        let i = try #require(stack.specs.firstIndex { $0.0 == "notification" })
        stack.specs[i].1 = ["--intake", stack.directory + "/report-intake.sock", "--roster", stack.directory + "/roster.sock", "--rule-interval", "0.5"] + options
        _ = await stack.stop("notification")
        try stack.start("notification")
    }

    struct Listed: Decodable { var notices: [Notice] }

    func notices(_ stack: Stack, _ extra: [String] = []) async throws -> [Notice] {
        let ran = try await stack.pulse(["notify", "list", "--limit", "1000", "--json"] + extra)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Listed.self, from: Data(ran.stdout.utf8)).notices
    }

    /// Polls until `done` holds (or 20 s pass).
    func eventually(_ done: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if try await done() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Whether notices were recorded and none is pending.
    func delivered(_ stack: Stack) async throws -> Bool {
        let all = try await notices(stack)
        return !all.isEmpty && !all.contains { $0.state == .pending }
    }

    @Test("recorded, then SIGKILL before it could be sent, then restarted: every notice arrives exactly once")
    func killedBetweenRecordAndSend() async throws {
        let stack = try await Self.stackWithOfficials()
        // A port nobody listens on yet: the first attempts are refused (temporary).
        let probe = try await SMTPTestServer.start()
        let port = probe.port
        _ = probe.process.signal(SIGKILL)
        _ = await probe.process.terminated()
        let options = [
            "--smtp", "127.0.0.1:\(port)", "--smtp-tls", "off", "--from", "pulse@btgdv.hatinh.gov.vn", "--quiet-hours", "off", "--retry-base", "0.3",
            "--clock-start", "2026-10-20T09:00:00+07:00",
        ]
        try await restartNotification(stack, options)
        #expect(try await eventually { try await notices(stack).contains { $0.rule == .reminder && $0.state == .pending && $0.attempts >= 1 } })
        let before = try await notices(stack)
        let deliverable = before.filter { $0.state == .pending }
        #expect(deliverable.count >= 2, "the two officials' reminders (and September's escalations) wait to be sent")
        #expect(before.filter { $0.rule == .reminder && $0.state == .failed }.allSatisfy { $0.lastError?.contains("chưa có cán bộ phụ trách") == true })

        let notification = try #require(stack.processes.first { $0.0 == "notification" }?.1)
        _ = notification.signal(SIGKILL)
        _ = await notification.terminated()
        let server = try await SMTPTestServer.start(["--port", String(port)])
        try stack.start("notification")
        #expect(try await eventually { try await notices(stack, ["--state", "pending"]).isEmpty })
        let got = try await server.waitFor(deliverable.count)
        try await Task.sleep(for: .seconds(1.5))  // three more rule runs and delivery rounds: nothing more may come
        let all = try server.received()
        #expect(all.count == deliverable.count, "each recorded notice once: \(all.map(\.subject))")
        let pairs = all.map { "\($0.rcpt_tos.joined()) \($0.subject)" }
        #expect(Set(pairs).count == pairs.count, "no message twice")
        #expect(got.contains { $0.rcpt_tos == ["hoa@thanhsen.hatinh.gov.vn"] && $0.subject == "Nhắc báo cáo dư luận xã hội tháng 10/2026: còn 5 ngày" })
        #expect(got.contains { $0.rcpt_tos == ["nam@tranphu.hatinh.gov.vn"] && $0.body.contains("Phường Trần Phú (18100) chưa gửi báo cáo") })
        let after = try await notices(stack)
        #expect(after.count == before.count, "the rules, run again after the restart, recorded nothing new")
        let log = try await stack.pulse(["notify", "log", "--unit", "18073", "--period", "2026-10", "--json"])
        #expect(log.stdout.contains("\"result\" : \"temporary\"") && log.stdout.contains("\"result\" : \"sent\""), "\(log.stdout)")
        _ = await stack.stop()
    }

    @Test("quiet hours on the service's clock: recorded at 06:59, held, delivered from 07:00")
    func quietHoursHoldUntilMorning() async throws {
        let stack = try await Self.stackWithOfficials()
        try await restartNotification(stack, ["--clock-start", "2026-10-20T06:59:57+07:00"])
        #expect(try await eventually { try await notices(stack).contains { $0.rule == .reminder } })
        let maildir = stack.directory + "/data-notification/maildir/new"
        let held = try await notices(stack).filter { $0.rule == .reminder && $0.person != nil }
        #expect(held.count == 2 && held.allSatisfy { $0.state == .pending })
        let seven = ISO8601DateFormatter().date(from: "2026-10-20T07:00:00+07:00")!
        #expect(held.allSatisfy { $0.notBefore == seven }, "\(held.map(\.notBefore))")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: maildir)) ?? []).isEmpty, "nothing goes out before 07:00")
        #expect(try await eventually { try await notices(stack, ["--state", "pending"]).isEmpty })
        let sent = try await notices(stack, ["--state", "sent"]).filter { $0.rule == .reminder }
        #expect(sent.count == 2 && sent.allSatisfy { ($0.sentAt ?? .distantPast) >= seven })
        let files = try FileManager.default.contentsOfDirectory(atPath: maildir)
        let sentCount = try await notices(stack, ["--state", "sent"]).count
        #expect(files.count == sentCount)
        _ = await stack.stop()
    }

    @Test("the hook receives each notice as JSON on its standard input; sendmail gets -t -i and the message")
    func hookAndSendmail() async throws {
        let stack = try await Self.stackWithOfficials()
        let out = stack.directory + "/hook-out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let hook = stack.directory + "/hook.sh"
        try "#!/bin/sh\ncat > \"\(out)/$$.json\"\n".write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        try await restartNotification(stack, ["--hook", hook, "--quiet-hours", "off", "--clock-start", "2026-10-20T09:00:00+07:00"])
        #expect(try await eventually { try await delivered(stack) })
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        let sentCount = try await notices(stack, ["--state", "sent"]).count
        #expect(files.count == sentCount && files.count >= 2)
        struct Hooked: Decodable { var id: Int; var rule: String; var recipientName: String; var address: String?; var subject: String; var body: String; var language: String }
        let hooked = try files.map { try JSONDecoder().decode(Hooked.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/" + $0))) }
        let hoa = try #require(hooked.first { $0.recipientName == "Nguyễn Thị Hoa" && $0.rule == "reminder" })
        #expect(hoa.address == "hoa@thanhsen.hatinh.gov.vn" && hoa.subject == "Nhắc báo cáo dư luận xã hội tháng 10/2026: còn 5 ngày" && hoa.language == "vi")

        let sendmailOut = stack.directory + "/sendmail-out"
        try FileManager.default.createDirectory(atPath: sendmailOut, withIntermediateDirectories: true)
        let sendmail = stack.directory + "/sendmail.sh"
        try "#!/bin/sh\necho \"$@\" > \"\(sendmailOut)/$$.args\"\ncat > \"\(sendmailOut)/$$.eml\"\n".write(toFile: sendmail, atomically: true, encoding: .utf8)
        chmod(sendmail, 0o755)
        // A later month on a fresh store: the sendmail channel's own notices.
        _ = await stack.stop("notification")
        try? FileManager.default.removeItem(atPath: stack.directory + "/data-notification")
        try await restartNotification(stack, ["--sendmail", sendmail, "--from", "pulse@btgdv.hatinh.gov.vn", "--quiet-hours", "off", "--clock-start", "2026-11-20T09:00:00+07:00"])
        #expect(try await eventually { try await delivered(stack) })
        let args = try FileManager.default.contentsOfDirectory(atPath: sendmailOut).filter { $0.hasSuffix(".args") }
        #expect(!args.isEmpty)
        #expect(try String(contentsOfFile: sendmailOut + "/" + args[0], encoding: .utf8).hasPrefix("-t -i -f pulse@btgdv.hatinh.gov.vn"))
        let messages = try FileManager.default.contentsOfDirectory(atPath: sendmailOut).filter { $0.hasSuffix(".eml") }.map {
            try String(contentsOfFile: sendmailOut + "/" + $0, encoding: .utf8)
        }
        #expect(messages.contains { $0.contains("To: =?UTF-8?B?") && $0.contains("<hoa@thanhsen.hatinh.gov.vn>") && $0.contains("tháng 11/2026") })
        _ = await stack.stop()
    }

    @Test("bad requests are refused with the field named, and crash nothing: a NaN instant, unknown people, topics and units")
    func badRequests() async throws {
        let stack = try await Self.stackWithOfficials()
        // Preview {at: NaN} as CBOR (a date tag holding a NaN float): once enough to kill the daemon.
        let nan = try await stack.pulse(["rpc", "pulse.notification.v1.Notification/Preview", "--cbor", "a1626174c1fb7ff8000000000000"])
        #expect(nan.status != 0 && nan.stderr.contains("at: give an instant from 2000 to 2099"), "\(nan.stderr)")
        let far = try await stack.pulse(["notify", "preview", "--at", "2100-01-01"])
        #expect(far.status != 0 && far.stderr.contains("at: give an instant"), "\(far.stderr)")
        let nobody = try await stack.pulse(["subscribe", "99999"])
        #expect(nobody.status != 0 && nobody.stderr.contains("person: roster has no person 99999"), "\(nobody.stderr)")
        let topic = try await stack.pulse(["subscribe", "1", "--topic", "khong-co"])
        #expect(topic.status != 0 && topic.stderr.contains("--topic \"khong-co\" is not a topic; the topics are"), "\(topic.stderr)")
        let topicByRPC = try await stack.pulse(["rpc", "pulse.notification.v1.Notification/Subscribe", "{\"person\": 1, \"topics\": [\"khong-co\"]}"])
        #expect(topicByRPC.status != 0 && topicByRPC.stderr.contains("topics: no topic \"khong-co\"; the topics are"), "\(topicByRPC.stderr)")
        let unit = try await stack.pulse(["subscribe", "1", "--unit", String(repeating: "9", count: 100)])
        #expect(unit.status != 0 && unit.stderr.contains("longer than any code"), "\(unit.stderr)")
        let strength = try await stack.pulse(["subscribe", "1", "--min-strength", "0x10"])
        #expect(strength.status == 64, "\(strength.stderr)")
        let limit = try await stack.pulse(["notify", "list", "--limit", "0"])
        #expect(limit.status == 64 && limit.stderr.contains("--limit is from 1 to 10000"), "\(limit.stderr)")
        let good = try await stack.pulse(["subscribe", "1", "--topic", "dat-dai", "--topic", "dat-dai", "--min-strength", "2,5", "--json"])
        #expect(good.status == 0 && good.stdout.components(separatedBy: "dat-dai").count == 2, "duplicates dropped: \(good.stdout)\(good.stderr)")
        #expect(try await stack.pulse(["health"]).status == 0, "every daemon still serving")
        #expect(try await stack.pulse(["subscriptions"]).stdout.contains("2.5"))
        _ = await stack.stop()
    }
}
