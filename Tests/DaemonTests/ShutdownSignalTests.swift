import Daemon
import Glibc
import Testing

@Suite("Shutdown signals", .serialized)
struct ShutdownSignalTests {
    @Test("a signal that arrives before anyone waits is kept for the wait, not lost and not fatal")
    func signalBeforeWait() async throws {
        let shutdown = ShutdownSignal.install()
        defer { shutdown.cancel() }
        #expect(kill(getpid(), SIGINT) == 0)  // would end this test process were it not caught
        #expect(await shutdown.wait() == "SIGINT")
        #expect(await shutdown.wait() == "SIGINT")
    }

    @Test("cancelling ends a pending wait with nil")
    func cancelEndsWait() async throws {
        let shutdown = ShutdownSignal.install()
        async let waited = shutdown.wait()
        try await Task.sleep(for: .milliseconds(50))
        shutdown.cancel()
        #expect(await waited == nil)
    }
}
