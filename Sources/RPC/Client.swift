import Base
import Dispatch
import Foundation
import Localization
import Synchronization
import Wire

/// A client for one server socket: one connection multiplexing concurrent calls, a deadline
/// per call, and a fresh connection on the next call after the old one broke (for example
/// because the server restarted).
public final class RPCClient: Sendable {
    public let path: String
    public let maxFrameSize: Int
    private let current = Mutex<ClientConnection?>(nil)

    /// The executor of this client's connection thread. A task that makes many calls can
    /// prefer it (`withTaskExecutorPreference(client.executor)`) so that it continues on the
    /// thread that read each response, without a hop to the cooperative pool. Jobs never wait
    /// on a dead connection: between connections they run on the global executor.
    public let executor = LoopExecutor()

    public init(path: String, maxFrameSize: Int = FrameBuffer.defaultMaxFrameSize) {
        self.path = path
        self.maxFrameSize = maxFrameSize
    }

    deinit {
        current.withLock { $0?.close() }
    }

    /// Closes the connection; a later call opens a new one.
    public func close() {
        current.withLock { connection in
            connection?.close()
            connection = nil
        }
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }

    /// Calls a typed method. Throws ``RPCError`` for any status but OK.
    public func call<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request,
        deadline: Duration? = nil, metadata: [String: String] = [:]
    ) async throws(RPCError) -> Response {
        let body: [UInt8]
        do { body = try CBOREncoder().encode(request) } catch {
            throw RPCError(.invalidArgument, "request did not encode: \(error)")
        }
        let bytes = try await callRaw(method.fullName, body: body, deadline: deadline, metadata: metadata)
        do {
            return try CBORDecoder().decode(Response.self, from: bytes)
        } catch {
            throw RPCError(.internal, "response of \(method.fullName) did not decode: \(CBORDecoder.describe(error))")
        }
    }

    /// Calls a typed method and returns, beside the response, the notice a successful answer may
    /// carry (a federating gateway's partial answer says there which agencies are missing).
    public func callNoting<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request,
        deadline: Duration? = nil, metadata: [String: String] = [:]
    ) async throws(RPCError) -> (response: Response, notice: String?) {
        let body: [UInt8]
        do { body = try CBOREncoder().encode(request) } catch {
            throw RPCError(.invalidArgument, "request did not encode: \(error)")
        }
        let answer = try await send(method.fullName, body: body, deadline: deadline, metadata: metadata)
        guard answer.status == 0 else { throw RPCError(StatusCode(rawValue: answer.status) ?? .unknown, answer.message ?? "") }
        do {
            return (try CBORDecoder().decode(Response.self, from: answer.body ?? []), answer.message.flatMap { $0.isEmpty ? nil : $0 })
        } catch {
            throw RPCError(.internal, "response of \(method.fullName) did not decode: \(CBORDecoder.describe(error))")
        }
    }

    /// Calls a method with an already-encoded body and returns the response body.
    public func callRaw(
        _ method: String, body: [UInt8], deadline: Duration? = nil, metadata: [String: String] = [:]
    ) async throws(RPCError) -> [UInt8] {
        let response = try await send(method, body: body, deadline: deadline, metadata: metadata)
        guard response.status == 0 else {
            throw RPCError(StatusCode(rawValue: response.status) ?? .unknown, response.message ?? "")
        }
        return response.body ?? []
    }

    /// Calls a method and returns the whole response, whatever its status.
    public func send(
        _ method: String, body: [UInt8], deadline: Duration? = nil, metadata: [String: String] = [:]
    ) async throws(RPCError) -> ResponseEnvelope {
        // A frame over the limit would only be cut off by the server ("connection reset"): say so here.
        if body.count + 1024 > maxFrameSize {
            throw RPCError(
                .invalidArgument,
                tr("yêu cầu dài \(RPCClient.megabytes(body.count)) MB; mỗi lần gọi mang tối đa \(RPCClient.megabytes(maxFrameSize)) MB. Hãy chia nhỏ (một tệp CSV thành nhiều tệp, một văn bản dài thành nhiều phần) rồi gửi từng phần",
                   en: "the request is \(RPCClient.megabytes(body.count)) MB; one call carries at most \(RPCClient.megabytes(maxFrameSize)) MB. Split it (a CSV into several files, a long text into parts) and send each"))
        }
        // A call made for a caller who reads English carries that on, service to service
        // (Vietnamese, the default, needs no word).
        var metadata = metadata
        if metadata[Language.metadataKey] == nil && Language.current != .vi { metadata[Language.metadataKey] = Language.current.rawValue }
        if let deadline, deadline <= .zero {
            throw RPCError(.deadlineExceeded, "deadline exceeded before \(method) was sent")
        }
        // A connection the server closed may not have noticed yet; a request that could not be
        // written at all never reached the server, so it is safe to send it once more on a new one.
        for attempt in 0..<2 {
            let connection = try connection()
            do {
                return try await connection.call(method, body: body, deadline: deadline, metadata: metadata)
            } catch let error as NotSent {
                if attempt == 1 { throw RPCError(.unavailable, "connection to \(path) lost: \(error.cause)") }
            } catch let error as RPCError {
                throw error
            } catch {
                throw RPCError(.unknown, "\(error)")
            }
        }
        throw RPCError(.unavailable, "connection to \(path) lost")
    }

    private func connection() throws(RPCError) -> ClientConnection {
        do {
            return try current.withLock { current in
                if let connection = current, !connection.isClosed { return connection }
                let fd: Int32
                do { fd = try Sockets.connect(path: path) } catch let error as SystemError {
                    if error.errno == EACCES {
                        throw RPCError(.permissionDenied, "\(path): your account may not open this socket (\(error.reason)); ask the administrator to add you to its group")
                    }
                    throw RPCError(.unavailable, "nothing answers at \(path): \(error.reason)")
                }
                let connection = ClientConnection(socket: FrameSocket(fd: fd), maxFrameSize: maxFrameSize, path: path, executor: executor)
                connection.startReading()
                current = connection
                return connection
            }
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(.unavailable, "\(error)")
        }
    }
}

