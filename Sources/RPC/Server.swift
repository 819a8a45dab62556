import Base
import CPulseLinux
import Dispatch
import Foundation
import Localization
import Synchronization
import Wire

/// Serves a ``Router`` on a Unix domain socket.
///
/// Each connection has its own reading thread (blocking reads never occupy Swift's cooperative
/// pool, and a client that sends half a frame holds only its own thread). Each request runs as
/// its own task, so responses leave in whatever order handlers finish.
public final class RPCServer: Sendable {
    public struct Configuration: Sendable {
        public var path: String
        /// The service's name in health checks and reflection, e.g. `pulse.roster.v1.Roster`.
        public var serviceName: String
        public var maxFrameSize: Int
        /// How long shutdown waits for in-flight calls before it closes connections anyway.
        public var gracePeriod: Duration
        /// Who is served, and for whom each call is made.
        public var identification: any CallerIdentification
        /// The service's view of the unit tree, for scoped access rules (none: scoped roles are refused).
        public var unitScope: (any UnitScope)?
        /// The most bytes held, across all connections, in frames not yet complete; past it, the
        /// connection whose frame has waited longest is closed.
        public var maxIncompleteBytes: Int
        /// Connections served at once, in all and from one uid; one past either is closed at accept.
        public var maxConnections = 4096
        public var maxConnectionsPerUID = 512
        /// Told of every call once it is answered (the gateway's audit log), on the thread that
        /// answered it: keep it short.
        public var onCall: (@Sendable (CallRecord) -> Void)?
        /// Told of every connection refused because its peer is not served.
        public var onRefusedConnection: (@Sendable (PeerCredentials) -> Void)?
        /// The service's own gauges for `Metrics/Get` (store sizes, feed lag, outbox depth).
        public var gauges: (@Sendable () -> [MetricsSnapshot.Gauge])?
        /// A listening socket passed by systemd (socket activation): served instead of binding
        /// `path`, and left in place at shutdown, since systemd owns it.
        public var inheritedListener: Int32?

        public init(
            path: String, serviceName: String, maxFrameSize: Int = FrameBuffer.defaultMaxFrameSize,
            gracePeriod: Duration = .seconds(10), identification: any CallerIdentification = TrustedPeers.local,
            unitScope: (any UnitScope)? = nil, maxIncompleteBytes: Int = 64 << 20
        ) {
            self.path = path
            self.serviceName = serviceName
            self.maxFrameSize = maxFrameSize
            self.gracePeriod = gracePeriod
            self.identification = identification
            self.unitScope = unitScope
            self.maxIncompleteBytes = maxIncompleteBytes
        }
    }

    private struct State {
        var listener: Int32?
        var shuttingDown = false
        var connections: [Int32: FrameSocket] = [:]
        /// Whose each connection is, and how many each uid holds.
        var connectionUID: [Int32: UInt32] = [:]
        var connectionsPerUID: [UInt32: Int] = [:]
        var drainWaiters: [ResumeOnce<Void>] = []
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
        var stopped = false
        /// Connections holding part of a frame: how many bytes, since when (monotonic ns).
        var incomplete: [Int32: (bytes: Int, since: UInt64)] = [:]
        var incompleteBytes = 0
        /// When each refused uid was last logged, so a burst logs one line a minute.
        var refusalsLogged: [UInt32: UInt64] = [:]
    }

    public let configuration: Configuration
    public let logger: Logger
    private let router: Router
    private let state = Mutex(State())
    /// Calls in flight, with ``shuttingDownBit`` set once shutdown began: an atomic, so the
    /// hot path never takes the server-wide lock.
    private let inFlight = Atomic<Int>(0)
    private let acceptedCount = Atomic<Int>(0)
    private let metrics: ServerMetrics
    private static let shuttingDownBit = 1 << 40
    /// Signalled at shutdown to wake the thread blocked in accept.
    private let acceptWake = pulse_eventfd()

    public init(configuration: Configuration, router: Router, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        var router = router
        let metrics = ServerMetrics()
        self.metrics = metrics
        router.register(MetricsAPI.get) { [configuration] _, _ in
            metrics.snapshot(service: configuration.serviceName, gauges: configuration.gauges?() ?? [])
        }
        Introspection.register(into: &router, serviceName: configuration.serviceName)
        self.router = router
    }

