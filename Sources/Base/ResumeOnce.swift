import Synchronization

/// A continuation that whichever of several wakers comes first resumes; the others do nothing.
public final class ResumeOnce<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    public init(_ continuation: CheckedContinuation<Value, Never>) { self.continuation = Mutex(continuation) }

    public func resume(returning value: Value) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}

extension ResumeOnce where Value == Void {
    public func resume() { resume(returning: ()) }
}

/// Runs `operation` in a task of its own and waits for it at most `limit`; returns whether it
/// finished in time. One that did not goes on running, unwaited for.
public func finished(within limit: Duration, _ operation: @escaping @Sendable () async -> Void) async -> Bool {
    await withCheckedContinuation { continuation in
        let waiter = ResumeOnce(continuation)
        Task {
            await operation()
            waiter.resume(returning: true)
        }
        Task {
            try? await Task.sleep(for: limit)
            waiter.resume(returning: false)
        }
    }
}
