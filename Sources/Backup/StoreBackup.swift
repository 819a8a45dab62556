import Base
import CPulseLinux
import Foundation
import Store
import Wire

/// Consistent online backups of every store under a data directory, and their restore.
///
/// A backup copies each SQLite file with SQLite's backup API in one step: one read transaction
/// on the source, so the copy is the store as of one commit while the services go on writing
/// (WAL lets readers and the writer run side by side). Each copy is checked (`PRAGMA
/// integrity_check`), hashed, and described in `manifest.json`, written last: a backup without
/// its manifest is incomplete. A restore checks every file's size, SHA-256 and integrity
/// before putting any back.
public enum StoreBackup {
    public struct Entry: Codable, Sendable, Hashable {
        /// The store's path under the data directory ("commission/report-intake/intake.sqlite").
        public var file: String
        public var service: String
        public var agency: String?
        public var size: Int
        public var sha256: String
        public var integrity: String
        /// How far the store's change feeds had gone: intake's last change, the cursors a
        /// follower has applied, the audit log's size.
        public var feeds: [String: Int64]
    }

    public struct Manifest: Codable, Sendable {
        public var format = 1
        public var created: Date
        public var source: String
        public var files: [Entry]
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    static let services = ["roster.sqlite": "roster", "intake.sqlite": "report-intake", "analytics.sqlite": "analytics", "notification.sqlite": "notification", "gateway.sqlite": "gateway"]

