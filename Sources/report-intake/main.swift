import Arguments
import Base
import Foundation
import Daemon
import Intake
import Messages
import RPC

await Daemon.main(
    name: "report-intake", serviceName: IntakeService.name,
    abstract: "monthly opinion reports and surveys: validated against roster, scrubbed, committed before acknowledged.",
    options: [
        .option("roster", value: "path", help: "roster's socket, for checking units, people and topics (required)."),
        .option("due-day", value: "day", help: "Reports are due before this day of the month, Asia/Ho_Chi_Minh time (default 25)."),
        .option("clock-start", value: "instant", help: "For demos and drills only: the clock starts at this ISO 8601 instant and runs on from there."),
    ]
) { context in
    let rosterSocket = try context.arguments.required("roster")
    let dueDay = try context.arguments.integer("due-day") ?? 25
    guard (1...28).contains(dueDay) else { throw UsageError("--due-day must be 1 to 28") }
    var configuration = IntakeConfiguration(dueDay: dueDay)
    if let text = context.arguments.value("clock-start") {
        guard let start = ISO8601DateFormatter().date(from: text) else { throw UsageError("--clock-start takes an ISO 8601 instant like 2026-11-20T09:00:00+07:00") }
        PulseClock.start(at: start)
        configuration.clock = { PulseClock.now }
        context.logger.warning("demo clock: the time is taken as \(text) at start-up")
    }
    let store = try IntakeStore(
        path: context.dataDirectory + "/intake.sqlite", roster: RosterLookup(client: RPCClient(path: rosterSocket)),
        configuration: configuration)
    return Daemon.Setup(router: IntakeService.router(store), unitScope: store.roster)
}
