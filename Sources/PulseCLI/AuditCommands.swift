import Arguments
import Audit
import Base
import Foundation
import Localization
import Messages
import Store
import Wire

/// `pulse audit`: the gateway's tamper-evident log, for auditors and administrators.
enum AuditCommands {
    static var audit: Command {
        Command(
        "audit", tr("Nhật ký kiểm tra của gateway: mọi lời gọi, dưới một cây Merkle (RFC 9162) mà người kiểm tra kiểm chứng được.", en: "The gateway's audit log: every call, under a Merkle tree (RFC 9162) an auditor can check."),
        subcommands: [
            Command("tail", tr("Các mục mới nhất.", en: "The latest entries."), options: [.option("n", short: "n", value: "n", help: tr("Bao nhiêu (mặc định 20).", en: "How many (default 20)."))]) { inv in
                let count = try inv.arguments.integer("n")
                if let count, count < 1 { throw UsageError(tr("-n nhận số mục cần hiện, từ 1 trở lên", en: "-n takes how many entries to show, 1 or more")) }
                let list = try await inv.call(GatewayAPI.auditTail, AuditTailRequest(count: count))
                show(list, inv)
            },
            Command(
                "search", tr("Các mục theo người gọi (uid, tên, vai trò hoặc cơ quan), phương thức và ngày.", en: "Entries by principal (uid, user, role or agency), method and days."),
                options: [
                    .option("principal", value: "who", help: tr("Một uid, tên tài khoản, vai trò hoặc cơ quan.", en: "A uid, user name, role or agency.")),
                    .option("method", value: "text", help: tr("Một phần tên phương thức.", en: "Part of a method's name.")),
                    .option("from", value: RosterCommands.dateValue, help: tr("Từ ngày này.", en: "From this day.")), .option("to", value: RosterCommands.dateValue, help: tr("Đến ngày này.", en: "To this day.")),
                    .option("limit", value: "n", help: tr("Tối đa bấy nhiêu (mặc định 100).", en: "At most this many (default 100).")),
                ]
            ) { inv in
                let request = AuditSearchRequest(
                    principal: inv.arguments.value("principal"), method: inv.arguments.value("method"), from: try inv.day("from"),
                    to: try inv.day("to"), limit: try inv.arguments.integer("limit"))
                show(try await inv.call(GatewayAPI.auditSearch, request), inv)
            },
            Command("checkpoint", tr("Kích thước và gốc của nhật ký: hãy giữ dòng SIZE:ROOT ở một nơi ngoài máy này.", en: "The log's size and root: keep the SIZE:ROOT line somewhere off this machine.")) { inv in
                let checkpoint = try await inv.call(GatewayAPI.auditCheckpoint, Empty())
                inv.output.emit(checkpoint) {
                    if inv.output.format == .csv {
                        inv.output.table(["size", "root", "checkpoint"], [[String(checkpoint.size), checkpoint.root, checkpoint.checkpoint]])
                    } else {
                        print(checkpoint.checkpoint)
                    }
                }
            },
            Command(
                "verify", tr("Tính lại băm của mọi mục và gốc; với --checkpoint, chứng minh nhật ký nối tiếp mốc đó.", en: "Recompute every entry's hash and the root; with --checkpoint, prove the log extends it."),
                options: [
                    .option("checkpoint", value: "SIZE:ROOT", help: tr("Một mốc đã giữ từ trước (lặp lại được: với nhiều mốc, thay đổi được định vị giữa hai mốc).", en: "A checkpoint kept from before (repeatable: with several, a change is placed between two)."), repeatable: true),
                    .option("file", value: "path", help: tr("Kiểm tra một bản sao gateway.sqlite tại chỗ, không cần dịch vụ.", en: "Verify a copy of gateway.sqlite offline, without the services.")),
                ]
            ) { inv in
                let result: AuditVerification
                if let path = inv.arguments.value("file") {
                    let checkpoints = try inv.arguments.all("checkpoint").map { text throws(UsageError) -> Checkpoint in
                        guard let parsed = Checkpoint(text) else { throw UsageError(tr("--checkpoint nhận SIZE:ROOT như `pulse audit checkpoint` in ra", en: "--checkpoint takes SIZE:ROOT as `pulse audit checkpoint` prints it")) }
                        return parsed
                    }
                    guard FileManager.default.isReadableFile(atPath: path) else { throw CLIError(tr("không đọc được \(path)", en: "cannot read \(path)")) }
                    let notAudit = tr("\(path) không phải cơ sở dữ liệu nhật ký của gateway; hãy cho một bản sao gateway.sqlite của gateway", en: "\(path) is not a gateway audit database; give a copy of the gateway's gateway.sqlite")
                    guard let db = try? Database(path: path, readOnly: true),
                        (try? db.exists("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'")) == true
                    else { throw CLIError(notAudit + tr(" (kèm tệp -wal bên cạnh, nếu có)", en: " (with its -wal file beside it, if it has one)")) }
                    if !FileManager.default.fileExists(atPath: path + "-wal") {
                        warn(tr("lưu ý: không có \(path)-wal bên cạnh: bản sao của nhật ký đang chạy mà thiếu tệp ghi trước sẽ thiếu các mục mới nhất", en: "note: no \(path)-wal beside it: a copy of a live log without its write-ahead log lacks the latest entries"))
                    }
                    let found = try AuditLog(db).verify(against: checkpoints)
                    result = AuditVerification(size: found.size, root: Checkpoint(size: found.size, root: found.root).rootHex, problems: found.problems)
                } else {
                    result = try await inv.call(GatewayAPI.auditVerify, AuditVerifyRequest(checkpoints: inv.arguments.all("checkpoint")))
                }
                inv.output.emit(result) {
                    if inv.output.format == .csv {
                        let rows = result.problems.isEmpty ? [[String(result.size), result.root, ""]] : result.problems.map { [String(result.size), result.root, $0] }
                        inv.output.table(["size", "root", "problem"], rows)
                    } else if result.problems.isEmpty {
                        print(tr("toàn vẹn: \(result.size) mục, gốc \(result.root)", en: "sound: \(result.size) entries, root \(result.root)"))
                    } else {
                        for problem in result.problems { print(tr("BỊ SỬA: \(problem)", en: "TAMPERED: \(problem)")) }
                    }
                }
                if !result.problems.isEmpty { throw CLIError(tr("nhật ký kiểm tra không toàn vẹn", en: "the audit log does not verify")) }
            },
            Command("prove", tr("Chứng minh một mục nằm trong nhật ký, so với gốc hiện tại.", en: "An entry's inclusion proof against the current root."), arguments: "<seq>") { inv in
                guard let seq = Int(try inv.positional(0, "seq")) else { throw UsageError(tr("<seq> là số thứ tự của một mục", en: "<seq> is an entry's number")) }
                let proof = try await inv.call(GatewayAPI.auditProve, AuditProveRequest(seq: seq))
                inv.output.emit(proof) {
                    if inv.output.format == .csv {
                        let rows = [["leaf", proof.leaf]] + proof.path.enumerated().map { ["path[\($0.offset)]", $0.element] } + [["root", proof.root]]
                        inv.output.table(["step", "hash"], rows)
                        return
                    }
                    let status = StatusCode(rawValue: UInt32(clamping: proof.entry.status)).map { "\($0)" } ?? String(proof.entry.status)
                    print(tr("mục \(proof.entry.seq) trên \(proof.size): \(proof.entry.method) do uid \(proof.entry.uid), trạng thái \(status)", en: "entry \(proof.entry.seq) of \(proof.size): \(proof.entry.method) by uid \(proof.entry.uid), status \(status)"))
                    print("leaf \(proof.leaf)")
                    for (i, hash) in proof.path.enumerated() { print("path[\(i)] \(hash)") }
                    print("root \(proof.root): " + (proof.verified ? tr("đường đi dẫn từ lá tới gốc", en: "the path leads from the leaf to the root") : tr("KHÔNG KHỚP", en: "DOES NOT VERIFY")))
                }
            },
        ])
    }

    static func show(_ list: AuditEntries, _ inv: Invocation) {
        inv.output.emit(list) {
            if list.entries.isEmpty && inv.output.format == .table { return print(tr("không có mục nào khớp", en: "no entries match")) }
            let format = DateFormatter()
            format.dateFormat = "dd/MM/yyyy HH:mm:ss xxx"  // the province's time, with its offset
            format.timeZone = Day.timeZone
            inv.output.table(
                ["seq", tr("thời điểm", en: "time"), "uid", tr("vai trò", en: "role"), tr("phương thức", en: "method"), tr("trạng thái", en: "status"), "µs"],
                list.entries.map { e -> [String] in
                    let time = format.string(from: Date(timeIntervalSince1970: Double(e.at) / 1000))
                    let method = e.method + (e.count.map { " ×\($0)" } ?? "")
                    let status = StatusCode(rawValue: UInt32(clamping: e.status)).map { "\($0)" } ?? String(e.status)
                    return [String(e.seq), time, String(e.uid), e.role ?? tr("(không có)", en: "(none)"), method, status, String(e.microseconds)]
                }, numeric: [0, 2, 6])
        }
    }
}