    /// The stores under `directory`, by path relative to it.
    public static func stores(in directory: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { throw Failure("\(directory): no such directory, or it cannot be read") }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".sqlite"), services[(relative as NSString).lastPathComponent] != nil { found.append(relative) }
        }
        guard !found.isEmpty else { throw Failure("\(directory): no Pulse store (roster.sqlite, intake.sqlite, …) under it; give the data directory, /var/lib/pulse by default") }
        return found.sorted()
    }

    /// Backs up every store under `directory` into `out` (created; must not exist).
    public static func take(from directory: String, to out: String, progress: (String) -> Void = { _ in }) throws -> Manifest {
        guard !FileManager.default.fileExists(atPath: out) else { throw Failure("\(out) exists; give a new directory for the backup") }
        // The services come first: this thread copies, checks and hashes at the lowest priority.
        _ = pulse_lower_thread_priority()
        let stores = try stores(in: directory)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var entries: [Entry] = []
        for relative in stores {
            progress(relative)
            let target = out + "/" + relative
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let sourcePath = directory + "/" + relative
            let leftBefore = [sourcePath + "-wal", sourcePath + "-shm"].filter { FileManager.default.fileExists(atPath: $0) }
            do {
                let source = try Database(path: sourcePath, readOnly: true)
                try source.backup(to: target, pagesPerStep: 2048, pause: .milliseconds(20))
            }
            // A store whose service was not running: the log files this read created would be
            // root's, and the service could not open its store again. Nobody else has it open.
            if leftBefore.isEmpty && !openElsewhere(sourcePath) {
                for file in [sourcePath + "-wal", sourcePath + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
            }
            _ = chmod(target, 0o600)
            let copy = try Database(path: target, readOnly: true)
            let problems = try copy.integrityCheck()
            let components = relative.split(separator: "/").map(String.init)
            let name = components.last ?? relative
            entries.append(Entry(
                file: relative, service: services[name] ?? name, agency: components.count >= 3 ? components[components.count - 3] : nil,
                size: fileSize(atPath: target) ?? -1, sha256: try digest(target), integrity: problems.isEmpty ? "ok" : problems.joined(separator: "; "),
                feeds: try feeds(copy)))
        }
        let manifest = Manifest(created: Date(), source: directory, files: entries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: out + "/manifest.json"), options: .atomic)
        return manifest
    }

    /// Checks the backup in `backup` whole, then puts each store back under `directory`. The
    /// services must be stopped: a store with a write-ahead log beside it is refused unless
    /// `force` (the log of a service that crashed, whose contents the backup replaces).
    /// A store is put back only while no process has it open (its service stopped); the log
    /// files beside it, of a service that stopped or crashed, are discarded with the old store.
    /// Each restored file gets the owner of the one it replaces (or of its directory) and mode
    /// 0600; directories it has to create are 0755, the store's own 0700.
    public static func restore(from backup: String, to directory: String, progress: (String) -> Void = { _ in }) throws -> Manifest {
        let manifest = try check(backup)
        for entry in manifest.files where openElsewhere(directory + "/" + entry.file) {
            throw Failure("\(directory)/\(entry.file) is open in a running service: stop the services first (systemctl stop pulse.target)")
        }
        for entry in manifest.files {
            progress(entry.file)
            let target = directory + "/" + entry.file
            let folder = (target as NSString).deletingLastPathComponent
            if !FileManager.default.fileExists(atPath: folder) {
                try FileManager.default.createDirectory(atPath: (folder as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            var owner = stat()
            if stat(target, &owner) != 0 { _ = stat(folder, &owner) }
            let staging = target + ".restoring"
            try? FileManager.default.removeItem(atPath: staging)
            try FileManager.default.copyItem(atPath: backup + "/" + entry.file, toPath: staging)
            guard try digest(staging) == entry.sha256 else { throw Failure("\(entry.file): the copy does not match its hash; nothing of it was put back") }
            guard chmod(staging, 0o600) == 0, chown(staging, owner.st_uid, owner.st_gid) == 0 || getuid() != 0 else {
                throw Failure("\(target): cannot give it to its service's user (\(String(cString: strerror(errno))))")
            }
            for stale in [target + "-wal", target + "-shm"] { try? FileManager.default.removeItem(atPath: stale) }
            guard rename(staging, target) == 0 else { throw Failure("\(target): cannot put it back (\(String(cString: strerror(errno))))") }
        }
        return manifest
    }

    /// Whether another process has the store open: every SQLite connection to a WAL database
    /// holds a shared lock on the "dead man switch" byte of its -shm file (offset 128).
    public static func openElsewhere(_ path: String) -> Bool {
        let fd = open(path + "-shm", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 128
        lock.l_len = 1
        guard fcntl(fd, F_GETLK, &lock) == 0 else { return false }
        return lock.l_type != Int16(F_UNLCK)
    }

    /// Reads the manifest and checks every file it lists; throws naming the first problem.
    public static func check(_ backup: String) throws -> Manifest {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: backup, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure("\(backup): no such directory; give a directory pulse backup wrote")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: backup + "/manifest.json")) } catch {
            throw Failure("\(backup)/manifest.json is missing: the backup is incomplete (it is written last); take another")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let manifest: Manifest
        do { manifest = try decoder.decode(Manifest.self, from: data) } catch {
            throw Failure("\(backup)/manifest.json cannot be read: \(error)")
        }
        guard !manifest.files.isEmpty else { throw Failure("\(backup)/manifest.json lists no store") }
        for entry in manifest.files {
            let path = backup + "/" + entry.file
            guard !entry.file.contains(".."), FileManager.default.fileExists(atPath: path) else { throw Failure("\(entry.file) is missing from the backup: it is incomplete") }
            let size = fileSize(atPath: path) ?? -1
            guard size == entry.size else { throw Failure("\(entry.file): \(size) bytes where the manifest says \(entry.size); the backup is damaged") }
            guard try digest(path) == entry.sha256 else { throw Failure("\(entry.file): its SHA-256 differs from the manifest's; the backup is damaged") }
            guard entry.integrity == "ok" else { throw Failure("\(entry.file) failed its integrity check when backed up: \(entry.integrity)") }
            let problems = try Database(path: path, readOnly: true).integrityCheck()
            guard problems.isEmpty else { throw Failure("\(entry.file) fails its integrity check: \(problems.prefix(3).joined(separator: "; "))") }
        }
        return manifest
    }

    static func feeds(_ db: Database) throws -> [String: Int64] {
        var feeds: [String: Int64] = [:]
        if try db.exists("SELECT 1 FROM sqlite_master WHERE name = 'changes'") {
            feeds["changes"] = try db.scalar("SELECT coalesce(max(cursor), 0) FROM changes", as: Int64.self) ?? 0
        }
        if try db.exists("SELECT 1 FROM sqlite_master WHERE name = 'feed_cursor'") {
            for row in try db.query("SELECT name, cursor FROM feed_cursor") { feeds["follows " + (try row.get(0, as: String.self))] = try row.get(1, as: Int64.self) }
        }
        if try db.exists("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'") {
            feeds["audit entries"] = try db.scalar("SELECT count(*) FROM audit_log", as: Int64.self) ?? 0
        }
        return feeds
    }


    /// The file's SHA-256, read in 1 MiB blocks.
    static func digest(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure("\(path) cannot be read") }
        defer { try? handle.close() }
        var hasher = SHA256.Hasher()
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
            block.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize().hexString
    }
}
