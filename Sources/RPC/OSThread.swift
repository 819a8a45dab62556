import CPulseLinux
import Glibc

/// Operating-system threads for blocking work that must not occupy Swift's cooperative pool:
/// a server's accept loop and every connection's reader.
enum OSThread {
    /// Starts a detached thread named `name` (as `top -H` and `/proc/PID/task` show it). False
    /// when the system will not make another (a task or memory limit): the caller declines
    /// the work rather than the process aborting.
    @discardableResult
    static func start(name: String, stackSize: Int = 512 << 10, _ body: @escaping @Sendable () -> Void) -> Bool {
        final class Box {
            let body: @Sendable () -> Void
            let name: String
            init(_ body: @escaping @Sendable () -> Void, _ name: String) {
                self.body = body
                self.name = name
            }
        }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, stackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let box = Unmanaged.passRetained(Box(body, name)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            pulse_set_thread_name(box.name)
            box.body()
            return nil
        }, box)
        pthread_attr_destroy(&attributes)
        if rc != 0 { Unmanaged<Box>.fromOpaque(box).release() }
        return rc == 0
    }

    /// Lets Linux schedule the calling connection thread for throughput (SCHED_BATCH): woken by
    /// its peer's frame, it waits for the waking thread to finish its turn (which in a request and
    /// answer exchange is soon, when that thread waits for the next frame) instead of preempting
    /// it. Under load that saves a pair of context switches per exchange; an idle CPU still runs
    /// the thread at once, so a lone call's latency is unchanged. Other processes only gain.
    static func scheduleForThroughput() {
        _ = pulse_schedule_batch()
    }
}
