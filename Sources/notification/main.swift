import Arguments
import Base
import Daemon
import Notification
import RPC

await Daemon.main(
    name: "notification", serviceName: NotificationService.name,
    abstract: "reminders, escalations and alerts, recorded once in an outbox and delivered by SMTP, sendmail, a Maildir or a hook.",
    options: NotificationOptions.specs
) { context in
    let arguments = context.arguments
    let intake = RPCClient(path: try arguments.required("intake"))
    let roster = RPCClient(path: try arguments.required("roster"))
    let clock = try NotificationOptions.clock(arguments)
    if arguments.value("clock-start") != nil { context.logger.warning("demo clock: the time is taken as \(arguments.value("clock-start") ?? "") at start-up") }
    let engine = NotificationEngine(
        store: try NotificationStore(directory: context.dataDirectory),
        templates: try NotificationOptions.templates(arguments),
        rules: NoticeRules(try NotificationOptions.rules(arguments)),
        channel: try NotificationOptions.channel(arguments, dataDirectory: context.dataDirectory),
        policy: try NotificationOptions.policy(arguments),
        roster: roster, intake: intake, analytics: arguments.value("analytics").map { RPCClient(path: $0) }, logger: context.logger,
        ruleInterval: try NotificationOptions.ruleInterval(arguments), clock: clock)
    context.logger.info("delivering through \(engine.channel.name); quiet hours \(engine.policy.quietHours)")
    return Daemon.Setup(router: NotificationService.router(engine), onStart: { await engine.run() })
}
