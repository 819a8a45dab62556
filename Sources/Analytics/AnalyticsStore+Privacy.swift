import Foundation
import Messages
import Store
import Text

extension AnalyticsStore {
    /// Applies the current scrubber to every item's text and rebuilds its full-text entry, in
    /// one transaction; then merges the index and compacts the file, so that the old text is
    /// gone from the index's segments, the free pages and the write-ahead log.
    public func rescrub() async throws -> RescrubResult {
        let (table, removals) = try await queue.write { db in
            try db.transaction { () throws -> (RescrubResult.Table, [Scrubber.Removal]) in
                var removals: [Scrubber.Removal] = []
                var items = RescrubResult.Table(name: "items", rows: 0, changed: 0)
                for row in try db.query("SELECT id, summary FROM items") {
                    items.rows += 1
                    let summary: String = try row.get(1)
                    let result = Scrubber.scrub(summary)
                    guard !result.removals.isEmpty else { continue }
                    removals += result.removals
                    items.changed += 1
                    let id: Int64 = try row.get(0)
                    try db.run("UPDATE items SET summary = ? WHERE id = ?", [result.text, id])
                }
                // The text kept as of each deadline, for partners, likewise.
                for row in try db.query("SELECT rowid, summary FROM deadline_items") {
                    let summary: String = try row.get(1)
                    let result = Scrubber.scrub(summary)
                    guard !result.removals.isEmpty else { continue }
                    removals += result.removals
                    try db.run("UPDATE deadline_items SET summary = ? WHERE rowid = ?", [result.text, row.get(0, as: Int64.self)])
                }
                // The index is rebuilt whole from the scrubbed text, so that it holds nothing the
                // items do not (text folded for search can differ from what was scrubbed).
                try db.run("DELETE FROM items_fts")
                for row in try db.query("SELECT id, summary FROM items") {
                    try db.run("INSERT INTO items_fts (rowid, folded) VALUES (?, ?)", [row.get(0, as: Int64.self), Folding.fold(try row.get(1, as: String.self))])
                }
                try db.run("INSERT INTO items_fts (items_fts) VALUES ('optimize')")
                return (items, removals)
            }
        }
        let compacted = try await queue.compact()
        let counts = Scrubber.counts(removals).map { ScrubCount(kind: $0.kind.rawValue, count: $0.count) }
        return RescrubResult(service: AnalyticsAPI.service, tables: [table], removed: counts, compacted: compacted)
    }
}
