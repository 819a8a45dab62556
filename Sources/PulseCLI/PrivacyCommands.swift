import Arguments
import Foundation
import Messages
import Privacy
import Wire

/// `pulse privacy`: proof that what Pulse stores holds no personal identifiers.
enum PrivacyCommands {
    static let privacy = Command(
        "privacy", "Check the stored data for personal identifiers, and scrub what is already stored.",
        subcommands: [
            Command(
                "scan", "Scan every file under a data directory (databases, free pages, logs) for identifiers; exit 1 if any is found, 2 if the scan could not be done.",
                arguments: "<dir>", options: [.flag("quiet", short: "q", help: "Print only the summary line.")]
            ) { inv in
                let directory = try inv.positional(0, "dir")
                let quiet = inv.arguments.has("quiet")
                let report: PrivacyScan.Report
                do {
                    report = try PrivacyScan(directory: directory).run { path, size in
                        if !quiet && inv.output.format != .json && size > 64 << 20 { warn("scanning \(path) (\(size / (1 << 20)) MiB)…") }
                    }
                } catch let error as ScanError {
                    throw CLIError(error.description, exitCode: 2)
                }
                if report.files == 0 { throw CLIError("\(directory): no file to scan; give the data directory (/var/lib/pulse)", exitCode: 2) }
                inv.output.emit(report) {
                    if !quiet {
                        inv.output.table(["file", "offset", "kind", "found"], report.findings.map { [$0.file, String($0.offset), $0.kind, $0.masked] }, numeric: [1])
                    }
                    let size = String(format: "%.1f", Double(report.bytes) / 1_048_576)
                    let exempt = report.exempt > 0 ? "; \(report.exempt) of the network's own contacts (roster), which Pulse keeps" : ""
                    inv.output.note("\(report.findings.count) identifiers found in \(report.files) files (\(size) MiB, \(String(format: "%.2f", report.seconds)) s)\(exempt)")
                }
                if !report.findings.isEmpty {
                    throw CLIError("personal identifiers are stored under \(directory); run `pulse privacy rescrub` and scan again")
                }
            },
            Command("rescrub", "Apply the current scrubber to all text already stored (reports, answers, analytics' items and index, plan notes), in place.") { inv in
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
                    inv.output.table(["service", "table", "rows", "changed"], rows, numeric: [2, 3])
                    let removed = Dictionary(results.flatMap(\.removed).map { ($0.kind, $0.count) }, uniquingKeysWith: +)
                    inv.output.note(removed.isEmpty ? "nothing to remove: everything stored was already scrubbed" : "removed: " + removed.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
                    if results.contains(where: { !$0.compacted }) { warn("a write-ahead log could not be emptied while another reader held it; run rescrub again when the services are quiet") }
                }
            },
        ])
}
