import Arguments
import Daemon
import Intake
import RPC

await Daemon.main(
    name: "report-intake", serviceName: IntakeService.name,
    abstract: "monthly opinion reports and surveys: validated against roster, scrubbed, committed before acknowledged.",
    options: [
        .option("roster", value: "path", help: "roster's socket, for checking units, people and topics (required)."),
        .option("due-day", value: "day", help: "Reports are due before this day of the month, Asia/Ho_Chi_Minh time (default 25)."),
    ]
) { context in
    let rosterSocket = try context.arguments.required("roster")
    let dueDay = try context.arguments.integer("due-day") ?? 25
    guard (1...28).contains(dueDay) else { throw UsageError("--due-day must be 1 to 28") }
    let store = try IntakeStore(
        path: context.dataDirectory + "/intake.sqlite", roster: RosterLookup(client: RPCClient(path: rosterSocket)),
        configuration: IntakeConfiguration(dueDay: dueDay))
    return Daemon.Setup(router: IntakeService.router(store))
}
