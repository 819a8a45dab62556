import Arguments
import Foundation
import Localization
import Messages
import Privacy
import Wire

/// `pulse privacy`: proof that what Pulse stores holds no personal identifiers.
enum PrivacyCommands {
    static var privacy: Command {
        Command(
        "privacy", tr("Kiểm tra dữ liệu đã lưu có thông tin định danh cá nhân không, và lọc những gì đã lưu.", en: "Check the stored data for personal identifiers, and scrub what is already stored."),
        subcommands: [
            Command(
                "scan", tr("Quét mọi tệp trong thư mục dữ liệu (cơ sở dữ liệu, trang trống, log) tìm thông tin định danh; mã thoát 1 nếu tìm thấy, 2 nếu không quét được.", en: "Scan every file under a data directory (databases, free pages, logs) for identifiers; exit 1 if any is found, 2 if the scan could not be done."),
                arguments: "<dir>", options: [.flag("quiet", short: "q", help: tr("Chỉ in dòng tóm tắt.", en: "Print only the summary line."))]
            ) { inv in
                let directory = try inv.positional(0, "dir")
                let quiet = inv.arguments.has("quiet")
                let report: PrivacyScan.Report
                do {
                    report = try PrivacyScan(directory: directory).run { path, size in
                        if !quiet && inv.output.format != .json && size > 64 << 20 { warn(tr("đang quét \(path) (\(size / (1 << 20)) MiB)…", en: "scanning \(path) (\(size / (1 << 20)) MiB)…")) }
                    }
                } catch let error as ScanError {
                    throw CLIError(error.description, exitCode: 2)
                }
                if report.files == 0 { throw CLIError(tr("\(directory): không có tệp nào để quét; hãy cho thư mục dữ liệu (/var/lib/pulse)", en: "\(directory): no file to scan; give the data directory (/var/lib/pulse)"), exitCode: 2) }
                inv.output.emit(report) {
                    if !quiet {
                        inv.output.table([tr("tệp", en: "file"), tr("vị trí", en: "offset"), tr("loại", en: "kind"), tr("tìm thấy", en: "found")], report.findings.map { [$0.file, String($0.offset), $0.kind, $0.masked] }, numeric: [1])
                    }
                    let size = Output.decimal(Double(report.bytes) / 1_048_576)
                    let exempt = report.exempt > 0 ? tr("; \(report.exempt) mục là thông tin liên lạc của cán bộ, cộng tác viên trong mạng lưới, được phép lưu", en: "; \(report.exempt) of the network's own contacts (roster), which Pulse keeps") : ""
                    inv.output.note(tr("tìm thấy \(report.findings.count) thông tin định danh trong \(report.files) tệp (\(size) MiB, \(Output.decimal(report.seconds, 2)) giây)\(exempt)", en: "\(report.findings.count) identifiers found in \(report.files) files (\(size) MiB, \(Output.decimal(report.seconds, 2)) s)\(exempt)"))
                }
                if !report.findings.isEmpty {
                    throw CLIError(tr("có thông tin định danh cá nhân được lưu trong \(directory); hãy chạy `pulse privacy rescrub` rồi quét lại", en: "personal identifiers are stored under \(directory); run `pulse privacy rescrub` and scan again"))
                }
            },
            Command("rescrub", tr("Áp bộ lọc hiện tại lên mọi văn bản đã lưu (báo cáo, phiếu trả lời, nội dung và chỉ mục của analytics, ghi chú kế hoạch), tại chỗ.", en: "Apply the current scrubber to all text already stored (reports, answers, analytics' items and index, plan notes), in place.")) { inv in
                var results: [RescrubResult] = []
                results.append(try await inv.call(IntakeAPI.rescrub, Empty(), deadline: .seconds(600)))
                results.append(try await inv.call(AnalyticsAPI.rescrub, Empty(), deadline: .seconds(600)))
                results.append(try await inv.call(RosterAPI.rescrub, Empty(), deadline: .seconds(600)))
                inv.output.emit(results) {
                    var rows: [[String]] = []
                    for result in results {
                        let service = result.service.split(separator: ".").dropFirst().first.map(String.init) ?? result.service
                        for table in result.tables { rows.append([service, table.name, String(table.rows), String(table.changed)]) }
                    }
                    inv.output.table([tr("dịch vụ", en: "service"), tr("bảng", en: "table"), tr("dòng", en: "rows"), tr("đã sửa", en: "changed")], rows, numeric: [2, 3])
                    let removed = Dictionary(results.flatMap(\.removed).map { ($0.kind, $0.count) }, uniquingKeysWith: +)
                    inv.output.note(removed.isEmpty ? tr("không có gì để bỏ: mọi thứ đã lưu đều đã được lọc", en: "nothing to remove: everything stored was already scrubbed") : tr("đã bỏ: ", en: "removed: ") + removed.sorted { $0.key < $1.key }.map { "\($0.value) \(ReportCommands.scrubKind($0.key))" }.joined(separator: ", "))
                    if results.contains(where: { !$0.compacted }) { warn(tr("không làm trống được một tệp ghi trước khi có người đọc khác giữ nó; hãy chạy rescrub lại khi các dịch vụ rảnh", en: "a write-ahead log could not be emptied while another reader held it; run rescrub again when the services are quiet")) }
                }
            },
        ])
    }
}
