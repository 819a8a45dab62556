import Base
import Dispatch
import Foundation
import Localization
import Synchronization

/// A database file served by one writer connection and one reader connection, each on its
/// own serial queue (SQLite in WAL mode lets readers run beside the writer). Work is handed
/// to the queue and awaited, so Swift's cooperative pool is never blocked on SQLite.
public final class DatabaseQueue: @unchecked Sendable {  // connections are only touched on their queues; the batch only under batchLock
    public let path: String
    private let writer: Database
    private let reader: Database
    private let writeQueue: DispatchQueue
    private let readQueue: DispatchQueue
    let checkpointer: Checkpointer
    private var checkpoints = CheckpointSchedule()  // only on writeQueue
    private let batchLock = ConditionLock()
    private var batch = Batch()  // behind batchLock

    private struct Batch {
        var jobs: [(work: (Database) throws -> any Sendable, done: UnsafeContinuation<any Sendable, any Error>)] = []
        var draining = false
        /// Writes announced by callers that are still preparing them (see `announceWrite`).
        var announced = 0
        /// The writer sleeps until the announced writes are queued or the window ends.
        var writerWaiting = false
    }

    /// Says a grouped write is on its way (its caller is still validating it). While writes
    /// are announced, a batch waits up to `groupWindow` for them, so that concurrent writers
    /// share one commit; a lone writer is never kept waiting. Pass `announced: true` to the
    /// `writeGrouped` that follows, or balance with `withdrawWrite()` if the write is abandoned.
    public func announceWrite() { batchLock.withLock { batch.announced += 1 } }

    public func withdrawWrite() {
        batchLock.withLock {
            batch.announced = max(0, batch.announced - 1)
            if batch.writerWaiting && batch.announced == 0 { batchLock.signal() }
        }
    }

    /// Announced writes not yet queued or withdrawn. One that is never balanced would make every
    /// later batch wait out its window, so tests check this returns to zero.
    public var announcedWrites: Int { batchLock.withLock { batch.announced } }

    /// How long a batch may wait for announced writes.
    public let groupWindow: Duration = .microseconds(300)

    /// How many transactions group commit has made, and how many writes they carried.
    public var groupCommitStatistics: (transactions: Int, writes: Int, busy: Duration) {
        statistics.withLock { $0 }
    }
    private let statistics = Mutex((transactions: 0, writes: 0, busy: Duration.zero))

    /// Opens (creating if needed) the file and applies `migrator`.
    public init(path: String, migrator: Migrator) throws {
        self.path = path
        writer = try Database(path: path, bufferingLog: true)
        try migrator.migrate(writer)
        reader = try Database(path: path)
        checkpointer = try Checkpointer(path: path)
        writeQueue = DispatchQueue(label: "pulse.store.write")
        readQueue = DispatchQueue(label: "pulse.store.read")
        writer.observeCommits { [unowned self] pages in checkpoints.committed(logPages: pages) }
    }

    deinit { checkpointer.stop() }

    /// After any write on the writer's queue: keeps the write-ahead log short (see `Checkpointer`).
    private func afterWrite() {
        checkpoints.afterWrite(writer: writer, checkpointer: checkpointer)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        // The caller's language goes with the work to the database thread, for the words of its errors.
        let language = Language.current
        return try await withUnsafeThrowingContinuation { continuation in
            writeQueue.async {
                continuation.resume(with: Result { try Language.$current.withValue(language) { try body(self.writer) } })
                self.afterWrite()
            }
        }
    }

    /// Runs `body` in a transaction shared with every other write submitted meanwhile (group
    /// commit): one commit, one fsync, for the whole batch. Each write runs in its own
    /// savepoint, so one that throws is rolled back alone and the others still commit. Returns
    /// only after the batch is durably committed.
    public func writeGrouped<T: Sendable>(announced: Bool = false, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let language = Language.current
        let result: any Sendable = try await withUnsafeThrowingContinuation { continuation in
            let startDrain = batchLock.withLock {
                batch.jobs.append((work: { db in try Language.$current.withValue(language) { try body(db) } }, done: continuation))
                if announced && batch.announced > 0 { batch.announced -= 1 }
                if batch.draining {
                    // The last of the writes the writer waits for: no need to wait any longer.
                    if batch.writerWaiting && batch.announced == 0 { batchLock.signal() }
                    return false
                }
                batch.draining = true
                return true
            }
            if startDrain { writeQueue.async { self.drainBatches() } }
        }
        return result as! T
    }

    private func drainBatches() {
        let window = groupWindow.inNanoseconds
        while true {
            let jobs = batchLock.withLock {
                // Wait briefly for writes announced but not yet queued, so they share this commit.
                let windowEnd = ConditionLock.now() + window
                while batch.announced > 0 && !batch.jobs.isEmpty && batch.jobs.count < 256 && ConditionLock.now() < windowEnd {
                    batch.writerWaiting = true
                    batchLock.wait(until: windowEnd)
                    batch.writerWaiting = false
                }
                if batch.jobs.isEmpty { batch.draining = false }
                defer { batch.jobs = [] }
                return batch.jobs
            }
            if jobs.isEmpty { return }
            let started = ContinuousClock.now
            var outcomes: [Result<any Sendable, any Error>] = []
            outcomes.reserveCapacity(jobs.count)
            do {
                try writer.transaction {
                    for job in jobs {
                        outcomes.append(Result { try writer.transaction { try job.work(writer) } })
                    }
                }
                let busy = ContinuousClock.now - started
                statistics.withLock { $0 = ($0.transactions + 1, $0.writes + jobs.count, $0.busy + busy) }
                for (job, outcome) in zip(jobs, outcomes) { job.done.resume(with: outcome) }
                afterWrite()
            } catch {
                // The commit itself failed: nothing of the batch is stored, so every write fails.
                for job in jobs { job.done.resume(throwing: error) }
            }
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let language = Language.current
        return try await withUnsafeThrowingContinuation { continuation in
            readQueue.async { continuation.resume(with: Result { try Language.$current.withValue(language) { try body(self.reader) } }) }
        }
    }

    /// Synchronous access to the writer, for start-up work and tools; never from async code.
    public func writeNow<T>(_ body: (Database) throws -> T) throws -> T {
        try writeQueue.sync {
            defer { afterWrite() }
            return try body(writer)
        }
    }

    /// Rewrites the file without its free pages and empties the write-ahead log, so that no
    /// deleted or overwritten bytes remain in either. Returns whether the log was emptied (a
    /// long reader elsewhere can keep it).
    public func compact() async throws -> Bool {
        try await write { db in
            try db.execute("VACUUM")
            for _ in 0..<50 {
                let row = try db.query("PRAGMA wal_checkpoint(TRUNCATE)").first
                if try row?.get(0, as: Int.self) == 0 { return true }
                usleep(100_000)
            }
            return false
        }
    }

    public func backup(to target: String) async throws {
        try await read { try $0.backup(to: target) }
    }
}
