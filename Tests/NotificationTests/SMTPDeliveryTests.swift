import Foundation
import Mail
import Messages
import Spawn
import TestSupport
import Testing
@testable import Notification

/// Delivery to a real SMTP server (aiosmtpd) on a loopback port.
@Suite("SMTP delivery", .serialized)
struct SMTPDeliveryTests {
    /// One reminder planned for commune 1 of a three-commune province, on 20/11/2026.
    func recordReminder(_ engine: NotificationEngine, clock: TestClock) async throws -> Int {
        let directory = testDirectory(communes: 3)
        let planned = engine.rules.plan(at: vn("2026-11-20 08:00"), directory: directory, reported: everyoneReported("2026-10", communes: 3).union(["18002|2026-11", "18003|2026-11"]), surveys: [])
        #expect(planned.count == 1)
        return try await engine.store.record(planned, templates: engine.templates, now: clock.read(), quietHours: .none)
    }

    func smtp(_ server: SMTPTestServer, tls: SMTPConfiguration.TLSMode = .off, ca: String? = nil, user: String? = nil, password: String? = nil) -> SMTPChannel {
        SMTPChannel(configuration: SMTPConfiguration(
            host: "127.0.0.1", port: server.port, from: "pulse@hatinh.gov.vn", tls: tls, caFile: ca, user: user, password: password, timeout: .seconds(10)))
    }

    @Test("a reminder arrives once, with its Vietnamese subject encoded as RFC 2047 and decoded by Python's email package")
    func reminderArrivesOnce() async throws {
        let server = try await SMTPTestServer.start()
        let clock = TestClock(vn("2026-11-20 08:00"))
        let engine = try deliveryEngine(temporaryDirectory("notify-smtp"), channel: smtp(server), clock: clock)
        #expect(try await recordReminder(engine, clock: clock) == 1)
        #expect(try await engine.deliver(at: clock.read()) == 1)
        #expect(try await engine.deliver(at: clock.read()) == 0, "nothing is sent twice")
        #expect(try await recordReminder(engine, clock: clock) == 0, "the rules running again record nothing new")
        let got = try await server.waitFor(1)
        try #require(got.count == 1)
        let m = got[0]
        #expect(m.subject == "Nhắc báo cáo dư luận xã hội tháng 11/2026: còn 5 ngày")
        #expect(m.raw_subject.hasPrefix("Subject: =?UTF-8?B?"), "the subject is an encoded word: \(m.raw_subject)")
        #expect(m.rcpt_tos == ["cb1@xa.hatinh.gov.vn"])
        #expect(m.to.contains("Cán Bộ 1"))
        #expect(m.body.contains("Kính gửi đồng chí Cán Bộ 1,"))
        #expect(m.body.contains("Xã Thạch 1 (18001) chưa gửi báo cáo"))
        #expect(m.body.contains("trước ngày 25/11/2026 (còn 5 ngày)"))
        let sent = try await engine.store.notices(ListNoticesRequest(state: .sent))
        #expect(sent.count == 1 && sent[0].channel == "smtp" && sent[0].attempts == 1)
        #expect(m.message_id == "<\(try await engine.store.due(at: .distantFuture).first?.messageID ?? "")>" || m.message_id.hasPrefix("<notice-\(sent[0].id)-"))
    }

    @Test("lines that begin with a dot survive (dot-stuffing), and many notices share one connection")
    func dotStuffingAndBatch() async throws {
        let server = try await SMTPTestServer.start()
        let client = try SMTPClient(SMTPConfiguration(host: "127.0.0.1", port: server.port, from: "pulse@hatinh.gov.vn", tls: .off, timeout: .seconds(10)))
        let body = "Dòng một\n.\n.ẩn sau dấu chấm\n..hai chấm\nHết"
        for i in 1...5 {
            let message = MailMessage(from: "pulse@hatinh.gov.vn", to: "a\(i)@example.vn", subject: "Thử \(i)", body: body, date: Date(), messageID: "t\(i)@pulse")
            #expect(try client.send(message, to: "a\(i)@example.vn") == .accepted("250 2.0.0 accepted"))
        }
        client.quit()
        let got = try await server.waitFor(5)
        #expect(got.count == 5)
        #expect(got.allSatisfy { $0.body.replacingOccurrences(of: "\r\n", with: "\n") == body + "\n" }, "the body arrives as written")
        #expect(got.map(\.subject) == (1...5).map { "Thử \($0)" })
    }

