import Foundation
import Messages
import Store
import Text
import Wire

extension IntakeStore {
    /// Applies the current scrubber to every text already stored — reports' assessments and
    /// items, survey titles and questions, free-text answers — in one transaction, then
    /// compacts the file so that the old bytes are gone from it and from its log.
    public func rescrub() async throws -> RescrubResult {
        let (tables, removals) = try await queue.write { db in
            try db.transaction { () throws -> ([RescrubResult.Table], [Scrubber.Removal]) in
                var removals: [Scrubber.Removal] = []
                func clean(_ text: String) -> String {
                    let result = Scrubber.scrub(text)
                    removals += result.removals
                    return result.text
                }
                let reports = try IntakeStore.rescrub(db, "reports", ["assessment", "items"]) { row in
                    let assessment: String = try row.get(1)
                    let items = try CBORDecoder().decode([OpinionItem].self, from: row.get(2, as: [UInt8].self))
                    var cleaned = items
                    for i in cleaned.indices {
                        cleaned[i].summary = clean(cleaned[i].summary)
                        cleaned[i].proposal = cleaned[i].proposal.map(clean)
                    }
                    let newAssessment = clean(assessment)
                    return newAssessment == assessment && cleaned == items ? nil : [newAssessment, try CBOREncoder().encode(cleaned)]
                }
                let surveys = try IntakeStore.rescrub(db, "surveys", ["title", "questions"]) { row in
                    let title: String = try row.get(1)
                    let questions = try CBORDecoder().decode([Question].self, from: row.get(2, as: [UInt8].self))
                    var cleaned = questions
                    for i in cleaned.indices {
                        cleaned[i].text = clean(cleaned[i].text)
                        cleaned[i].options = cleaned[i].options?.map(clean)
                    }
                    let newTitle = clean(title)
                    return newTitle == title && cleaned == questions ? nil : [newTitle, try CBOREncoder().encode(cleaned)]
                }
                let responses = try IntakeStore.rescrub(db, "responses", ["answers"]) { row in
                    let answers = try CBORDecoder().decode([Answer].self, from: row.get(1, as: [UInt8].self))
                    var cleaned = answers
                    for i in cleaned.indices { cleaned[i].text = cleaned[i].text.map(clean) }
                    return cleaned == answers ? nil : [try CBOREncoder().encode(cleaned)]
                }
                let tables = [reports, surveys, responses]
                return (tables, removals)
            }
        }
        let compacted = try await queue.compact()
        return RescrubResult(service: IntakeAPI.service, tables: tables, removed: ReportValidation.counts(removals), compacted: compacted)
    }

    /// Reads `columns` of every row of `table` (with its id first) and writes back the values
    /// `rewrite` returns for them; nil leaves the row as it is.
    static func rescrub(_ db: Database, _ table: String, _ columns: [String], _ rewrite: (Row) throws -> [any SQLConvertible]?) throws -> RescrubResult.Table {
        var counts = RescrubResult.Table(name: table, rows: 0, changed: 0)
        let assignments = columns.map { "\($0) = ?" }.joined(separator: ", ")
        for row in try db.query("SELECT id, \(columns.joined(separator: ", ")) FROM \(table)") {
            counts.rows += 1
            guard let values = try rewrite(row) else { continue }
            counts.changed += 1
            try db.run("UPDATE \(table) SET \(assignments) WHERE id = ?", values + [try row.get(0, as: Int64.self)])
        }
        return counts
    }
}
