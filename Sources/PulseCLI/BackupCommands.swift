import Arguments
import Backup
import Base
import Foundation

/// `pulse backup` and `pulse restore`: run on the server, as root or the services' user, on the
/// stores' files themselves (no service is called).
enum BackupCommands {
    static let defaultData = "/var/lib/pulse"

    static let backup = Command(
        "backup", "Take a consistent online backup of every store while the services keep serving, with a manifest.",
        options: [
            .option("data", value: "dir", help: "The data directory (default /var/lib/pulse)."),
            .option("out", short: "o", value: "dir", help: "Where to write it (default ./pulse-backup-YYYYMMDD-HHMMSS; must not exist)."),
            .option("into", value: "dir", help: "Write it as DIR/pulse-backup-YYYYMMDD-HHMMSS instead (the nightly timer's way)."),
            .option("keep", value: "n", help: "With --into: keep the newest n complete backups there and remove older ones."),
        ]
    ) { inv in
        let data = inv.arguments.value("data") ?? defaultData
        let stamp = DateFormatter()
        stamp.locale = Locale(identifier: "en_US_POSIX")
        stamp.dateFormat = "yyyyMMdd-HHmmss"
        let name = "pulse-backup-" + stamp.string(from: Date())
        let into = inv.arguments.value("into")
        let keep = try inv.arguments.integer("keep")
        if let keep, keep < 1 { throw UsageError("--keep takes how many backups to keep, 1 or more") }
        if keep != nil && into == nil { throw UsageError("--keep works with --into DIR, where the backups are kept") }
        if into != nil && inv.arguments.value("out") != nil { throw UsageError("give --out or --into, not both") }
        if let into { try FileManager.default.createDirectory(atPath: into, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
        var out = inv.arguments.value("out") ?? into.map { $0 + "/" + name } ?? name
        if let into {
            var n = 2
            while FileManager.default.fileExists(atPath: out) {  // two backups within a second
                out = into + "/" + name + "-\(n)"
                n += 1
            }
        }
        let started = ContinuousClock.now
        let manifest: StoreBackup.Manifest
        do {
            manifest = try StoreBackup.take(from: data, to: out) { file in
                if inv.output.format != .json { warn("backing up \(file)…") }
            }
        } catch let error as StoreBackup.Failure {
            throw CLIError(error.description)
        }
        inv.output.emit(manifest) {
            inv.output.table(
                ["file", "service", "agency", "bytes", "integrity", "feeds"],
                manifest.files.map { [$0.file, $0.service, $0.agency ?? "", String($0.size), $0.integrity, $0.feeds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")] },
                numeric: [3])
            inv.output.note("backup of \(manifest.files.count) stores in \(out) (\(String(format: "%.1f", (ContinuousClock.now - started).inSeconds)) s); manifest.json lists their SHA-256")
        }
        if let into {
            // For pulse-metrics, who may not look inside the backups: when the last one was taken.
            let note = "{\"created\": \(Int(manifest.created.timeIntervalSince1970)), \"backup\": \"\((out as NSString).lastPathComponent)\"}\n"
            try note.write(toFile: into + "/last-backup.json", atomically: true, encoding: .utf8)
            _ = chmod(into + "/last-backup.json", 0o644)
        }
        if let into, let keep {
            // Complete backups only (a manifest), oldest first by name, which is by time.
            let complete = ((try? FileManager.default.contentsOfDirectory(atPath: into)) ?? []).filter {
                $0.hasPrefix("pulse-backup-") && FileManager.default.fileExists(atPath: into + "/" + $0 + "/manifest.json")
            }.sorted()
            for old in complete.dropLast(keep) {
                try FileManager.default.removeItem(atPath: into + "/" + old)
                if inv.output.format != .json { inv.output.note("removed the older backup \(old)") }
            }
        }
    }

    static let restore = Command(
        "restore", "Check a backup whole (sizes, SHA-256, integrity), then put every store back. Stop the services first.",
        arguments: "<backup-dir>",
        options: [
            .option("data", value: "dir", help: "The data directory to restore into (default /var/lib/pulse)."),
        ]
    ) { inv in
        let backup = try inv.positional(0, "backup-dir")
        let data = inv.arguments.value("data") ?? defaultData
        do {
            let manifest = try StoreBackup.restore(from: backup, to: data) { file in
                if inv.output.format != .json { warn("restoring \(file)…") }
            }
            inv.output.emit(manifest) {
                inv.output.table(["file", "service", "agency", "bytes"], manifest.files.map { [$0.file, $0.service, $0.agency ?? "", String($0.size)] }, numeric: [3])
                inv.output.note("restored \(manifest.files.count) stores into \(data) from the backup of \(Output.time(manifest.created)); start the services again")
            }
        } catch let error as StoreBackup.Failure {
            throw CLIError(error.description)
        }
    }
}