    @Test("STARTTLS with a certificate made by openssl and AUTH: delivered encrypted; a CA that does not match fails, and is retried")
    func startTLSAndAuth() async throws {
        let dir = temporaryDirectory("notify-tls")
        let (cert, key) = try await makeCertificate(in: dir)
        let server = try await SMTPTestServer.start(["--tls", cert, key, "--auth", "pulse:mật-khẩu"])
        let clock = TestClock(vn("2026-11-20 08:00"))
        // First with a CA file that is not the server's: the handshake fails, temporarily.
        let other = try await makeCertificate(in: temporaryDirectory("notify-other-ca"))
        let wrong = try deliveryEngine(dir + "/wrong", channel: smtp(server, tls: .required, ca: other.cert, user: "pulse", password: "mật-khẩu"), clock: clock)
        _ = try await recordReminder(wrong, clock: clock)
        #expect(try await wrong.deliver(at: clock.read()) == 0)
        let failed = try await wrong.store.notices(ListNoticesRequest())
        #expect(failed[0].state == .pending && failed[0].attempts == 1)
        #expect(failed[0].lastError?.contains("TLS handshake") == true, "\(failed[0].lastError ?? "")")

        let engine = try deliveryEngine(dir + "/right", channel: smtp(server, tls: .required, ca: cert, user: "pulse", password: "mật-khẩu"), clock: clock)
        _ = try await recordReminder(engine, clock: clock)
        #expect(try await engine.deliver(at: clock.read()) == 1)
        let got = try await server.waitFor(1)
        #expect(got.count == 1 && got[0].tls && got[0].authenticated)

        // A wrong password is a failure of the connection: retried, never sent in the clear.
        let badPassword = try deliveryEngine(dir + "/bad", channel: smtp(server, tls: .required, ca: cert, user: "pulse", password: "sai"), clock: clock)
        _ = try await recordReminder(badPassword, clock: clock)
        #expect(try await badPassword.deliver(at: clock.read()) == 0)
        let refusal = try await badPassword.store.notices(ListNoticesRequest())[0].lastError ?? ""
        #expect(refusal.contains("AUTH"), "\(refusal)")
        #expect(try server.received().count == 1)
    }

    @Test("451 then 250: one delivery, after a retry that waits its backoff")
    func temporaryThenAccepted() async throws {
        let server = try await SMTPTestServer.start(["--fail-first", "451"])
        let clock = TestClock(vn("2026-11-20 08:00"))
        let engine = try deliveryEngine(temporaryDirectory("notify-451"), channel: smtp(server), policy: DeliveryPolicy(retryBase: 60, quietHours: .none), clock: clock)
        _ = try await recordReminder(engine, clock: clock)
        #expect(try await engine.deliver(at: clock.read()) == 0)
        let waiting = try await engine.store.notices(ListNoticesRequest())[0]
        #expect(waiting.state == .pending && waiting.attempts == 1 && waiting.lastError?.contains("451") == true)
        let wait = try #require(waiting.nextAttemptAt).timeIntervalSince(clock.read())
        #expect(wait >= 30 && wait <= 60, "the first retry waits half to all of 60 s: \(wait)")
        #expect(try await engine.deliver(at: clock.read()) == 0, "not before its backoff")
        clock.advance(61)
        #expect(try await engine.deliver(at: clock.read()) == 1)
        #expect(try await server.waitFor(1).count == 1)
        let log = try await engine.store.log(ListNoticesRequest())
        #expect(log.entries[0].attempts.map(\.result) == ["temporary", "sent"])
    }

