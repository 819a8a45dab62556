import Base
import Foundation
import Localization
import Messages
import RPC
import Text

/// Reads a units CSV into checked units, collecting every problem with its line number.
enum UnitImport {
    static let known = ["code", "name", "kind", "parent", "population", "valid_from", "valid_to", "predecessors", "part_of", "name_en", "agency"]

    static func failure(_ problems: [String]) -> RPCError {
        let shown = problems.prefix(20).joined(separator: "; ")
        let more = problems.count > 20 ? "; and \(problems.count - 20) more" : ""
        return RPCError(.invalidArgument, tr("không nhập gì: \(shown)\(more)", en: "nothing was imported: \(shown)\(more)"))
    }

    static func parse(_ request: ImportUnitsRequest) throws -> [(line: Int, unit: OrgUnit)] {
        let records: [(line: Int, fields: [String])]
        do { records = try CSV.parse(request.csv.hasPrefix("\u{FEFF}") ? String(request.csv.dropFirst()) : request.csv) } catch {
            throw RPCError(.invalidArgument, "csv: \(error)")
        }
        guard let header = records.first else { throw RPCError(.invalidArgument, tr("csv: tệp trống", en: "csv: the file is empty")) }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for required in ["code", "name", "kind"] where !columns.contains(required) {
            throw RPCError(.invalidArgument, tr("csv: dòng 1: tiêu đề thiếu cột \"\(required)\" (cần code, name, kind)", en: "csv: line 1: the header has no \"\(required)\" column (it needs code, name, kind)"))
        }
        if let unknown = columns.first(where: { !known.contains($0) }) {
            throw RPCError(.invalidArgument, tr("csv: dòng 1: không biết cột \"\(unknown)\"; các cột: \(known.joined(separator: ", "))", en: "csv: line 1: unknown column \"\(unknown)\"; known columns: \(known.joined(separator: ", "))"))
        }
        var problems: [String] = []
        var units: [(Int, OrgUnit)] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            let line = record.line
            guard record.fields.count == columns.count else {
                problems.append(tr("dòng \(line): \(record.fields.count) trường trong khi tiêu đề có \(columns.count)", en: "line \(line): \(record.fields.count) fields where the header has \(columns.count)"))
                continue
            }
            var field: [String: String] = [:]
            for (name, value) in zip(columns, record.fields) {
                let v = value.trimmingCharacters(in: .whitespaces)
                if !v.isEmpty { field[name] = v }
            }
            let code = field["code"] ?? ""
            guard let kindText = field["kind"], let kind = UnitKind(text: kindText) else {
                problems.append("line \(line): kind: \"\(field["kind"] ?? "")\" is not a unit kind (\(UnitKind.allCases.map(\.rawValue).joined(separator: ", ")), or xã/phường)")
                continue
            }
            guard let from = field["valid_from"].map({ Day.typed($0) }) ?? request.defaultValidFrom else {
                problems.append("line \(line): valid_from: \"\(field["valid_from"] ?? "")\" is not a date YYYY-MM-DD" + (field["valid_from"] == nil ? " (the column is empty and no default was given)" : ""))
                continue
            }
            var validTo: Day?
            if let text = field["valid_to"] {
                guard let d = Day.typed(text) else {
                    problems.append(tr("dòng \(line): valid_to: \"\(text)\" không phải ngày YYYY-MM-DD", en: "line \(line): valid_to: \"\(text)\" is not a date YYYY-MM-DD"))
                    continue
                }
                validTo = d
            }
            var population: Int?
            if let text = field["population"] {
                guard let p = Int(text), p >= 0 else {
                    problems.append(tr("dòng \(line): population: \"\(text)\" không phải số người nguyên", en: "line \(line): population: \"\(text)\" is not a whole number of people"))
                    continue
                }
                population = p
            }
            let predecessors = (field["predecessors"] ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let partOf = (field["part_of"] ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            var unit = OrgUnit(
                code: code, kind: kind, nameVi: field["name"] ?? "", nameEn: field["name_en"], parent: field["parent"] ?? request.defaultParent,
                validFrom: from, validTo: validTo, predecessors: predecessors, population: population, agency: field["agency"] ?? "commission")
            unit.partOf = partOf.isEmpty ? nil : partOf
            let checked: OrgUnit
            switch Result(catching: { () throws(RPCError) -> OrgUnit in try RosterStore.checked(unit, field: "") }) {
            case .success(let u): checked = u
            case .failure(let error):
                problems.append(tr("dòng \(line): \(error.message)", en: "line \(line): \(error.message)"))
                continue
            }
            if let first = seen[checked.code] {
                problems.append(tr("dòng \(line): code: \"\(checked.code)\" xuất hiện lại (lần đầu ở dòng \(first))", en: "line \(line): code: \"\(checked.code)\" appears again (first on line \(first))"))
                continue
            }
            seen[checked.code] = line
            units.append((line, checked))
        }
        guard problems.isEmpty else { throw failure(problems) }
        return units.map { (line: $0.0, unit: $0.1) }
    }
}
