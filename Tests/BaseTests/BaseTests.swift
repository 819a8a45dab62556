import Base
import Glibc
import Synchronization
import Testing

@Suite("Base: durations and system errors")
struct BaseTests {
    @Test("log lines are logfmt: plain values bare, others quoted and escaped, every line parseable")
    func logfmt() {
        let lines = Mutex<[String]>([])
        let logger = Logger(label: "roster", level: .info, sink: { line in lines.withLock { $0.append(line) } })
        logger.info("call", ["method": "pulse.roster.v1.Roster/GetUnit", "status": "ok", "us": "95", "note": "a \"quoted\" = value\nnext"])
        let line = lines.withLock { $0[0] }
        #expect(line.hasPrefix("ts=") && line.contains(" level=info service=roster msg=call method=pulse.roster.v1.Roster/GetUnit status=ok us=95 "), "\(line)")
        #expect(line.hasSuffix(#"note="a \"quoted\" = value\nnext""#), "\(line)")
        #expect(!line.contains("\n"))
    }

    @Test("a duration in whole units: truncated, negative as zero, saturating instead of trapping")
    func durationUnits() {
        let d = Duration.seconds(3) + .nanoseconds(1_234_567)
        #expect(d.inNanoseconds == 3_001_234_567)
        #expect(d.inMicroseconds == 3_001_234)
        #expect(d.inMilliseconds == 3_001)
        #expect(abs(d.inSeconds - 3.001234567) < 1e-12)
        #expect(Duration.milliseconds(-5).inMilliseconds == 0)
        #expect(Duration.nanoseconds(-1).inNanoseconds == 0)
        #expect(Duration.seconds(Int64.max).inNanoseconds == UInt64.max)
        #expect(Duration.seconds(Int64.max).inMilliseconds == UInt64.max)
        #expect(Duration.zero.inMicroseconds == 0)
    }

    @Test("a syscall's errno: success returns its value, an expected errno is nil, any other is thrown with the operation")
    func retryingInterrupts() throws {
        #expect(try SystemError.retryingInterrupts("ok") { 7 } == 7)
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        var byte: UInt8 = 0
        let empty = try SystemError.retryingInterrupts("read", expected: [EAGAIN]) { read(fds[0], &byte, 1) }
        #expect(empty == nil, "EAGAIN on an empty non-blocking pipe is an outcome")
        do {
            _ = try SystemError.retryingInterrupts("read fd -1") { read(-1, &byte, 1) }
            Issue.record("EBADF was not thrown")
        } catch {
            #expect(error.errno == EBADF)
            #expect(error.description == "read fd -1: Bad file descriptor")
        }
        var interrupted = 0
        let value = try SystemError.retryingInterrupts("flaky") { () -> Int in
            interrupted += 1
            if interrupted < 3 { errno = EINTR; return -1 }
            return 42
        }
        #expect(value == 42 && interrupted == 3, "EINTR is retried")
    }
}
