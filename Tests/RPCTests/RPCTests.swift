import Base
import Foundation
import Synchronization
import Testing
import Wire
@testable import RPC

struct EchoRequest: Codable, Sendable, Equatable {
    var text: String
    var delayMilliseconds: Int?
}
struct EchoResponse: Codable, Sendable, Equatable { var text: String }
struct SchedulingPolicy: Codable, Sendable, Equatable { var policy: Int32 }

enum TestMethods {
    static let echo = MethodDescriptor<EchoRequest, EchoResponse>(service: "pulse.test.v1.Test", method: "Echo", access: .everyone)
    static let whoAmI = MethodDescriptor<Empty, PeerCredentials>(service: "pulse.test.v1.Test", method: "WhoAmI", access: .everyone)
    static let notThere = MethodDescriptor<Empty, Empty>(service: "pulse.test.v1.Test", method: "Missing", access: .everyone)
    static let schedulingPolicy = MethodDescriptor<Empty, SchedulingPolicy>(service: "pulse.test.v1.Test", method: "SchedulingPolicy", access: .everyone)
}

/// A real server on a real socket in a fresh temporary directory.
final class TestServer: Sendable {
    let directory: String
    let path: String
    let server: RPCServer

    init(gracePeriod: Duration = .seconds(5), maxFrameSize: Int = FrameBuffer.defaultMaxFrameSize, path: String? = nil, maxConnectionsPerUID: Int = 512) throws {
        directory = path.map { ($0 as NSString).deletingLastPathComponent } ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("pulse-rpc-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.path = path ?? directory + "/test.sock"
        var router = Router()
        router.register(TestMethods.echo) { request, _ in
            if let ms = request.delayMilliseconds { try await Task.sleep(for: .milliseconds(ms)) }
            return EchoResponse(text: request.text)
        }
        router.register(TestMethods.whoAmI) { _, context in context.peer }
        // Runs on the connection's thread: the handler does not suspend before it asks.
        router.register(TestMethods.schedulingPolicy) { _, _ in SchedulingPolicy(policy: sched_getscheduler(0)) }
        var configuration = RPCServer.Configuration(path: self.path, serviceName: "pulse.test.v1.Test", maxFrameSize: maxFrameSize, gracePeriod: gracePeriod)
        configuration.maxConnectionsPerUID = maxConnectionsPerUID
        server = RPCServer(configuration: configuration, router: router, logger: .silent())
        try server.start()
    }
}

/// Polls `condition` until it holds; fails the test, rather than hang it, after `limit`.
func waitUntil(_ what: String, within limit: Duration = .seconds(20), _ condition: () -> Bool) async throws {
    let end = ContinuousClock.now + limit
    while !condition() {
        guard ContinuousClock.now < end else {
            Issue.record("waited \(limit) for: \(what)")
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// A raw socket, for speaking the wire directly.
final class RawSocket {
    let fd: Int32
    init(path: String) throws { fd = try Sockets.connect(path: path) }
    deinit { close(fd) }

    /// Writes, with EPIPE rather than SIGPIPE when the server has already closed the connection.
    func write(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads one response frame, or nil at end of stream.
    func readResponse(timeoutSeconds: Int = 5) throws -> ResponseEnvelope? {
        var buffer = FrameBuffer()
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        while true {
            if let r = try buffer.readFrame({ try ResponseEnvelope.decode($0) }) { return r }
            let n = try buffer.write { try Sockets.read(fd, into: $0) }
            if n == 0 { return nil }
        }
    }
}

@Suite("RPC over a Unix socket")
struct RPCTests {
    @Test("a unary call round-trips, and the socket file is mode 0660")
    func unary() async throws {
        let t = try TestServer()
        let client = RPCClient(path: t.path)
        let response = try await client.call(TestMethods.echo, EchoRequest(text: "Xin chào"))
        #expect(response.text == "Xin chào")
        var st = stat()
        #expect(stat(t.path, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o660)
        await t.server.shutdown()
    }

    @Test("a request over the frame limit is refused by the client with the limit and what to do, not a reset connection")
    func oversizedRequest() async throws {
        let t = try TestServer()
        let client = RPCClient(path: t.path)
        let big = String(repeating: "dư luận ", count: 500_000)  // about 5 MB
        do {
            _ = try await client.call(TestMethods.echo, EchoRequest(text: big))
            Issue.record("a 5 MB request was sent")
        } catch {
            #expect(error.code == .invalidArgument && error.message.contains("4.0 MB") && (error.message.contains("Split it") || error.message.contains("chia nhỏ")), "\(error.message)")
        }
        #expect(try await client.call(TestMethods.echo, EchoRequest(text: "vẫn chạy")).text == "vẫn chạy", "the connection still serves")
        await t.server.shutdown()
    }

    @Test("responses on one connection come back as handlers finish, out of order")
    func outOfOrder() async throws {
        let t = try TestServer()
        let client = RPCClient(path: t.path)
        let order = Recorder()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Slow enough that "fast" finishes first even when the other suites keep this
                // machine's two cores busy for a second or two.
                let r = try? await client.call(TestMethods.echo, EchoRequest(text: "slow", delayMilliseconds: 5000))
                order.append(r?.text ?? "error")
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(30))
                let r = try? await client.call(TestMethods.echo, EchoRequest(text: "fast"))
                order.append(r?.text ?? "error")
            }
        }
        #expect(order.values == ["fast", "slow"])
        await t.server.shutdown()
    }

    @Test("a deadline ends the call with DEADLINE_EXCEEDED on the client")
    func clientDeadline() async throws {
        let t = try TestServer()
        let client = RPCClient(path: t.path)
        let start = ContinuousClock.now
        do {
            _ = try await client.call(TestMethods.echo, EchoRequest(text: "x", delayMilliseconds: 30_000), deadline: .milliseconds(100))
            Issue.record("answered after the deadline")
        } catch {
            #expect(error.code == .deadlineExceeded)
        }
        // Long before the handler's 30 s. The margin is wide because this task resumes only when
        // a cooperative thread is free, and the other suites keep both of this machine's busy.
        #expect(ContinuousClock.now - start < .seconds(15))
        await t.server.shutdown()
    }

    @Test("deadline timers fire in deadline order, a later-scheduled earlier one first, and cancelled ones never")
    func deadlineTimerOrder() async throws {
        let fired = Recorder()
        let timer = DeadlineTimer.shared
        // Thousands scheduled and cancelled, as calls answered in time do.
        for _ in 0..<5000 {
            timer.cancel(timer.schedule(after: .milliseconds(50)) { fired.append("cancelled") })
        }
        let start = ContinuousClock.now
        _ = timer.schedule(after: .milliseconds(6000)) { fired.append("late") }
        // A blocking pause, not Task.sleep: with other suites' work filling the two cooperative
        // threads, a task's sleep can end seconds late, and "late" would fire before "early" was
        // even scheduled.
        usleep(100_000)  // the timer's thread now sleeps towards "late"
        let earlyWaited = Mutex<Duration?>(nil)
        let scheduled = ContinuousClock.now
        _ = timer.schedule(after: .milliseconds(100)) {
            fired.append("early")
            earlyWaited.withLock { $0 = ContinuousClock.now - scheduled }
        }
        while fired.values.count < 2 && ContinuousClock.now - start < .seconds(15) {
            try await Task.sleep(for: .milliseconds(10))
        }
        // Had scheduling not woken the thread, "early" would have waited ~5.9 s for "late".
        #expect(try #require(earlyWaited.withLock { $0 }) < .milliseconds(3000))
        // The earlier deadline must not wait behind the later one the thread was sleeping towards.
        #expect(fired.values == ["early", "late"])
        try await Task.sleep(for: .milliseconds(100))
        #expect(fired.values == ["early", "late"])
    }

    @Test("the server answers DEADLINE_EXCEEDED itself when the deadline passes")
    func serverDeadline() async throws {
        let t = try TestServer()
        let raw = try RawSocket(path: t.path)
        let body = try CBOREncoder().encode(EchoRequest(text: "x", delayMilliseconds: 3000))
        raw.write(RequestEnvelope(id: 7, method: TestMethods.echo.fullName, deadlineMilliseconds: 50, body: body).frame())
        let response = try raw.readResponse()
        #expect(response?.id == 7)
        #expect(response?.status == StatusCode.deadlineExceeded.rawValue)
        await t.server.shutdown()
    }

    @Test("an unknown method is UNIMPLEMENTED; an undecodable body is INVALID_ARGUMENT naming the field")
    func errors() async throws {
        let t = try TestServer()
        let client = RPCClient(path: t.path)
        do {
            _ = try await client.call(TestMethods.notThere, Empty())
            Issue.record("unknown method answered")
        } catch {
            #expect(error.code == .unimplemented)
            #expect(error.message.contains("pulse.test.v1.Test/Missing"))
        }
        let bad = CBORWriter.encode(.map([.init(.text("text"), .unsigned(5))]))
        do {
            _ = try await client.callRaw(TestMethods.echo.fullName, body: bad)
            Issue.record("bad body accepted")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message == "text: expected text, found an integer")
        }
        // A map key whose head holds a float's bits once trapped in the decoder, taking the daemon down.
        let floatKey: [UInt8] = [0xA2, 0xFB, 0xBF, 0xB9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A, 0x00]  // {-0.1: 0,
            + [0x64] + Array("text".utf8) + [0x61, 0x78]  // "text": "x"}
        do {
            _ = try await client.callRaw(TestMethods.echo.fullName, body: floatKey)
            Issue.record("a float key accepted")
        } catch {
            #expect(error.code == .invalidArgument)
        }
        #expect(try await client.call(TestMethods.echo, EchoRequest(text: "vẫn chạy")).text == "vẫn chạy", "the server still serves")
        await t.server.shutdown()
    }

    @Test("handlers see the caller's pid, uid and gid from SO_PEERCRED")
    func peerCredentials() async throws {
        let t = try TestServer()
        let peer = try await RPCClient(path: t.path).call(TestMethods.whoAmI, Empty())
        #expect(peer == PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid()))
        await t.server.shutdown()
    }

    @Test("connection threads, the server's and the client's, are scheduled for throughput (SCHED_BATCH)")
    func batchScheduling() async throws {
        let t = try TestServer()
        let client = RPCClient(path: t.path)
        let batch: Int32 = 3  // SCHED_BATCH in <sched.h>
        #expect(try await client.call(TestMethods.schedulingPolicy, Empty()).policy == batch)
        // Every client reader thread in this process, this test's among them.
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        let readers = tasks.compactMap { tid -> Int32? in
            let comm = try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8)
            return comm?.trimmingCharacters(in: .whitespacesAndNewlines) == "rpc-client" ? Int32(tid) : nil
        }
        #expect(!readers.isEmpty)
        // A reader that exited since the listing answers -1; each one alive must be batch.
        #expect(readers.map(sched_getscheduler).allSatisfy { $0 == batch || $0 == -1 })
        #expect(readers.map(sched_getscheduler).contains(batch))
        await t.server.shutdown()
    }

