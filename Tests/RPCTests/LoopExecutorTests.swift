import Base
import CPulseLinux
import Dispatch
import Foundation
import Synchronization
import Testing
import Wire
@testable import RPC

/// A thread that owns a `LoopExecutor` the way a connection's thread does, over one end of a
/// socket pair; the test holds the other end.
private final class OwnerThread: Sendable {
    let executor = LoopExecutor()
    let ours: Int32
    let theirs: Int32
    let thread = Mutex<pthread_t?>(nil)
    let stopping = Atomic<Bool>(false)
    let finished = Signal()

    init() throws {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else { throw SystemError.last("socketpair") }
        (ours, theirs) = (fds[0], fds[1])
    }

    deinit {
        close(ours)
        close(theirs)
    }

    /// Runs the connection loop (jobs and socket wake-ups) until `stop()`.
    func startLoop() {
        OSThread.start(name: "test-owner") { [self] in
            thread.withLock { $0 = pthread_self() }
            guard var loop = ConnectionLoop(socketFD: ours, executor: executor) else { return }
            while !stopping.load(ordering: .acquiring) {
                if loop.runAndWait(watchSocket: true) { drainSocket() }
            }
            _ = consume loop
            finished.fire()
        }
        while thread.withLock({ $0 }) == nil { sched_yield() }
    }

    func stop() async {
        stopping.store(true, ordering: .releasing)
        poke()
        await finished.wait()
    }

    func poke() { _ = send(theirs, "x", 1, Int32(MSG_NOSIGNAL)) }

    private func drainSocket() {
        var byte: UInt8 = 0
        _ = Glibc.read(ours, &byte, 1)
    }
}

/// Polls `condition` without holding a thread of Swift's cooperative pool (the global
/// executor, which some of these jobs need, has as many threads as the machine has cores).
private func eventually(seconds: Double, _ condition: () -> Bool) async -> Bool {
    let end = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
    while !condition() && ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(1)) }
    return condition()
}

/// Signals once, awaited without blocking a thread.
private final class Signal: Sendable {
    private let fired = Atomic<Bool>(false)
    func fire() { fired.store(true, ordering: .releasing) }
    var hasFired: Bool { fired.load(ordering: .acquiring) }
    func wait() async { _ = await eventually(seconds: 30) { hasFired } }
}

/// Where each job ran.
private final class Runs: Sendable {
    private let threads = Mutex<[pthread_t]>([])
    func record() { threads.withLock { $0.append(pthread_self()) } }
    var all: [pthread_t] { threads.withLock { $0 } }

    func wait(for count: Int, seconds: Double = 10) async -> Bool {
        await eventually(seconds: seconds) { all.count >= count }
    }
}