    deinit { _ = Glibc.close(acceptWake) }

    /// True from the moment shutdown begins.
    public var isShuttingDown: Bool { inFlight.load(ordering: .acquiring) & RPCServer.shuttingDownBit != 0 }

    /// Every method this server answers, its health check and reflection included.
    public var methods: [MethodHandler] { router.methods }

    /// Connections accepted since the server started.
    public var connectionsAccepted: Int { acceptedCount.load(ordering: .relaxed) }

    /// Connections held now.
    public var connectionsOpen: Int { metrics.connections.load(ordering: .relaxed) }

    /// Calls being handled right now.
    public var callsInFlight: Int { inFlight.load(ordering: .acquiring) & (RPCServer.shuttingDownBit - 1) }

    /// Binds the socket (mode 0660) and starts accepting.
    public func start() throws {
        guard acceptWake >= 0 else { throw SystemError.last("eventfd for the accept thread") }
        let listener = try configuration.inheritedListener ?? Sockets.listen(path: configuration.path)
        let flags = fcntl(listener, F_GETFL)
        guard flags >= 0, fcntl(listener, F_SETFL, flags | O_NONBLOCK) == 0 else { throw SystemError.last("making the listening socket non-blocking") }
        state.withLock { $0.listener = listener }
        guard OSThread.start(name: "rpc-accept", { [self] in acceptLoop(listener) }) else {
            _ = Glibc.close(listener)
            throw SystemError.last("starting the thread that accepts connections")
        }
        logger.info("listening", ["socket": configuration.path, "service": configuration.serviceName])
    }

    /// Stops accepting, lets in-flight calls finish (up to the grace period), closes every
    /// connection and removes the socket file. Calls that arrive meanwhile get UNAVAILABLE.
    public func shutdown() async {
        let listener: Int32? = state.withLock { state in
            guard !state.shuttingDown else { return nil }
            state.shuttingDown = true
            defer { state.listener = nil }
            return state.listener
        }
        if listener != nil { inFlight.bitwiseOr(RPCServer.shuttingDownBit, ordering: .acquiringAndReleasing) }
        guard let listener else { return await waitUntilStopped() }
        // Wakes the accept thread, which closes the listener itself: closed here, its number
        // could be reused (by another server in this process) before that thread's next accept.
        _ = listener
        var one: UInt64 = 1
        _ = Glibc.write(acceptWake, &one, 8)

        // Whichever comes first: a call that never ends must not keep the process from stopping.
        await waitForDrain(within: configuration.gracePeriod)
        let connections = state.withLock { state in Array(state.connections.values) }
        let running = inFlight.load(ordering: .acquiring) & (RPCServer.shuttingDownBit - 1)
        if running > 0 {
            logger.warning("closing with calls still running after the grace period", ["rpc.in_flight": "\(running)"])
        }
        for connection in connections { connection.shutdown() }
        if configuration.inheritedListener == nil { unlink(configuration.path) }
        let waiters = state.withLock { state in
            state.stopped = true
            defer { state.stopWaiters = [] }
            return state.stopWaiters
        }
        for waiter in waiters { waiter.resume() }
        logger.info("stopped", ["socket": configuration.path])
    }

    /// Returns once ``shutdown()`` has finished.
    public func waitUntilStopped() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.stopped { return true }
                state.stopWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Returns once no call is in flight, or once `limit` has passed.
    private func waitForDrain(within limit: Duration) async {
        await withCheckedContinuation { continuation in
            let waiter = ResumeOnce<Void>(continuation)
            let drained = state.withLock { state in
                if inFlight.load(ordering: .acquiring) == RPCServer.shuttingDownBit { return true }
                state.drainWaiters.append(waiter)
                return false
            }
            if drained { return waiter.resume() }
            Task.detached {
                try? await Task.sleep(for: limit)
                waiter.resume()
            }
        }
    }

    private func enter() -> Bool {
        let now = inFlight.add(1, ordering: .acquiringAndReleasing).newValue
        guard now & RPCServer.shuttingDownBit == 0 else {
            leave()
            return false
        }
        return true
    }

