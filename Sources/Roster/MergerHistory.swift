import Base
import Foundation
import Messages
import RPC
import Text

/// The 1 July 2025 merger of Hà Tĩnh's communes, wards and townships, read from the shipped
/// table: the old units (under their abolished districts, valid until 30 June 2025) and, for each
/// new unit, what it was formed from.
///
/// Old units are coded `CODE-cu` ("cũ", old): CODE is the NSO code in force until the merger, and every new
/// unit reuses one of them (18073 was Phường Nam Hà and is now Phường Thành Sen). A split old unit
/// is a predecessor of the new unit that took its main part, whose history it becomes, and only
/// "part of" the others.
struct MergerHistory {
    static let mergerDay = Day(year: 2025, month: 7, day: 1)!
    /// Where the old units' validity starts: Pulse's records begin no earlier.
    static let historyStart = Day(year: 2000, month: 1, day: 1)!

    /// The old districts, then the old communes, wards and townships.
    private(set) var oldUnits: [OrgUnit] = []
    private var predecessors: [String: [String]] = [:]
    private var partOf: [String: [String]] = [:]

    static func oldCode(_ code: String) -> String { code + "-cu" }

    init(csv: String, province: String) throws {
        let records = try CSV.parse(csv)
        guard let header = records.first?.fields else { throw RPCError(.internal, "the merger table is empty") }
        let column = Dictionary(header.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let needed = ["old_code", "old_name", "old_kind", "old_district_code", "old_district_name", "new_code", "part", "main_successor"]
        guard needed.allSatisfy({ column[$0] != nil }) else { throw RPCError(.internal, "the merger table lacks one of \(needed.joined(separator: ", "))") }
        var districts: [String: String] = [:]
        var old: [String: OrgUnit] = [:]
        for record in records.dropFirst() where record.fields.count == header.count {
            func field(_ name: String) -> String { record.fields[column[name]!].trimmingCharacters(in: .whitespaces) }
            let district = field("old_district_code")
            districts[district] = field("old_district_name")
            let code = MergerHistory.oldCode(field("old_code"))
            let kind: UnitKind = switch field("old_kind") {
            case "phường": .ward
            case "thị trấn": .township
            default: .commune
            }
            old[code] = OrgUnit(
                code: code, kind: kind, nameVi: field("old_name"), parent: district, validFrom: MergerHistory.historyStart, validTo: MergerHistory.mergerDay)
            let successor = field("new_code")
            if field("part") == "whole" || field("main_successor") == "yes" {
                predecessors[successor, default: []].append(code)
            } else {
                partOf[successor, default: []].append(code)
            }
        }
        oldUnits = districts.sorted { $0.key < $1.key }.map {
            OrgUnit(code: $0.key, kind: .district, nameVi: $0.value, parent: province, validFrom: MergerHistory.historyStart, validTo: MergerHistory.mergerDay)
        } + old.values.sorted { $0.code < $1.code }
    }

    /// A new unit with what it was formed from.
    func withLineage(_ unit: OrgUnit) -> OrgUnit {
        var unit = unit
        unit.predecessors = (predecessors[unit.code] ?? []).sorted()
        let parts = (partOf[unit.code] ?? []).sorted()
        unit.partOf = parts.isEmpty ? nil : parts
        return unit
    }
}