    @Test("550 marks the notice failed at once, with no retry; retry puts it back by hand")
    func permanentFailure() async throws {
        let server = try await SMTPTestServer.start(["--reject", "cb1@xa.hatinh.gov.vn"])
        let clock = TestClock(vn("2026-11-20 08:00"))
        let engine = try deliveryEngine(temporaryDirectory("notify-550"), channel: smtp(server), clock: clock)
        _ = try await recordReminder(engine, clock: clock)
        #expect(try await engine.deliver(at: clock.read()) == 0)
        clock.advance(86_400)
        #expect(try await engine.deliver(at: clock.read()) == 0)
        let notice = try await engine.store.notices(ListNoticesRequest())[0]
        #expect(notice.state == .failed && notice.attempts == 1)
        #expect(notice.lastError?.contains("550") == true)
        #expect(try server.received().isEmpty)
        let back = try await engine.store.retry(notice.id, at: clock.read(), quietHours: .none)
        #expect(back.state == .pending)
        #expect(try await engine.deliver(at: clock.read()) == 0)
        #expect(try await engine.store.notices(ListNoticesRequest())[0].state == .failed)
    }

    @Test("temporary failures until --max-attempts dead-letter the notice")
    func deadLetter() async throws {
        let clock = TestClock(vn("2026-11-20 08:00"))
        // Nothing listens on this port: connection refused, a temporary failure each time.
        let closed = SMTPChannel(configuration: SMTPConfiguration(host: "127.0.0.1", port: 9, from: "pulse@hatinh.gov.vn", tls: .off, timeout: .seconds(2)))
        let engine = try deliveryEngine(temporaryDirectory("notify-dead"), channel: closed, policy: DeliveryPolicy(maxAttempts: 3, retryBase: 1, quietHours: .none), clock: clock)
        _ = try await recordReminder(engine, clock: clock)
        for _ in 1...5 {
            _ = try await engine.deliver(at: clock.read())
            clock.advance(3600)
        }
        let notice = try await engine.store.notices(ListNoticesRequest())[0]
        #expect(notice.state == .dead && notice.attempts == 3)
        #expect(try await engine.store.log(ListNoticesRequest()).entries[0].attempts.map(\.result) == ["temporary", "temporary", "dead"])
    }

    @Test("for a relay without 8BITMIME the body goes quoted-printable, lines within 76, and Python's email package reads it back exactly")
    func quotedPrintable() async throws {
        let body = "Kính gửi đồng chí Nguyễn Thị Hoa,\n\n" + String(repeating: "Đề nghị chỉ đạo hoàn thành báo cáo = đúng hạn. ", count: 6) + " \nHết."
        let message = MailMessage(
            from: "pulse@hatinh.gov.vn", fromName: "Pulse – Ban Tuyên giáo và Dân vận", to: "hoa@xa.hatinh.gov.vn", toName: "Nguyễn Thị Hoa",
            subject: String(repeating: "Nhắc báo cáo dư luận xã hội tháng 11/2026 ", count: 3), body: body, date: Date(), messageID: "qp@pulse")
        let rendered = message.rendered(eightBit: false)
        #expect(rendered.utf8.allSatisfy { $0 < 128 }, "nothing but ASCII on the wire")
        #expect(rendered.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 }, "no line over 78 characters: \(rendered.components(separatedBy: "\r\n").filter { $0.utf8.count > 78 })")
        let script = """
            import email, email.policy, json, sys
            m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
            print(json.dumps({"subject": str(m["Subject"]), "to": str(m["To"]), "from": str(m["From"]), "body": m.get_content()}, ensure_ascii=False))
            """
        let ran = try await ChildProcess.collected(executable: SMTPTestServer.python, arguments: ["-c", script], input: Array(rendered.utf8))
        #expect(ran.termination == .exited(0), "\(String(decoding: ran.standardError, as: UTF8.self))")
        struct Read: Decodable { var subject: String; var to: String; var from: String; var body: String }
        let read = try JSONDecoder().decode(Read.self, from: Data(ran.standardOutput))
        #expect(read.subject == message.subject.trimmingCharacters(in: .whitespaces) || read.subject == message.subject)
        #expect(read.to == "Nguyễn Thị Hoa <hoa@xa.hatinh.gov.vn>")
        #expect(read.from == "Pulse – Ban Tuyên giáo và Dân vận <pulse@hatinh.gov.vn>")
        #expect(read.body.replacingOccurrences(of: "\r\n", with: "\n") == body + "\n")
    }
}