    private func leave() {
        let now = inFlight.subtract(1, ordering: .acquiringAndReleasing).newValue
        guard now == RPCServer.shuttingDownBit else { return }
        let waiters = state.withLock { state in
            defer { state.drainWaiters = [] }
            return state.drainWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func acceptLoop(_ listener: Int32) {
        while let fd = Sockets.accept(listener, wake: acceptWake) {
            acceptedCount.add(1, ordering: .relaxed)
            metrics.accepted.add(1, ordering: .relaxed)
            let socket = FrameSocket(fd: fd)
            let peer = Sockets.peerCredentials(fd) ?? .unknown
            enum Admission { case admitted, shuttingDown, tooMany(String) }
            let admission = state.withLock { state -> Admission in
                guard !state.shuttingDown else { return .shuttingDown }
                if state.connections.count >= configuration.maxConnections {
                    return .tooMany("the server holds \(configuration.maxConnections) connections, its limit")
                }
                if state.connectionsPerUID[peer.uid, default: 0] >= configuration.maxConnectionsPerUID {
                    return .tooMany("uid \(peer.uid) holds \(configuration.maxConnectionsPerUID) connections, the limit for one account")
                }
                state.connections[fd] = socket
                metrics.connections.add(1, ordering: .relaxed)
                state.connectionUID[fd] = peer.uid
                state.connectionsPerUID[peer.uid, default: 0] += 1
                return .admitted
            }
            switch admission {
            case .admitted: break
            case .shuttingDown:
                socket.close()
                _ = Glibc.close(listener)
                return
            case .tooMany(let why):
                if shouldLog(uid: peer.uid) { logger.warning("closing a new connection: \(why)") }
                socket.close()
                continue
            }
            let started =
                configuration.identification.admits(peer)
                ? OSThread.start(name: "rpc-conn") { [self] in serve(socket, peer: peer) }
                : OSThread.start(name: "rpc-refuse", stackSize: 128 << 10) { [self] in refuse(socket, peer: peer) }
            if !started {
                logger.warning("closing a new connection: no thread can be started for it (\(SystemError.lastReason)); raise the service's task limit (TasksMax)")
                forget(socket)
            }
        }
        _ = Glibc.close(listener)
    }

    /// The connection's thread: reads frames, and runs its handlers' jobs between reads.
    private func serve(_ socket: FrameSocket, peer: PeerCredentials) {
        OSThread.scheduleForThroughput()
        guard var loop = ConnectionLoop(socketFD: socket.fd, executor: LoopExecutor()) else {
            logger.warning("closing a new connection: \(SystemError.lastReason); raise the daemon's descriptor limit (LimitNOFILE)")
            forget(socket)
            return
        }
        let calls = ConnectionCalls()
        var buffer = FrameBuffer(maxFrameSize: configuration.maxFrameSize)
        let fd = socket.fd
        var reading = true
        var holdsIncomplete = false
        while reading || calls.count > 0 {
            // With no call of this connection running, nothing can need this thread but the
            // next frame: wait for it in read itself. Otherwise wait in epoll, to be woken for
            // the calls' jobs as well.
            loop.executor.runPending()
            let blocking = reading && calls.count == 0 && loop.executor.beginBlockingRead()
            if !blocking {
                guard loop.runAndWait(watchSocket: reading) else { continue }
            }
            do {
                let n: Int
                do {
                    defer { if blocking { loop.executor.endBlockingRead() } }
                    n = try buffer.write(minimum: 4096) { try Sockets.read(fd, into: $0) }
                }
                if n == 0 {
                    if buffer.bufferedByteCount > 0 {
                        logger.debug("connection closed mid-frame", ["peer.pid": "\(peer.pid)"])
                    }
                    reading = false
                    continue
                }
                while let request = try buffer.readFrame({ try RequestEnvelope.decode($0) }) {
                    dispatch(request, on: socket, peer: peer, executor: loop.executor, calls: calls)
                }
                // Only a connection that holds part of a frame, or just completed one, takes the lock.
                if buffer.bufferedByteCount > 0 || holdsIncomplete {
                    holdsIncomplete = buffer.bufferedByteCount > 0
                    noteIncomplete(socket, bytes: buffer.bufferedByteCount)
                }
            } catch {
                logger.warning("closing connection: \(error)", ["peer.pid": "\(peer.pid)"])
                reading = false
                forget(socket)
            }
        }
        forget(socket)
    }

    /// A peer the server does not serve: reads at most one small frame, answers it
    /// UNAUTHENTICATED (so that a client can tell its user why), and closes. Nothing it sends
    /// reaches a handler or a large buffer.
    private func refuse(_ socket: FrameSocket, peer: PeerCredentials) {
        configuration.onRefusedConnection?(peer)
        let reason = configuration.identification.refusal(of: peer)
        if shouldLog(uid: peer.uid) { logger.warning("refusing connections from uid \(peer.uid): \(reason)", ["peer.pid": "\(peer.pid)"]) }
        // Five seconds in all, however slowly the bytes come: a refused peer holds a thread no longer.
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(socket.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let end = ContinuousClock.now + .seconds(5)
        var buffer = FrameBuffer(maxFrameSize: 64 << 10, initialCapacity: 4096)
        var id: UInt64 = 0
        reading: while ContinuousClock.now < end {
            guard let n = try? buffer.write(minimum: 1024, { try Sockets.read(socket.fd, into: $0) }), n > 0 else { break }
            do {
                if let request = try buffer.readFrame({ try RequestEnvelope.decode($0) }) {
                    id = request.id
                    break reading
                }
            } catch {
                break
            }
        }
        try? socket.send(ResponseEnvelope(id: id, status: StatusCode.unauthenticated.rawValue, message: reason, body: nil).frame())
        forget(socket)
    }

    /// Whether to log a refusal of `uid` now: once a minute per uid at the most.
    private func shouldLog(uid: UInt32) -> Bool {
        let now = ConditionLock.now()
        return state.withLock { state -> Bool in
            if let last = state.refusalsLogged[uid], now &- last < 60_000_000_000 { return false }
            if state.refusalsLogged.count > 10_000 { state.refusalsLogged.removeAll() }
            state.refusalsLogged[uid] = now
            return true
        }
    }

    /// Records how much of an incomplete frame a connection holds; past the server's cap, closes
    /// the connection whose frame has waited longest (which may be this one).
    private func noteIncomplete(_ socket: FrameSocket, bytes: Int) {
        let victim = state.withLock { state -> FrameSocket? in
            let previous = state.incomplete[socket.fd]
            if bytes == 0 {
                guard let previous else { return nil }
                state.incompleteBytes -= previous.bytes
                state.incomplete[socket.fd] = nil
                return nil
            }
            state.incompleteBytes += bytes - (previous?.bytes ?? 0)
            state.incomplete[socket.fd] = (bytes, previous?.since ?? ConditionLock.now())
            guard state.incompleteBytes > configuration.maxIncompleteBytes,
                let oldest = state.incomplete.min(by: { $0.value.since < $1.value.since })
            else { return nil }
            state.incompleteBytes -= oldest.value.bytes
            state.incomplete[oldest.key] = nil
            return state.connections[oldest.key]
        }
        if let victim {
            logger.warning("closing a connection whose frame has waited longest: incomplete frames hold more than \(configuration.maxIncompleteBytes) bytes")
            victim.shutdown()
        }
    }

    /// Drops the connection from the server's table, then closes it: in that order, so that
    /// the table never loses a newer connection the kernel gave the same descriptor number.
    private func forget(_ socket: FrameSocket) {
        state.withLock { state in
            if state.connections[socket.fd] === socket {
                state.connections[socket.fd] = nil
                metrics.connections.subtract(1, ordering: .relaxed)
                if let uid = state.connectionUID.removeValue(forKey: socket.fd) {
                    let left = state.connectionsPerUID[uid, default: 1] - 1
                    state.connectionsPerUID[uid] = left > 0 ? left : nil
                }
                if let held = state.incomplete.removeValue(forKey: socket.fd) { state.incompleteBytes -= held.bytes }
            }
        }
        socket.close()
    }

    private func respond(
        _ outcome: CallOutcome, to request: RequestEnvelope, on socket: FrameSocket, since start: ContinuousClock.Instant,
        peer: PeerCredentials, principal: Principal?
    ) {
        var outcome = outcome
        var frame = ResponseEnvelope(id: request.id, status: outcome.status.rawValue, message: outcome.message, body: outcome.body).frame()
        // An answer the caller could not read (its frame limit is this server's) would cost it
        // the connection and every call on it: answer that it is too large instead.
        if frame.count > configuration.maxFrameSize + 4 {
            outcome = CallOutcome(
                status: .resourceExhausted,
                message: "the answer of \(frame.count) bytes is larger than a frame may be (\(configuration.maxFrameSize)); ask for less (a shorter range, a lower limit)")
            frame = ResponseEnvelope(id: request.id, status: outcome.status.rawValue, message: outcome.message, body: nil).frame()
        }
        try? socket.send(frame)
        let elapsed = ContinuousClock.now - start
        metrics.record(method: request.method, status: outcome.status, elapsed: elapsed)
        configuration.onCall?(CallRecord(method: request.method, peer: peer, principal: principal, status: outcome.status, elapsed: elapsed, body: request.body))
        logger.info(
            "call",
            [
                "agency": principal?.agency ?? "", "method": request.method, "status": "\(outcome.status)",
                "us": "\(elapsed.inMicroseconds)", "peer_uid": "\(peer.uid)",
            ])
    }

    private func dispatch(
        _ request: RequestEnvelope, on socket: FrameSocket, peer: PeerCredentials, executor: LoopExecutor,
        calls: ConnectionCalls
    ) {
        let start = ContinuousClock.now
        let principal = configuration.identification.principal(of: peer, metadata: request.metadata)
        guard let run = router.route(request.method) else {
            respond(CallOutcome(status: .unimplemented, message: "unknown method \(request.method)"), to: request, on: socket, since: start, peer: peer, principal: principal)
            return
        }
        guard enter() else {
            respond(CallOutcome(status: .unavailable, message: "server is shutting down"), to: request, on: socket, since: start, peer: peer, principal: principal)
            return
        }
        let deadline = request.deadlineMilliseconds.map { start + .milliseconds(Int64(clamping: $0)) }
        let context = ServerContext(
            method: request.method, requestID: request.id, peer: peer, deadline: deadline,
            metadata: request.metadata, logger: logger,
            principal: principal,
            unitScope: configuration.unitScope)
        // Only a call with a deadline can be answered by someone other than its handler.
        let slot = request.deadlineMilliseconds == nil ? nil : ResponseSlot()
        calls.add(1)
        let task = Task(executorPreference: executor) { [self] in
            // The caller's language, for the words of any error the handler writes.
            let language = request.metadata[Language.metadataKey].flatMap(Language.init(text:)) ?? .vi
            let outcome = await Language.$current.withValue(language) { await run(request.body, context) }
            if slot?.claim() ?? true { respond(outcome, to: request, on: socket, since: start, peer: peer, principal: principal) }
            calls.add(-1)
            leave()
        }
        if let ms = request.deadlineMilliseconds, let slot {
            slot.setTimer(DeadlineTimer.shared.schedule(after: .milliseconds(Int64(clamping: ms))) { [self] in
                guard slot.claim() else { return }
                task.cancel()
                respond(CallOutcome(status: .deadlineExceeded, message: "deadline of \(ms) ms exceeded"), to: request, on: socket, since: start, peer: peer, principal: principal)
            })
        }
    }
}

/// Makes sure exactly one response is sent for a request: the handler's or the deadline's.
final class ResponseSlot: Sendable {
    private let claimed = Atomic<Bool>(false)
    private let timer = Atomic<UInt64>(0)

    func setTimer(_ id: UInt64) {
        timer.store(id, ordering: .releasing)
        // Answered before the timer was even set: nothing left for it to do.
        if claimed.load(ordering: .acquiring) { DeadlineTimer.shared.cancel(id) }
    }

    func claim() -> Bool {
        let won = claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        if won, case let id = timer.load(ordering: .acquiring), id != 0 { DeadlineTimer.shared.cancel(id) }
        return won
    }
}

/// How many of one connection's calls are still running; its thread outlives the socket until none is.
final class ConnectionCalls: Sendable {
    private let value = Atomic<Int>(0)
    func add(_ delta: Int) { value.add(delta, ordering: .acquiringAndReleasing) }
    var count: Int { value.load(ordering: .acquiring) }
}

/// One answered call, as a server's `onCall` hears of it.
public struct CallRecord: Sendable {
    public var method: String
    public var peer: PeerCredentials
    public var principal: Principal?
    public var status: StatusCode
    public var elapsed: Duration
    /// The request's body, for a hook that reads what it names (never to be kept).
    public var body: [UInt8]?
}
