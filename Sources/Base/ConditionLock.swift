import Glibc

/// A mutex with a condition variable (on the monotonic clock), for a thread that must sleep
/// until other threads change what the mutex guards, or until a time.
public final class ConditionLock: @unchecked Sendable {  // pthread objects are made for sharing
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Nanoseconds on CLOCK_MONOTONIC, the clock `wait(until:)` takes.
    public static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Sleeps until signalled (or spuriously); call with the lock held, which it gives up
    /// while sleeping and holds again on return.
    public func wait() { pthread_cond_wait(condition, mutex) }

    /// As `wait()`, but returns by `deadline` (CLOCK_MONOTONIC nanoseconds) at the latest.
    public func wait(until deadline: UInt64) {
        var until = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        pthread_cond_timedwait(condition, mutex, &until)
    }

    /// Wakes one thread waiting on the condition.
    public func signal() { pthread_cond_signal(condition) }

    /// Wakes every thread waiting on the condition.
    public func broadcast() { pthread_cond_broadcast(condition) }
}