    @Test("200 concurrent connections are all served")
    func manyConnections() async throws {
        let t = try TestServer()
        let clients = (0..<200).map { _ in RPCClient(path: t.path) }
        let answers = try await withThrowingTaskGroup(of: Bool.self) { group in
            for (i, client) in clients.enumerated() {
                group.addTask { try await client.call(TestMethods.echo, EchoRequest(text: "\(i)", delayMilliseconds: 20)).text == "\(i)" }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(answers == 200)
        await t.server.shutdown()
    }

    @Test("one account holds at most its share of connections; one past it is closed at once, and a place freed is taken again")
    func connectionsPerAccount() async throws {
        let t = try TestServer(maxConnectionsPerUID: 3)
        func echo(_ raw: RawSocket, _ id: UInt64) throws -> ResponseEnvelope? {
            let body = try CBOREncoder().encode(EchoRequest(text: "a"))
            raw.write(RequestEnvelope(id: id, method: TestMethods.echo.fullName, body: body).frame())
            return try raw.readResponse(timeoutSeconds: 5)
        }
        var held = try (0..<3).map { _ in try RawSocket(path: t.path) }
        for (i, raw) in held.enumerated() { #expect(try echo(raw, UInt64(i))?.status == 0) }
        let fourth = try RawSocket(path: t.path)
        let answer = (try? echo(fourth, 9)) ?? nil  // closed: end of stream, or reset with the request unread
        #expect(answer == nil, "the fourth connection is closed without an answer")
        held.removeFirst()  // closes one
        try await Task.sleep(for: .milliseconds(100))
        let again = try RawSocket(path: t.path)
        #expect(try echo(again, 10)?.status == 0, "a freed place is taken again")
        await t.server.shutdown()
    }

    @Test("a half-sent frame holds nothing another client needs")
    func halfSentFrame() async throws {
        let t = try TestServer()
        let stalled = try (0..<8).map { _ in try RawSocket(path: t.path) }
        for s in stalled { s.write([0, 0, 0, 40, 0xA3]) }
        let client = RPCClient(path: t.path)
        // Were the stalled connections holding anything this client needs, these calls would
        // never be answered and would end in DEADLINE_EXCEEDED. (A deadline rather than a
        // stopwatch: other suites share the machine, and a busy one is not a stalled one.)
        for i in 0..<50 {
            let answer = try await client.call(TestMethods.echo, EchoRequest(text: "\(i)"), deadline: .seconds(10))
            #expect(answer.text == "\(i)")
        }
        await t.server.shutdown()
        _ = stalled
    }

    @Test("a malformed frame closes only that connection", arguments: [[0, 0, 0, 0], [0x7F, 0, 0, 0], [0, 0, 0, 1, 0xFF], [0, 0, 0, 2, 0x81, 0x01]] as [[UInt8]])
    func malformedFrame(_ bytes: [UInt8]) async throws {
        let t = try TestServer(maxFrameSize: 1 << 20)
        let client = RPCClient(path: t.path)
        _ = try await client.call(TestMethods.echo, EchoRequest(text: "before"))
        let raw = try RawSocket(path: t.path)
        raw.write(bytes)
        #expect(try raw.readResponse() == nil, "the server closed the bad connection")
        #expect(try await client.call(TestMethods.echo, EchoRequest(text: "after")).text == "after")
        await t.server.shutdown()
    }

    @Test("shutdown lets in-flight calls finish, refuses new ones, and removes the socket file")
    func gracefulShutdown() async throws {
        let t = try TestServer()
        let client = RPCClient(path: t.path)
        // Slow enough that a busy machine cannot let it finish before the test sees it running
        // (waiting for a call that had already ended once hung the whole run).
        async let slow = client.call(TestMethods.echo, EchoRequest(text: "in flight", delayMilliseconds: 3_000))
        // Shut down only once the slow call is in the server's hands.
        try await waitUntil("the slow call is running") { t.server.callsInFlight > 0 }
        async let stopping: Void = t.server.shutdown()
        try await waitUntil("shutdown has begun") { t.server.isShuttingDown }
        do {
            _ = try await client.call(TestMethods.echo, EchoRequest(text: "late"))
            Issue.record("a call during shutdown was served")
        } catch {
            #expect(error.code == .unavailable)
        }
        #expect(try await slow.text == "in flight")
        await stopping
        #expect(!FileManager.default.fileExists(atPath: t.path))
    }

    @Test("a call that outlasts the grace period does not hold shutdown: it ends when the grace period does")
    func shutdownBoundedByGracePeriod() async throws {
        let t = try TestServer(gracePeriod: .milliseconds(300))
        let client = RPCClient(path: t.path)
        let stuck = Task { try await client.call(TestMethods.echo, EchoRequest(text: "stuck", delayMilliseconds: 60_000)) }
        try await waitUntil("the stuck call is running") { t.server.callsInFlight > 0 }
        let started = ContinuousClock.now
        await t.server.shutdown()
        let took = ContinuousClock.now - started
        #expect(took >= .milliseconds(300) && took < .seconds(5), "shutdown took \(took)")
        #expect(!FileManager.default.fileExists(atPath: t.path))
        do {
            _ = try await stuck.value
            Issue.record("the stuck call was answered")
        } catch {
            #expect((error as? RPCError)?.code == .unavailable, "its connection was closed: \(error)")
        }
    }

    @Test("the client reconnects on the next call after the server restarts")
    func reconnect() async throws {
        let first = try TestServer()
        let client = RPCClient(path: first.path)
        #expect(try await client.call(TestMethods.echo, EchoRequest(text: "one")).text == "one")
        await first.server.shutdown()
        do {
            _ = try await client.call(TestMethods.echo, EchoRequest(text: "down"))
            Issue.record("answered while down")
        } catch {
            #expect(error.code == .unavailable)
        }
        let second = try TestServer(path: first.path)
        #expect(try await client.call(TestMethods.echo, EchoRequest(text: "two")).text == "two")
        await second.server.shutdown()
    }

    @Test("health and reflection are answered, with the shapes of every method")
    func introspection() async throws {
        let t = try TestServer()
        let client = RPCClient(path: t.path)
        #expect(try await client.call(Introspection.check, .init()).status == "SERVING")
        let list = try await client.call(Introspection.listMethods, Empty())
        let echo = list.methods.first { $0.name == "pulse.test.v1.Test/Echo" }
        #expect(echo?.request == "{text: text, delayMilliseconds?: int}")
        #expect(echo?.response == "{text: text}")
        #expect(list.methods.map(\.name).contains("pulse.health.v1.Health/Check"))
        #expect(list.methods.map(\.name).contains("pulse.reflection.v1.Reflection/ListMethods"))
        await t.server.shutdown()
    }

    @Test("a second server on a live socket is refused; a stale socket file is replaced")
    func liveSocket() async throws {
        let first = try TestServer()
        #expect(throws: RPCError.self) { try Sockets.listen(path: first.path) }
        #expect(try await RPCClient(path: first.path).call(TestMethods.echo, EchoRequest(text: "still here")).text == "still here")
        await first.server.shutdown()
        // A socket file nobody listens on (a crashed server's) is taken over.
        let stale = try Sockets.socketFD()
        var address = try Sockets.address(first.path)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        close(stale)
        let second = try TestServer(path: first.path)
        #expect(try await RPCClient(path: second.path).call(TestMethods.echo, EchoRequest(text: "new")).text == "new")
        await second.server.shutdown()
    }

    @Test("a socket path that is too long, or a regular file in the way, is a clear error")
    func badPaths() throws {
        #expect(throws: RPCError.self) { try Sockets.listen(path: "/tmp/" + String(repeating: "x", count: 200)) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-not-a-socket-\(getpid())").path
        _ = FileManager.default.createFile(atPath: file, contents: Data("keep me".utf8))
        #expect(throws: RPCError.self) { try Sockets.listen(path: file) }
        #expect(FileManager.default.contents(atPath: file) == Data("keep me".utf8))
        unlink(file)
    }
}

final class Recorder: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ value: String) { storage.withLock { $0.append(value) } }
    var values: [String] { storage.withLock { $0 } }
}
