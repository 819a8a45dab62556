import Dispatch
import Foundation

/// A database file served by one writer connection and one reader connection, each on its
/// own serial queue (SQLite in WAL mode lets readers run beside the writer). Work is handed
/// to the queue and awaited, so Swift's cooperative pool is never blocked on SQLite.
public final class DatabaseQueue: @unchecked Sendable {  // connections are only touched on their queues
    public let path: String
    private let writer: Database
    private let reader: Database
    private let writeQueue: DispatchQueue
    private let readQueue: DispatchQueue

    /// Opens (creating if needed) the file and applies `migrator`.
    public init(path: String, migrator: Migrator) throws {
        self.path = path
        writer = try Database(path: path)
        try migrator.migrate(writer)
        reader = try Database(path: path)
        writeQueue = DispatchQueue(label: "pulse.store.write")
        readQueue = DispatchQueue(label: "pulse.store.read")
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withUnsafeThrowingContinuation { continuation in
            writeQueue.async { continuation.resume(with: Result { try body(self.writer) }) }
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withUnsafeThrowingContinuation { continuation in
            readQueue.async { continuation.resume(with: Result { try body(self.reader) }) }
        }
    }

    /// Synchronous access to the writer, for start-up work and tools; never from async code.
    public func writeNow<T>(_ body: (Database) throws -> T) throws -> T {
        try writeQueue.sync { try body(writer) }
    }

    public func backup(to target: String) async throws {
        try await read { try $0.backup(to: target) }
    }
}
