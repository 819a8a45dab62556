import CPulseLinux
import Glibc
import Synchronization

/// Runs tasks' jobs on a connection's own thread, between its reads.
///
/// A server request's task prefers the executor of the connection it came on, so a handler
/// that does not suspend runs right after its frame is read, on the thread that read it: no
/// hop to another thread and no wake-up, as in a thread-per-connection server. A handler that
/// suspends (on a store, on another service) is resumed there too: `enqueue` from another
/// thread wakes the connection thread through an eventfd. Blocking work in a handler blocks
/// only that connection's thread, never Swift's cooperative pool.
///
/// A client offers its executor the same way, so a caller that prefers it continues on the
/// thread that read its response. While no thread is attached (between connections, after
/// the last one), jobs go to the global concurrent executor, so nothing is ever stranded.
public final class LoopExecutor: TaskExecutor, @unchecked Sendable {  // all state behind `state`'s Mutex
    private struct State {
        var jobs: [UnownedJob] = []
        var owner: pthread_t?
        /// Wakes the owner. Made by the first `attach` and closed only when the executor is
        /// freed, so a wake-up may be written after the lock is released: whoever enqueues holds
        /// the executor, and with it the descriptor, alive.
        var eventFD: Int32 = -1
        /// The owner is blocked in a read of its socket and runs nothing until a frame comes.
        var inBlockingRead = false
    }

    private let state = Mutex(State())

    public init() {}

    deinit {
        state.withLock { state in
            if state.eventFD >= 0 { close(state.eventFD) }
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let (attached, wake) = state.withLock { state -> (Bool, Int32) in
            guard let owner = state.owner, !state.inBlockingRead else { return (false, -1) }
            state.jobs.append(unowned)
            let needsWake = state.jobs.count == 1 && pthread_equal(pthread_self(), owner) == 0
            return (true, needsWake ? state.eventFD : -1)
        }
        // Outside the lock: the owner, once woken, takes the lock at once to run the job, and
        // must not find it still held by this write.
        if wake >= 0 {
            var one: UInt64 = 1
            _ = write(wake, &one, 8)
        }
        if !attached { globalConcurrentExecutor.enqueue(ExecutorJob(unowned)) }
    }

    /// Makes the calling thread the one that runs jobs. Returns the eventfd that wakes it, or
    /// -1 with errno set when the process is out of descriptors.
    func attach() -> Int32 {
        state.withLock { state in
            if state.eventFD < 0 {
                state.eventFD = pulse_eventfd()
                if state.eventFD < 0 { return -1 }
            }
            state.owner = pthread_self()
            return state.eventFD
        }
    }

    /// Stops running jobs on the calling thread (if it is still the owner); queued and later
    /// jobs go to the global executor.
    func detach() {
        let orphans = state.withLock { state -> [UnownedJob] in
            guard let owner = state.owner, pthread_equal(owner, pthread_self()) != 0 else { return [] }
            state.owner = nil
            defer { state.jobs = [] }
            return state.jobs
        }
        for job in orphans { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
    }

    /// Marks the owner as about to block in a read of its socket, if no job is waiting; until
    /// ``endBlockingRead()``, jobs from other threads go to the global executor instead of
    /// waiting for a frame. This saves the owner a wait in epoll (a syscall) per frame.
    func beginBlockingRead() -> Bool {
        state.withLock { state in
            guard state.jobs.isEmpty, state.owner != nil else { return false }
            state.inBlockingRead = true
            return true
        }
    }

    func endBlockingRead() {
        state.withLock { $0.inBlockingRead = false }
    }

    /// Runs queued jobs until none is left.
    func runPending() {
        while true {
            let batch = state.withLock { state -> [UnownedJob] in
                defer { state.jobs.removeAll(keepingCapacity: true) }
                return state.jobs
            }
            if batch.isEmpty { return }
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
