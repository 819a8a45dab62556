import Arguments
import Backup
import Base
import Foundation
import Localization

/// `pulse backup` and `pulse restore`: run on the server, as root or the services' user, on the
/// stores' files themselves (no service is called).
enum BackupCommands {
    static let defaultData = "/var/lib/pulse"

    static var backup: Command {
        Command(
        "backup", tr("Sao lưu nhất quán mọi kho dữ liệu trong khi các dịch vụ vẫn phục vụ, kèm bản kê.", en: "Take a consistent online backup of every store while the services keep serving, with a manifest."),
        options: [
            .option("data", value: "dir", help: tr("Thư mục dữ liệu (mặc định /var/lib/pulse).", en: "The data directory (default /var/lib/pulse).")),
            .option("out", short: "o", value: "dir", help: tr("Ghi vào đâu (mặc định ./pulse-backup-YYYYMMDD-HHMMSS; chưa được tồn tại).", en: "Where to write it (default ./pulse-backup-YYYYMMDD-HHMMSS; must not exist).")),
            .option("into", value: "dir", help: tr("Ghi thành DIR/pulse-backup-YYYYMMDD-HHMMSS (cách của bộ hẹn giờ hằng đêm).", en: "Write it as DIR/pulse-backup-YYYYMMDD-HHMMSS instead (the nightly timer's way).")),
            .option("keep", value: "n", help: tr("Cùng --into: giữ n bản sao lưu đầy đủ mới nhất, xóa các bản cũ hơn.", en: "With --into: keep the newest n complete backups there and remove older ones.")),
        ]
    ) { inv in
        let data = inv.arguments.value("data") ?? defaultData
        let stamp = DateFormatter()
        stamp.locale = Locale(identifier: "en_US_POSIX")
        stamp.dateFormat = "yyyyMMdd-HHmmss"
        let name = "pulse-backup-" + stamp.string(from: Date())
        let into = inv.arguments.value("into")
        let keep = try inv.arguments.integer("keep")
        if let keep, keep < 1 { throw UsageError(tr("--keep nhận số bản sao lưu cần giữ, từ 1 trở lên", en: "--keep takes how many backups to keep, 1 or more")) }
        if keep != nil && into == nil { throw UsageError(tr("--keep đi cùng --into DIR, nơi giữ các bản sao lưu", en: "--keep works with --into DIR, where the backups are kept")) }
        if into != nil && inv.arguments.value("out") != nil { throw UsageError(tr("hãy cho --out hoặc --into, không cả hai", en: "give --out or --into, not both")) }
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
                if inv.output.format != .json { warn(tr("đang sao lưu \(file)…", en: "backing up \(file)…")) }
            }
        } catch let error as StoreBackup.Failure {
            throw CLIError(error.description)
        }
        inv.output.emit(manifest) {
            inv.output.table(
                [tr("tệp", en: "file"), tr("dịch vụ", en: "service"), tr("cơ quan", en: "agency"), "bytes", tr("toàn vẹn", en: "integrity"), tr("dòng thay đổi", en: "feeds")],
                manifest.files.map { [$0.file, $0.service, $0.agency ?? "", String($0.size), $0.integrity, $0.feeds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")] },
                numeric: [3])
            inv.output.note(tr("đã sao lưu \(manifest.files.count) kho vào \(out) (\(Output.decimal((ContinuousClock.now - started).inSeconds)) giây); manifest.json ghi SHA-256 của chúng", en: "backup of \(manifest.files.count) stores in \(out) (\(Output.decimal((ContinuousClock.now - started).inSeconds)) s); manifest.json lists their SHA-256"))
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
                if inv.output.format != .json { inv.output.note(tr("đã xóa bản sao lưu cũ \(old)", en: "removed the older backup \(old)")) }
            }
        }
    }
    }

    static var restore: Command {
        Command(
        "restore", tr("Kiểm tra trọn bản sao lưu (kích thước, SHA-256, toàn vẹn) rồi đặt mọi kho trở lại. Hãy dừng dịch vụ trước.", en: "Check a backup whole (sizes, SHA-256, integrity), then put every store back. Stop the services first."),
        arguments: "<backup-dir>",
        options: [
            .option("data", value: "dir", help: tr("Thư mục dữ liệu để khôi phục vào (mặc định /var/lib/pulse).", en: "The data directory to restore into (default /var/lib/pulse).")),
        ]
    ) { inv in
        let backup = try inv.positional(0, "backup-dir")
        let data = inv.arguments.value("data") ?? defaultData
        do {
            let manifest = try StoreBackup.restore(from: backup, to: data) { file in
                if inv.output.format != .json { warn(tr("đang khôi phục \(file)…", en: "restoring \(file)…")) }
            }
            inv.output.emit(manifest) {
                inv.output.table([tr("tệp", en: "file"), tr("dịch vụ", en: "service"), tr("cơ quan", en: "agency"), "bytes"], manifest.files.map { [$0.file, $0.service, $0.agency ?? "", String($0.size)] }, numeric: [3])
                inv.output.note(tr("đã khôi phục \(manifest.files.count) kho vào \(data) từ bản sao lưu lúc \(Output.time(manifest.created)); hãy khởi động lại các dịch vụ", en: "restored \(manifest.files.count) stores into \(data) from the backup of \(Output.time(manifest.created)); start the services again"))
            }
        } catch let error as StoreBackup.Failure {
            throw CLIError(error.description)
        }
    }
    }
}
