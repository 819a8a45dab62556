import Foundation
import Messages
import Store
import Text

extension RosterStore {
    /// Applies the current scrubber to the only free text roster stores about anyone but its
    /// own people — plan task titles and completion notes — then compacts the file.
    public func rescrub() async throws -> RescrubResult {
        let (tables, removals) = try await queue.write { db in
            try db.transaction { () throws -> ([RescrubResult.Table], [Scrubber.Removal]) in
                var removals: [Scrubber.Removal] = []
                var tables: [RescrubResult.Table] = []
                for (table, column) in [("plan_tasks", "title"), ("task_completions", "note")] {
                    var counts = RescrubResult.Table(name: table, rows: 0, changed: 0)
                    for row in try db.query("SELECT rowid, \(column) FROM \(table)") {
                        counts.rows += 1
                        guard let text = try row.get(1, as: String?.self) else { continue }
                        let result = Scrubber.scrub(text)
                        guard !result.removals.isEmpty else { continue }
                        removals += result.removals
                        counts.changed += 1
                        try db.run("UPDATE \(table) SET \(column) = ? WHERE rowid = ?", [result.text, row.get(0, as: Int64.self)])
                    }
                    tables.append(counts)
                }
                return (tables, removals)
            }
        }
        let compacted = try await queue.compact()
        let counts = Scrubber.counts(removals).map { ScrubCount(kind: $0.kind.rawValue, count: $0.count) }
        return RescrubResult(service: RosterAPI.service, tables: tables, removed: counts, compacted: compacted)
    }
}
