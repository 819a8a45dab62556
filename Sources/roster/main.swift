import Daemon
import Roster

await Daemon.main(
    name: "roster", serviceName: RosterService.name,
    abstract: "the network's reference data: units, officials, collaborators, topics and plan tasks."
) { context in
    let store = try RosterStore(path: context.dataDirectory + "/roster.sqlite")
    return Daemon.Setup(router: RosterService.router(store), unitScope: RosterUnitScope(store))
}
