import Arguments
import Foundation
import Messages
import Wire

/// The demo's stack with a year of Hà Tĩnh's reports in it and nothing printed: what
/// `pulse-bench cli` times whole `pulse` processes against.
public final class YearOfDataStack: Sendable {
    let stack: DemoStack
    public var socket: String { stack.gatewaySocket }
    /// A service's own socket (`roster`, `report-intake`, `analytics`), behind the gateway.
    public func serviceSocket(_ name: String) -> String { stack.socket(name) }
    /// A directory of the stack's own, removed with it.
    public var directory: String { stack.directory }
    /// A unit with an official and a year of reports, for `report due --unit`.
    public let sampleUnit = "18073"
    /// The monthly reports loaded.
    public let reports: Int

    public init() async throws {
        stack = try DemoStack()
        let now = ISO8601DateFormatter().string(from: Date())
        try await stack.start(clockStart: now)
        let inv = Invocation(arguments: .init(), output: Output(format: .table), socketPath: stack.gatewaySocket)
        _ = try await inv.call(RosterAPI.importUnits, ImportUnitsRequest(dataset: "ha-tinh"))
        let reporting = try await inv.call(RosterAPI.listUnits, ListUnitsRequest(parent: "42", kinds: [.commune, .ward, .subordinateCommittee, .front], asOf: Day.today)).units
        var officials: [String: Int] = [:]
        for (i, unit) in reporting.enumerated() {
            let person = try await inv.call(RosterAPI.addPerson, Person(fullName: DemoCommand.name(i), unit: unit.code, role: .official, joined: Day(year: 2025, month: 7, day: 1)!))
            officials[unit.code] = person.id
            _ = try await inv.call(RosterAPI.assignOfficial, AssignRequest(unit: unit.code, person: person.id!, from: Day(year: 2025, month: 7, day: 15)!))
        }
        let period = Day.today.period
        let archive = DemoData.archive(
            units: reporting.map { ($0.code, $0.fullName, officials[$0.code]!) }, first: Period(index: period.index - 12), last: period.previous,
            surge: ["18775", "18781"], skipLastMonth: [])
        var stored = 0
        for start in stride(from: 0, to: archive.count, by: 400) {
            stored += try await inv.call(IntakeAPI.importArchive, ImportArchiveRequest(reports: Array(archive[start..<min(archive.count, start + 400)]))).stored
        }
        // Analytics follows intake's feed: the figures are there once it has every report.
        let deadline = ContinuousClock.now + .seconds(120)
        while try await inv.call(AnalyticsAPI.ingestStatus, Empty()).reports < stored {
            guard ContinuousClock.now < deadline else { throw CLIError("analytics did not catch up with \(stored) reports within 120 s") }
            try await Task.sleep(for: .milliseconds(100))
        }
        reports = stored
    }


    public func stop() { stack.stop(removeDirectory: true) }
}
