import Glibc

/// An errno value with the operation that produced it. Every syscall's errno is read and
/// judged here: EINTR is retried, the caller names the values it treats as outcomes rather
/// than failures (EAGAIN for a non-blocking send), and anything else is thrown.
public struct SystemError: Error, Hashable, Sendable, CustomStringConvertible {
    public var errno: Int32
    public var operation: String

    public init(errno: Int32, operation: String) {
        self.errno = errno
        self.operation = operation
    }

    /// The calling thread's current errno, with the operation that set it.
    public static func last(_ operation: String) -> SystemError {
        SystemError(errno: Glibc.errno, operation: operation)
    }

    /// What the C library says of this errno, e.g. "Too many open files".
    public var reason: String { SystemError.reason(errno) }

    public static func reason(_ errno: Int32) -> String { String(cString: strerror(errno)) }

    /// The C library's text for the calling thread's current errno.
    public static var lastReason: String { reason(Glibc.errno) }

    public var description: String { "\(operation): \(reason)" }

    /// Runs `call` (a syscall returning a negative value with errno set on failure) until it is
    /// not interrupted. Returns its result when it succeeds, nil when errno is one of
    /// `expected`, and throws any other errno.
    @inlinable
    public static func retryingInterrupts<Result: SignedInteger>(
        _ operation: @autoclosure () -> String, expected: [Int32] = [], _ call: () -> Result
    ) throws(SystemError) -> Result? {
        while true {
            let result = call()
            if result >= 0 { return result }
            let code = Glibc.errno
            if code == EINTR { continue }
            if expected.contains(code) { return nil }
            throw SystemError(errno: code, operation: operation())
        }
    }
}