final class ClientConnection: Sendable {
    private struct Pending {
        var continuation: UnsafeContinuation<ResponseEnvelope, any Error>
        var timer: UInt64?
    }

    private struct State {
        var nextID: UInt64 = 1
        var pending: [UInt64: Pending] = [:]
        var closed = false
    }

    private let socket: FrameSocket
    private let maxFrameSize: Int
    private let path: String
    private let state = Mutex(State())
    private let executor: LoopExecutor

    init(socket: FrameSocket, maxFrameSize: Int, path: String, executor: LoopExecutor) {
        self.executor = executor
        self.socket = socket
        self.maxFrameSize = maxFrameSize
        self.path = path
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    func startReading() {
        if !OSThread.start(name: "rpc-client", stackSize: 256 << 10, { [self] in readLoop() }) {
            closeFailingPending("no thread can be started to read answers (\(SystemError.lastReason))")
        }
    }

    func close() { socket.shutdown() }

    func call(_ method: String, body: [UInt8], deadline: Duration?, metadata: [String: String]) async throws -> ResponseEnvelope {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        let milliseconds = deadline?.inMilliseconds
        let frame = RequestEnvelope(id: id, method: method, deadlineMilliseconds: milliseconds, metadata: metadata, body: body).frame()
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                let registered = state.withLock { state in
                    guard !state.closed else { return false }
                    state.pending[id] = Pending(continuation: continuation, timer: nil)
                    return true
                }
                guard registered else {
                    continuation.resume(throwing: RPCError(.unavailable, "connection to \(path) closed"))
                    return
                }
                if let deadline {
                    // Scheduled after registering, so that even a deadline that has already
                    // passed finds the call to fail.
                    let timer = DeadlineTimer.shared.schedule(after: deadline) { [self] in
                        fail(id, RPCError(.deadlineExceeded, "no answer from \(method) within \(deadline)"))
                    }
                    let stillPending = state.withLock { state in
                        guard state.pending[id] != nil else { return false }
                        state.pending[id]!.timer = timer
                        return true
                    }
                    if !stillPending { DeadlineTimer.shared.cancel(timer) }
                }
                do {
                    try socket.send(frame)
                } catch {
                    state.withLock { $0.closed = true }
                    let pending = state.withLock { $0.pending.removeValue(forKey: id) }
                    pending?.timer.map(DeadlineTimer.shared.cancel)
                    pending?.continuation.resume(throwing: NotSent(cause: "\(error)"))
                }
            }
        } onCancel: {
            fail(id, RPCError(.cancelled, "call to \(method) cancelled"))
        }
    }

    private func fail(_ id: UInt64, _ error: RPCError) {
        let pending = state.withLock { $0.pending.removeValue(forKey: id) }
        pending?.timer.map(DeadlineTimer.shared.cancel)
        pending?.continuation.resume(throwing: error)
    }

    private func readLoop() {
        OSThread.scheduleForThroughput()
        guard var loop = ConnectionLoop(socketFD: socket.fd, executor: executor) else {
            closeFailingPending("cannot wait for answers: \(SystemError.lastReason)")
            return
        }
        closeFailingPending(readResponses(&loop))
        _ = consume loop  // detaches: later jobs of tasks that prefer this client run on the global executor
    }

    /// Reads responses until the connection ends; returns why it ended.
    private func readResponses(_ loop: inout ConnectionLoop) -> String {
        var buffer = FrameBuffer(maxFrameSize: maxFrameSize)
        let fd = socket.fd
        do {
            while true {
                // Wait for responses in read itself; a job that another thread hands this
                // executor meanwhile runs on the global executor rather than wait for a frame.
                loop.executor.runPending()
                let blocking = loop.executor.beginBlockingRead()
                if !blocking {
                    guard loop.runAndWait(watchSocket: true) else { continue }
                }
                let n: Int
                do {
                    defer { if blocking { loop.executor.endBlockingRead() } }
                    n = try buffer.write(minimum: 4096) { try Sockets.read(fd, into: $0) }
                }
                if n == 0 { return "server closed the connection" }
                while let response = try buffer.readFrame({ try ResponseEnvelope.decode($0) }) {
                    let pending = state.withLock { $0.pending.removeValue(forKey: response.id) }
                    pending?.timer.map(DeadlineTimer.shared.cancel)
                    pending?.continuation.resume(returning: response)
                }
            }
        } catch {
            return "\(error)"
        }
    }

    /// Closes the connection and fails the calls still waiting on it.
    private func closeFailingPending(_ reason: String) {
        let orphans = state.withLock { state in
            state.closed = true
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        socket.close()
        for orphan in orphans {
            orphan.timer.map(DeadlineTimer.shared.cancel)
            orphan.continuation.resume(throwing: RPCError(.unavailable, "connection to \(path) lost: \(reason)"))
        }
    }
}

/// A request that was not written to the socket at all.
struct NotSent: Error {
    var cause: String
}
