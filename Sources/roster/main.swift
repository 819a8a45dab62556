import Arguments
import Base
import Daemon
import Messages
import Roster

await Daemon.main(
    name: "roster", serviceName: RosterService.name,
    abstract: "the network's reference data: units, officials, collaborators, topics and plan tasks.",
    options: [.option("clock-start", value: "instant", help: "For demos and drills only: the clock starts at this ISO 8601 instant and runs on from there.")]
) { context in
    if let text = context.arguments.value("clock-start") {
        guard PulseClock.start(iso8601: text) else { throw UsageError("--clock-start takes an ISO 8601 instant like 2026-11-20T09:00:00+07:00") }
        context.logger.warning("demo clock: the time is taken as \(text) at start-up")
    }
    let store = try RosterStore(path: context.dataDirectory + "/roster.sqlite")
    return Daemon.Setup(router: RosterService.router(store), unitScope: RosterUnitScope(store))
}
