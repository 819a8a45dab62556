import Base
import CPulseLinux
import Glibc

/// The loop of a connection's thread: wait until the socket is readable or a job is queued,
/// run queued jobs, read. Used by the server's connections and the client's. It waits in an
/// epoll set made once, so each wait is one cheap syscall.
struct ConnectionLoop: ~Copyable {
    let executor: LoopExecutor
    private let eventFD: Int32
    private let epollFD: Int32
    private let socketFD: Int32
    private var watchingSocket = true

    /// Nil, with errno set, when the process is out of descriptors for the loop's eventfd and epoll set.
    init?(socketFD: Int32, executor: LoopExecutor) {
        let eventFD = executor.attach()
        guard eventFD >= 0 else { return nil }
        let epollFD = pulse_epoll_create()
        guard epollFD >= 0 else {
            let saved = errno
            executor.detach()
            errno = saved
            return nil
        }
        self.executor = executor
        self.socketFD = socketFD
        self.eventFD = eventFD
        self.epollFD = epollFD
        _ = pulse_epoll_add(epollFD, socketFD)
        _ = pulse_epoll_add(epollFD, eventFD)
    }

    deinit {
        executor.detach()
        close(epollFD)
    }

    /// Runs pending jobs, then waits. Returns true when the socket is readable; false after a
    /// wake-up for jobs only. With `watchSocket` false, waits for jobs alone.
    mutating func runAndWait(watchSocket: Bool) -> Bool {
        executor.runPending()
        if watchingSocket && !watchSocket {
            _ = pulse_epoll_del(epollFD, socketFD)
            watchingSocket = false
        }
        var fds: (Int32, Int32) = (-1, -1)
        let ready = withUnsafeMutablePointer(to: &fds) { pointer -> Int32 in
            pointer.withMemoryRebound(to: Int32.self, capacity: 2) { base in
                (try? SystemError.retryingInterrupts("epoll_wait") { pulse_epoll_wait(epollFD, base, 2, -1) }) ?? -1
            }
        }
        var socketReady = false
        for fd in [fds.0, fds.1].prefix(Int(max(0, ready))) {
            if fd == eventFD {
                var value: UInt64 = 0
                _ = read(eventFD, &value, 8)
            } else if fd == socketFD {
                socketReady = true
            }
        }
        return watchSocket && socketReady
    }
}
