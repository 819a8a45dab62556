import Base
import Foundation
import Synchronization
import Wire

/// One connected Unix stream socket carrying frames, shared by the reading thread and any
/// number of writers.
///
/// Writes never block a caller: a frame is sent with MSG_DONTWAIT under the lock; if the
/// kernel buffer is full, it and every later frame go, in order, to a serial queue that waits
/// for the socket to drain (off Swift's cooperative pool). The descriptor is closed under the
/// same lock, so no writer ever uses a number the kernel has handed to someone else.
final class FrameSocket: Sendable {
    private struct State {
        var fd: Int32
        var closed = false
        var queued = 0
    }

    private let state: Mutex<State>
    private let backlog: DispatchQueue
    /// The descriptor number, for reads by the owning thread and for logging.
    let fd: Int32

    init(fd: Int32) {
        self.fd = fd
        self.state = Mutex(State(fd: fd))
        self.backlog = DispatchQueue(label: "pulse.rpc.write.\(fd)")
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    /// Sends one whole frame, or throws if the socket is closed or broken.
    func send(_ frame: [UInt8]) throws {
        try state.withLock { state in
            guard !state.closed else { throw RPCError(.unavailable, "connection closed") }
            // A frame queued behind others is handed to the queue under the lock: handed on
            // after it, a second sender's frame could go out in the middle of this one's rest.
            if state.queued > 0 {
                state.queued += 1
                backlog.async { self.drain(frame, from: 0) }
                return
            }
            var offset = 0
            while offset < frame.count {
                let result = try frame.withUnsafeBytes {
                    try Sockets.sendNonBlocking(state.fd, UnsafeRawBufferPointer(rebasing: $0[offset...]))
                }
                switch result {
                case .sent(let n): offset += n
                case .wouldBlock:
                    state.queued += 1
                    let rest = offset
                    backlog.async { self.drain(frame, from: rest) }
                    return
                }
            }
        }
    }

    private func drain(_ frame: [UInt8], from start: Int) {
        var offset = start
        while offset < frame.count {
            let outcome: Sockets.SendResult? = state.withLock { state in
                guard !state.closed else { return nil }
                return try? frame.withUnsafeBytes {
                    try Sockets.sendNonBlocking(state.fd, UnsafeRawBufferPointer(rebasing: $0[offset...]))
                }
            }
            switch outcome {
            case nil:
                state.withLock { $0.queued -= 1 }
                return
            case .sent(let n)?: offset += n
            case .wouldBlock?: Sockets.waitWritable(fd, timeoutMilliseconds: 100)
            }
        }
        state.withLock { $0.queued -= 1 }
    }

    /// Wakes the reading thread (its read returns 0) without freeing the descriptor yet.
    func shutdown() {
        state.withLock { state in
            if !state.closed { _ = Glibc.shutdown(state.fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Closes the descriptor; later sends fail.
    func close() {
        state.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            _ = Glibc.close(state.fd)
        }
    }
}

