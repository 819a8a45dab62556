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
        ]
    ) { inv in
        let data = inv.arguments.value("data") ?? defaultData
        let stamp = DateFormatter()
        stamp.locale = Locale(identifier: "en_US_POSIX")
        stamp.dateFormat = "yyyyMMdd-HHmmss"
        let out = inv.arguments.value("out") ?? "pulse-backup-" + stamp.string(from: Date())
        let started = ContinuousClock.now
        let manifest: StoreBackup.Manifest
        do {
            manifest = try StoreBackup.take(from: data, to: out) { file in
                if inv.output.format == .table { print("backing up \(file)…") }
            }
        } catch let error as StoreBackup.Failure {
            throw CLIError(error.description)
        }
        inv.output.emit(manifest) {
            inv.output.table(
                ["file", "service", "agency", "bytes", "integrity", "feeds"],
                manifest.files.map { [$0.file, $0.service, $0.agency ?? "", String($0.size), $0.integrity, $0.feeds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")] },
                numeric: [3])
            print("backup of \(manifest.files.count) stores in \(out) (\(String(format: "%.1f", (ContinuousClock.now - started).inSeconds)) s); manifest.json lists their SHA-256")
        }
    }

    static let restore = Command(
        "restore", "Check a backup whole (sizes, SHA-256, integrity), then put every store back. Stop the services first.",
        arguments: "<backup-dir>",
        options: [
            .option("data", value: "dir", help: "The data directory to restore into (default /var/lib/pulse)."),
            .flag("force", help: "Discard write-ahead logs left beside the stores (a service that crashed)."),
        ]
    ) { inv in
        let backup = try inv.positional(0, "backup-dir")
        let data = inv.arguments.value("data") ?? defaultData
        do {
            let manifest = try StoreBackup.restore(from: backup, to: data, force: inv.arguments.has("force")) { file in
                if inv.output.format == .table { print("restoring \(file)…") }
            }
            inv.output.emit(manifest) { print("restored \(manifest.files.count) stores into \(data) from the backup of \(manifest.created); start the services again") }
        } catch let error as StoreBackup.Failure {
            throw CLIError(error.description)
        }
    }
}
