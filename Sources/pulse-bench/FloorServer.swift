import Base
import Foundation
import Glibc
import Synchronization

/// The floor: length-prefixed frames echoed over a Unix socket with Glibc read and write,
/// one thread per connection, no RPC, no encoding. The plain form reads each frame's length,
/// then its body (the reference floor); the buffered form reads whatever has arrived
/// into one buffer, one read per frame, as the RPC server does. Both are reported.
final class FloorServer: Sendable {
    let path: String
    private let listener: Int32

    init(path: String, buffered: Bool) throws {
        self.path = path
        unlink(path)
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = FloorServer.address(path)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        precondition(rc == 0 && listen(listener, 128) == 0, "floor server cannot listen")
        Thread.detachNewThread {
            while true {
                let fd = accept(listener, nil, nil)
                if fd < 0 { return }
                Thread.detachNewThread { buffered ? FloorServer.bufferedEchoLoop(fd) : FloorServer.echoLoop(fd) }
            }
        }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        unlink(path)
    }

    static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let utf8 = Array(path.utf8)
            raw.copyBytes(from: utf8)
            raw[utf8.count] = 0
        }
        return address
    }

    static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let n = read(fd, buffer + offset, count - offset)
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    static func writeFully(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let n = write(fd, buffer + offset, count - offset)
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Reads each frame's length, then its body, and writes the frame back.
    static func echoLoop(_ fd: Int32) {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 8)
        defer {
            buffer.deallocate()
            close(fd)
        }
        while readFully(fd, buffer, 4) {
            let length = Int(UInt32(bigEndian: buffer.load(as: UInt32.self)))
            guard length <= (1 << 20) - 4, readFully(fd, buffer + 4, length), writeFully(fd, buffer, 4 + length) else { return }
        }
    }

    /// Reads whatever has arrived into one buffer and echoes each whole frame in it, so a
    /// frame that arrives at once costs one read and one write, as it does in the RPC.
    static func bufferedEchoLoop(_ fd: Int32) {
        let capacity = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer {
            buffer.deallocate()
            close(fd)
        }
        var filled = 0
        while true {
            let n = read(fd, buffer + filled, capacity - filled)
            if n <= 0 { return }
            filled += n
            var start = 0
            while filled - start >= 4 {
                let length = Int(UInt32(bigEndian: (buffer + start).loadUnaligned(as: UInt32.self)))
                guard length <= capacity - 4 else { return }
                guard filled - start >= 4 + length else { break }
                guard writeFully(fd, buffer + start, 4 + length) else { return }
                start += 4 + length
            }
            if start > 0 {
                (buffer).copyMemory(from: buffer + start, byteCount: filled - start)
                filled -= start
            }
        }
    }

    /// Round trips from `callers` threads, each on its own connection.
    static func measure(path: String, bodySize: Int, callers: Int, calls: Int) throws -> Measurement {
        let sink = SampleSink()
        let ready = DispatchGroup()
        let done = DispatchGroup()
        let gate = DispatchSemaphore(value: 0)
        for _ in 0..<callers {
            ready.enter()
            done.enter()
            Thread.detachNewThread {
                let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
                var address = FloorServer.address(path)
                _ = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
                }
                var frame = [UInt8](repeating: 7, count: 4 + bodySize)
                withUnsafeBytes(of: UInt32(bodySize).bigEndian) { frame.replaceSubrange(0..<4, with: $0) }
                let reply = UnsafeMutableRawPointer.allocate(byteCount: 4 + bodySize, alignment: 8)
                frame.withUnsafeBytes { f in
                    for _ in 0..<200 {
                        _ = writeFully(fd, f.baseAddress!, f.count)
                        _ = readFully(fd, reply, f.count)
                    }
                }
                ready.leave()
                gate.wait()
                var samples: [UInt64] = []
                samples.reserveCapacity(calls)
                frame.withUnsafeBytes { f in
                    for _ in 0..<calls {
                        let t0 = ContinuousClock.now
                        _ = writeFully(fd, f.baseAddress!, f.count)
                        _ = readFully(fd, reply, f.count)
                        samples.append((ContinuousClock.now - t0).inNanoseconds)
                    }
                }
                reply.deallocate()
                close(fd)
                sink.add(samples)
                done.leave()
            }
        }
        ready.wait()
        let start = ContinuousClock.now
        for _ in 0..<callers { gate.signal() }
        done.wait()
        return Measurement(name: "floor", latenciesNanos: sink.all, elapsed: ContinuousClock.now - start)
    }
}
