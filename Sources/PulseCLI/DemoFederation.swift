import Arguments
import Digest
import Foundation
import Localization
import Messages
import Wire

/// The demo's federation: the provincial police party committee and the Fatherland Front each
/// run their own services for their own units; a second gateway gives one view across the three
/// agencies. Then the month's digest, written where it outlives the demo.
enum DemoFederation {
    static let police = [("42-CA-ANCT", "Chi bộ Phòng An ninh chính trị nội bộ"), ("42-CA-CSHS", "Chi bộ Phòng Cảnh sát hình sự")]
    static let front = [("42-MT-HND", "Hội Nông dân tỉnh"), ("42-MT-HPN", "Hội Liên hiệp Phụ nữ tỉnh"), ("42-MT-TD", "Tỉnh đoàn")]

    static func run(_ inv: Invocation, stack: DemoStack, period: Period, clockStart: String) async throws {
        var officials: [String: Int] = [:]
        for (agency, units, kind) in [("police", police, UnitKind.subordinateCommittee), ("front", front, .front)] {
            try await stack.startAgency(agency, clockStart: clockStart)
            // The agency's own administrator loads its units and officials into its own roster.
            let roster = Invocation(arguments: ParsedArguments(), output: inv.output, socketPath: stack.socket("\(agency)-roster"))
            let csv = "code,name,kind,parent,valid_from,agency\n42,Hà Tĩnh,province,,2025-07-01,\(agency)\n"
                + units.map { "\($0.0),\($0.1),\(kind.rawValue),42,2025-07-01,\(agency)" }.joined(separator: "\n") + "\n"
            _ = try await roster.call(RosterAPI.importUnits, ImportUnitsRequest(csv: csv))
            for (i, unit) in units.enumerated() {
                let person = try await roster.call(RosterAPI.addPerson, Person(fullName: DemoCommand.name(400 + i), unit: unit.0, role: .official, joined: Day(year: 2025, month: 7, day: 1)!))
                _ = try await roster.call(RosterAPI.assignOfficial, AssignRequest(unit: unit.0, person: person.id!, from: Day(year: 2025, month: 7, day: 15)!))
                officials[unit.0] = person.id
            }
        }
        let agencies = [
            (name: "commission", label: tr("Ban Tuyên giáo và Dân vận", en: "the commission"), prefix: ""),
            (name: "police", label: tr("Đảng ủy Công an tỉnh", en: "the police party committee"), prefix: "police-"),
            (name: "front", label: tr("Mặt trận Tổ quốc tỉnh", en: "the Fatherland Front"), prefix: "front-"),
        ]
        let socket = try await stack.startFederatingGateway(agencies: agencies)
        let federated = Invocation(arguments: ParsedArguments(), output: inv.output, socketPath: socket)
        print(tr("gateway thứ hai trên ba cơ quan: \(agencies.map(\.label).joined(separator: ", ")); mỗi cơ quan chạy roster, report-intake, analytics của mình",
                 en: "a second gateway over three agencies: \(agencies.map(\.label).joined(separator: ", ")); each runs its own roster, report-intake and analytics"))
        // Reports sent through the one gateway go to the agency that owns the unit.
        for (unit, _) in [police[0], front[0], front[1]] {
            let draft = ReportDraft(
                unit: unit, period: period, submitter: officials[unit] ?? 1, assessment: "Tư tưởng cán bộ, hội viên ổn định.",
                items: [OpinionItem(topic: "an-ninh-trat-tu", summary: "Hội viên phản ánh tình trạng lừa đảo qua mạng xã hội tăng, đề nghị tăng cường tuyên truyền.", prevalence: .some, trend: .rising, sentiment: -1, channels: [.meetings])],
                idempotencyKey: "demo-fed-\(unit)-\(period)")
            let stored = try await federated.call(IntakeAPI.submitReport, draft)
            print("  \(unit) → " + tr("lưu ở cơ quan của đơn vị, phiên bản \(stored.report.version)", en: "stored by the unit's own agency, version \(stored.report.version)"))
        }
        // Analytics of each agency follows its own intake: wait until the merged view has them.
        let deadline = ContinuousClock.now + .seconds(30)
        var merged = try await federated.call(AnalyticsAPI.completeness, CompletenessRequest(period: period))
        while merged.rows.filter({ $0.unit.hasPrefix("42-CA") || $0.unit.hasPrefix("42-MT") }).filter({ $0.state != .missing }).count < 3 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            merged = try await federated.call(AnalyticsAPI.completeness, CompletenessRequest(period: period))
        }
        let owner = Dictionary(try await federated.call(RosterAPI.listUnits, ListUnitsRequest()).units.map { ($0.code, $0.agency) }, uniquingKeysWith: { a, _ in a })
        print(tr("\nToàn tỉnh, tháng \(period.text): \(merged.reported) trên \(merged.expected) đơn vị đã báo cáo (\(Output.percent(merged.reportingRate))), \(merged.onTime) đúng hạn",
                 en: "\nProvince-wide, \(period.text): \(merged.reported) of \(merged.expected) units reported (\(Output.percent(merged.reportingRate))), \(merged.onTime) on time"))
        for agency in agencies {
            let rows = merged.rows.filter { (owner[$0.unit] ?? "commission") == agency.name }
            let reported = rows.filter { $0.state == .onTime || $0.state == .late }.count
            print("  \(Output.pad(agency.label, 28)) " + tr("\(reported) trên \(rows.count) đơn vị", en: "\(reported) of \(rows.count) units"))
        }
    }

    /// Last month's digest, written beside the system's temporary files, where it outlives the demo.
    static func digest(_ inv: Invocation, period: Period) async throws {
        let data = try await DigestCommand.gather(inv, from: period, to: period, directory: try await DigestCommand.Directory.load(inv))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-demo-digest-\(period).html").path
        guard FileManager.default.createFile(atPath: path, contents: Data(DigestPage.render([data]).utf8)) else {
            throw CLIError(tr("không ghi được \(path)", en: "cannot write \(path)"))
        }
        print(tr("bản tổng hợp tháng \(period.text) gửi Ban Thường vụ: \(path) (mở bằng trình duyệt, in khổ A4)", en: "the digest of \(period.text) for the standing committee: \(path) (open it in a browser, print on A4)"))
    }
}
