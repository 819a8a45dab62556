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
                var tables: [RescrubResult.Table] = []

                var reports = RescrubResult.Table(name: "reports", rows: 0, changed: 0)
                for row in try db.query("SELECT id, assessment, items FROM reports") {
                    reports.rows += 1
                    let assessment: String = try row.get(1)
                    let items = try CBORDecoder().decode([OpinionItem].self, from: row.get(2, as: [UInt8].self))
                    var cleaned = items
                    for i in cleaned.indices {
                        cleaned[i].summary = clean(cleaned[i].summary)
                        cleaned[i].proposal = cleaned[i].proposal.map(clean)
                    }
                    let newAssessment = clean(assessment)
                    guard newAssessment != assessment || cleaned != items else { continue }
                    reports.changed += 1
                    try db.run("UPDATE reports SET assessment = ?, items = ? WHERE id = ?", [newAssessment, try CBOREncoder().encode(cleaned), row.get(0, as: Int64.self)])
                }
                tables.append(reports)

                var surveys = RescrubResult.Table(name: "surveys", rows: 0, changed: 0)
                for row in try db.query("SELECT id, title, questions FROM surveys") {
                    surveys.rows += 1
                    let title: String = try row.get(1)
                    let questions = try CBORDecoder().decode([Question].self, from: row.get(2, as: [UInt8].self))
                    var cleaned = questions
                    for i in cleaned.indices {
                        cleaned[i].text = clean(cleaned[i].text)
                        cleaned[i].options = cleaned[i].options?.map(clean)
                    }
                    let newTitle = clean(title)
                    guard newTitle != title || cleaned != questions else { continue }
                    surveys.changed += 1
                    try db.run("UPDATE surveys SET title = ?, questions = ? WHERE id = ?", [newTitle, try CBOREncoder().encode(cleaned), row.get(0, as: Int64.self)])
                }
                tables.append(surveys)

                var responses = RescrubResult.Table(name: "responses", rows: 0, changed: 0)
                for row in try db.query("SELECT id, answers FROM responses") {
                    responses.rows += 1
                    let answers = try CBORDecoder().decode([Answer].self, from: row.get(1, as: [UInt8].self))
                    var cleaned = answers
                    for i in cleaned.indices { cleaned[i].text = cleaned[i].text.map(clean) }
                    guard cleaned != answers else { continue }
                    responses.changed += 1
                    try db.run("UPDATE responses SET answers = ? WHERE id = ?", [try CBOREncoder().encode(cleaned), row.get(0, as: Int64.self)])
                }
                tables.append(responses)
                return (tables, removals)
            }
        }
        let compacted = try await queue.compact()
        return RescrubResult(service: IntakeAPI.service, tables: tables, removed: ReportValidation.counts(removals), compacted: compacted)
    }
}
