import Arguments
import Daemon
import Notification
import RPC

await Daemon.main(
    name: "notification", serviceName: NotificationService.name,
    abstract: "the outbox: notices from intake's feed, delivered to a Maildir.",
    options: [
        .option("intake", value: "path", help: "report-intake's socket (required)."),
        .option("analytics", value: "path", help: "analytics' socket: spikes become alerts to the commission."),
    ]
) { context in
    let store = try NotificationStore(directory: context.dataDirectory)
    let intake = RPCClient(path: try context.arguments.required("intake"))
    let analytics = context.arguments.value("analytics").map { RPCClient(path: $0) }
    return Daemon.Setup(
        router: NotificationService.router(store),
        onStart: { await NotificationService.follow(store: store, intake: intake, analytics: analytics, logger: context.logger) })
}
