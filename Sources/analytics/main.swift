import Analytics
import Arguments
import Daemon
import RPC

await Daemon.main(
    name: "analytics", serviceName: AnalyticsService.name,
    abstract: "aggregates derived from intake's change feed and roster's units: completeness, trends, spikes, rankings.",
    options: [
        .option("intake", value: "path", help: "report-intake's socket (required)."),
        .option("roster", value: "path", help: "roster's socket (required)."),
        .option("due-day", value: "day", help: "Reports are due before this day of the month (default 25)."),
    ]
) { context in
    let store = try AnalyticsStore(path: context.dataDirectory + "/analytics.sqlite", dueDay: try context.arguments.integer("due-day") ?? 25)
    let follower = FeedFollower(
        store: store, intake: RPCClient(path: try context.arguments.required("intake")),
        roster: RPCClient(path: try context.arguments.required("roster")), logger: context.logger)
    return Daemon.Setup(router: AnalyticsService.router(store), onStart: { await follower.run() })
}
