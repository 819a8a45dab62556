import Arguments
import Audit
import Base
import Foundation
import Messages
import Store
import Wire

/// `pulse audit`: the gateway's tamper-evident log, for auditors and administrators.
enum AuditCommands {
    static let audit = Command(
        "audit", "The gateway's audit log: every call, under a Merkle tree (RFC 9162) an auditor can check.",
        subcommands: [
            Command("tail", "The latest entries.", options: [.option("n", short: "n", value: "count", help: "How many (default 20).")]) { inv in
                let count = try inv.arguments.integer("n")
                if let count, count < 1 { throw UsageError("-n takes how many entries to show, 1 or more") }
                let list = try await inv.call(GatewayAPI.auditTail, AuditTailRequest(count: count))
                show(list, inv)
            },
            Command(
                "search", "Entries by principal (uid, user, role or agency), method and days.",
                options: [
                    .option("principal", value: "who", help: "A uid, user name, role or agency."),
                    .option("method", value: "text", help: "Part of a method's name."),
                    .option("from", value: "YYYY-MM-DD", help: "From this day."), .option("to", value: "YYYY-MM-DD", help: "To this day."),
                    .option("limit", value: "n", help: "At most this many (default 100)."),
                ]
            ) { inv in
                let request = AuditSearchRequest(
                    principal: inv.arguments.value("principal"), method: inv.arguments.value("method"), from: try inv.day("from"),
                    to: try inv.day("to"), limit: try inv.arguments.integer("limit"))
                show(try await inv.call(GatewayAPI.auditSearch, request), inv)
            },
            Command("checkpoint", "The log's size and root: keep the SIZE:ROOT line somewhere off this machine.") { inv in
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
                "verify", "Recompute every entry's hash and the root; with --checkpoint, prove the log extends it.",
                options: [
                    .option("checkpoint", value: "SIZE:ROOT", help: "A checkpoint kept from before (repeatable: with several, a change is placed between two).", repeatable: true),
                    .option("file", value: "path", help: "Verify a copy of gateway.sqlite offline, without the services."),
                ]
            ) { inv in
                let result: AuditVerification
                if let path = inv.arguments.value("file") {
                    let checkpoints = try inv.arguments.all("checkpoint").map { text throws(UsageError) -> Checkpoint in
                        guard let parsed = Checkpoint(text) else { throw UsageError("--checkpoint takes SIZE:ROOT as `pulse audit checkpoint` prints it") }
                        return parsed
                    }
                    guard FileManager.default.isReadableFile(atPath: path) else { throw CLIError("cannot read \(path)") }
                    let notAudit = "\(path) is not a gateway audit database; give a copy of the gateway's gateway.sqlite"
                    guard let db = try? Database(path: path, readOnly: true),
                        (try? db.exists("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'")) == true
                    else { throw CLIError(notAudit + " (with its -wal file beside it, if it has one)") }
                    if !FileManager.default.fileExists(atPath: path + "-wal") {
                        FileHandle.standardError.write(Data("note: no \(path)-wal beside it: a copy of a live log without its write-ahead log lacks the latest entries\n".utf8))
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
                        print("sound: \(result.size) entries, root \(result.root)")
                    } else {
                        for problem in result.problems { print("TAMPERED: \(problem)") }
                    }
                }
                if !result.problems.isEmpty { throw CLIError("the audit log does not verify") }
            },
            Command("prove", "An entry's inclusion proof against the current root.", arguments: "<seq>") { inv in
                guard let seq = Int(try inv.positional(0, "seq")) else { throw UsageError("<seq> is an entry's number") }
                let proof = try await inv.call(GatewayAPI.auditProve, AuditProveRequest(seq: seq))
                inv.output.emit(proof) {
                    if inv.output.format == .csv {
                        let rows = [["leaf", proof.leaf]] + proof.path.enumerated().map { ["path[\($0.offset)]", $0.element] } + [["root", proof.root]]
                        inv.output.table(["step", "hash"], rows)
                        return
                    }
                    let status = StatusCode(rawValue: UInt32(clamping: proof.entry.status)).map { "\($0)" } ?? String(proof.entry.status)
                    print("entry \(proof.entry.seq) of \(proof.size): \(proof.entry.method) by uid \(proof.entry.uid), status \(status)")
                    print("leaf \(proof.leaf)")
                    for (i, hash) in proof.path.enumerated() { print("path[\(i)] \(hash)") }
                    print("root \(proof.root): \(proof.verified ? "the path leads from the leaf to the root" : "DOES NOT VERIFY")")
                }
            },
        ])

    static func show(_ list: AuditEntries, _ inv: Invocation) {
        inv.output.emit(list) {
            if list.entries.isEmpty && inv.output.format == .table { return print("no entries match") }
            let format = DateFormatter()
            format.dateFormat = "dd/MM/yyyy HH:mm:ss xxx"  // the province's time, with its offset
            format.timeZone = Day.timeZone
            inv.output.table(
                ["seq", "time", "uid", "role", "method", "status", "µs"],
                list.entries.map { e -> [String] in
                    let time = format.string(from: Date(timeIntervalSince1970: Double(e.at) / 1000))
                    let method = e.method + (e.count.map { " ×\($0)" } ?? "")
                    let status = StatusCode(rawValue: UInt32(clamping: e.status)).map { "\($0)" } ?? String(e.status)
                    return [String(e.seq), time, String(e.uid), e.role ?? "(none)", method, status, String(e.microseconds)]
                }, numeric: [0, 2, 6])
        }
    }
}
