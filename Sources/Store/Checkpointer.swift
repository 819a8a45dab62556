import Base
import Foundation

/// Copies the write-ahead log into the database file on a thread and connection of its own.
///
/// SQLite's automatic checkpoint runs inside the commit that takes the log past 1,000 pages:
/// that commit (and every write waiting behind it) waits while a thousand pages are copied and
/// the database file is synced. Here the writer only asks; this thread copies, beside the
/// writer's commits; and once it has, the writer copies what was committed meanwhile (little)
/// itself, so that its next transaction can start the log again from its beginning. A log
/// that is reused is cheaper to sync than one that keeps growing.
final class Checkpointer: @unchecked Sendable {  // state only under `lock`; `connection` only on the thread
    /// Log length, in pages, at which a checkpoint is asked for (SQLite's default).
    static let threshold = 1_000
    /// Past this, the writer copies on its own whatever this thread has managed.
    static let ceiling = 8 * threshold

    private let connection: Database
    private let lock = ConditionLock()
    private var requested = false
    private var stopped = false
    private var finished = 0  // checkpoints completed by the thread

    init(path: String) throws {
        connection = try Database(path: path)
        Thread.detachNewThread { [self] in run() }
    }

    /// Checkpoints completed so far by the thread.
    var completed: Int { lock.withLock { finished } }

    func request() {
        lock.withLock {
            requested = true
            lock.signal()
        }
    }

    func stop() {
        lock.withLock {
            stopped = true
            lock.signal()
        }
    }

    private func run() {
        while true {
            let proceed = lock.withLock {
                while !requested && !stopped { lock.wait() }
                requested = false
                return !stopped
            }
            guard proceed else { return }
            // Busy means another checkpoint is running; the writer will ask again.
            _ = try? connection.checkpointPassively()
            lock.withLock { finished += 1 }
        }
    }
}

/// The writer's side: after each commit, decides whether to ask the checkpointer, or to
/// finish its work. Only touched on the writer's queue.
struct CheckpointSchedule {
    private(set) var logPages = 0
    private var askedAt: Int?  // the checkpointer's `completed` when it was asked

    mutating func committed(logPages: Int) { self.logPages = logPages }

    /// Called after a write transaction, on the writer's queue.
    mutating func afterWrite(writer: Database, checkpointer: Checkpointer) {
        guard logPages >= Checkpointer.threshold else {
            askedAt = nil
            return
        }
        guard let askedAt else {
            askedAt = checkpointer.completed
            checkpointer.request()
            return
        }
        if checkpointer.completed > askedAt || logPages >= Checkpointer.ceiling {
            // Copies what was committed since the thread's checkpoint began; the next write
            // transaction then starts the log over (unless a reader still needs its end).
            if (try? writer.checkpointPassively()) == true { self.askedAt = nil }
        }
    }
}