@Suite("LoopExecutor and FrameSocket, directly")
struct LoopExecutorTests {
    @Test("jobs enqueued from many other threads all run, each on the owning thread")
    func enqueueFromOtherThreads() async throws {
        let owner = try OwnerThread()
        owner.startLoop()
        let runs = Runs()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<50 { Task(executorPreference: owner.executor) { runs.record() } }
        }
        #expect(await runs.wait(for: 400))
        let ownerThread = try #require(owner.thread.withLock { $0 })
        #expect(runs.all.count == 400)
        #expect(runs.all.allSatisfy { pthread_equal($0, ownerThread) != 0 }, "every job ran on the connection's thread")
        await owner.stop()
    }

    @Test("a job enqueued while the owner is blocked in a read runs elsewhere at once, not after the next frame")
    func enqueueDuringBlockingRead() async throws {
        let owner = try OwnerThread()
        let blocked = Signal()
        let beganBlockingRead = Atomic<Bool>(false)
        OSThread.start(name: "test-reader") {
            _ = owner.executor.attach()
            owner.thread.withLock { $0 = pthread_self() }
            beganBlockingRead.store(owner.executor.beginBlockingRead(), ordering: .releasing)
            blocked.fire()
            var byte: UInt8 = 0
            _ = Glibc.read(owner.ours, &byte, 1)  // blocks until the test writes
            owner.executor.endBlockingRead()
            owner.executor.detach()
            owner.finished.fire()
        }
        await blocked.wait()
        let began = beganBlockingRead.load(ordering: .acquiring)
        #expect(began, "with no job queued, the owner may block in its read")
        try await Task.sleep(for: .milliseconds(20))  // let the reader reach read()
        let runs = Runs()
        Task(executorPreference: owner.executor) { runs.record() }
        // Nothing has been written to the owner's socket, so it is still in its read.
        #expect(await runs.wait(for: 1, seconds: 5), "the job did not wait for a frame")
        let ownerThread = try #require(owner.thread.withLock { $0 })
        #expect(pthread_equal(runs.all[0], ownerThread) == 0)
        owner.poke()
        await owner.finished.wait()
    }

    @Test("jobs pending when the owner detaches are handed on and run; later ones run too")
    func detachWithJobsPending() async throws {
        let owner = try OwnerThread()
        let attached = Signal()
        let release = Signal()
        OSThread.start(name: "test-busy-owner") {
            _ = owner.executor.attach()
            attached.fire()
            while !release.hasFired { usleep(1000) }  // busy elsewhere: never runs its jobs
            owner.executor.detach()
            owner.finished.fire()
        }
        await attached.wait()
        let runs = Runs()
        for _ in 0..<20 { Task(executorPreference: owner.executor) { runs.record() } }
        try await Task.sleep(for: .milliseconds(50))
        #expect(runs.all.isEmpty, "queued for the owner, which is busy")
        release.fire()
        await owner.finished.wait()
        #expect(await runs.wait(for: 20), "the owner's shutdown handed its pending jobs on")
        Task(executorPreference: owner.executor) { runs.record() }
        #expect(await runs.wait(for: 21), "with no owner, a new job runs on the global executor")
    }

    /// A connected pair: a FrameSocket whose send buffer holds only 16 KB, and the reading end.
    static func smallBufferPair() throws -> (FrameSocket, Int32) {
        var fds: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        var small: Int32 = 16 << 10
        setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        return (FrameSocket(fd: fds[0]), fds[1])
    }

    @Test("a frame larger than the socket's buffer goes out whole, in order, to a slow reader, without blocking the sender")
    func sendThatWouldBlock() throws {
        let (socket, reader) = try Self.smallBufferPair()
        defer { close(reader) }
        func frame(_ size: Int, _ seed: UInt8) -> [UInt8] {
            let n = UInt32(size)
            return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
                + (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) ^ seed }
        }
        let big = frame(3 << 20, 1)
        let after = frame(100, 2)
        // Nobody reads yet: sent from a thread of its own, a send that blocked would not be
        // done in time (and the reading below then lets it finish, so the test fails, not hangs).
        let sent = Atomic<Bool>(false)
        OSThread.start(name: "test-sender") {
            try? socket.send(big)
            try? socket.send(after)
            sent.store(true, ordering: .releasing)
        }
        let end = ContinuousClock.now + .seconds(5)
        while !sent.load(ordering: .acquiring) && ContinuousClock.now < end { usleep(1000) }
        let returned = sent.load(ordering: .acquiring)
        #expect(returned, "send returned with the frame still queued, before anyone read")

        var buffer = FrameBuffer()
        var frames: [[UInt8]] = []
        while frames.count < 2 {
            usleep(200)  // a slow reader
            let n = try buffer.write(minimum: 64 << 10) { try Sockets.read(reader, into: UnsafeMutableRawBufferPointer(rebasing: $0[..<min($0.count, 64 << 10)])) }
            if n == 0 { break }
            while let body = try buffer.readFrame({ Array($0) }) { frames.append(body) }
        }
        #expect(frames.count == 2)
        #expect(frames.first == Array(big.dropFirst(4)), "the big frame arrived whole")
        #expect(frames.last == Array(after.dropFirst(4)), "and the one sent after it, after it")
        socket.close()
        #expect(throws: RPCError.self) { try socket.send(after) }
    }

    @Test("frames sent at once from many threads, most of them only partly written at first, arrive whole and each thread's in its order")
    func concurrentSendsThatWouldBlock() throws {
        let (socket, reader) = try Self.smallBufferPair()
        defer { close(reader) }
        let senders = 8, perSender = 150
        // Each frame: sender, sequence number, then bytes derived from both, 1 to 40 KB long.
        @Sendable func frame(_ sender: Int, _ n: Int) -> [UInt8] {
            let size = 8 + (sender * 7919 + n * 104_729) % (40 << 10)
            var body = [UInt8(sender), UInt8(n >> 8), UInt8(n & 0xFF), 0, 0, 0, 0, 0]
            body += (8..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ sender &* 17 &+ n) }
            let length = UInt32(body.count)
            return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + body
        }
        for sender in 0..<senders {
            OSThread.start(name: "test-sender") {
                for n in 0..<perSender { try? socket.send(frame(sender, n)) }
            }
        }
        var buffer = FrameBuffer()
        var next = [Int](repeating: 0, count: senders)
        var whole = 0, broken = 0
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(reader, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        reading: while whole + broken < senders * perSender {
            let n = try buffer.write(minimum: 64 << 10) { try Sockets.read(reader, into: UnsafeMutableRawBufferPointer(rebasing: $0[..<min($0.count, 64 << 10)])) }
            if n == 0 { break }
            while let body = try buffer.readFrame({ Array($0) }) {
                let sender = Int(body[0]), sequence = Int(body[1]) << 8 | Int(body[2])
                guard sender < senders, Array(frame(sender, sequence).dropFirst(4)) == body, next[sender] == sequence else {
                    broken += 1
                    break reading
                }
                next[sender] += 1
                whole += 1
            }
        }
        #expect(broken == 0 && whole == senders * perSender, "\(whole) frames whole, then \(broken) broken or out of order")
        socket.close()
    }
}
