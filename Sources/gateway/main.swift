import Arguments
import Daemon
import Gateway
import Messages
import RPC

await Daemon.main(
    name: "gateway", serviceName: GatewayAPI.service,
    abstract: "identifies callers by SO_PEERCRED, authorises, audits every call and forwards it to the service that owns it.",
    options: [
        .option("roster", value: "path", help: "roster's socket."),
        .option("intake", value: "path", help: "report-intake's socket."),
        .option("analytics", value: "path", help: "analytics' socket."),
        .option("notification", value: "path", help: "notification's socket."),
        .option("manager-uid", value: "uid", help: "A uid with the commission's full access (repeatable; root and the gateway's own user always have it).", repeatable: true),
        .option("manager-gid", value: "gid", help: "Members of this group are managers (repeatable).", repeatable: true),
        .option("partner-uid", value: "uid", help: "A partner agency's uid: aggregates and reports, no contacts (repeatable).", repeatable: true),
    ]
) { context in
    let a = context.arguments
    var backends: [String: String] = [:]
    for (flag, prefix) in [("roster", "pulse.roster."), ("intake", "pulse.intake."), ("analytics", "pulse.analytics."), ("notification", "pulse.notification.")] {
        if let path = a.value(flag) { backends[prefix] = path }
    }
    guard !backends.isEmpty else { throw UsageError("give at least one service socket (--roster, --intake, --analytics, --notification)") }
    func ids(_ name: String) throws -> Set<UInt32> {
        Set(try a.all(name).map { text in
            guard let id = UInt32(text) else { throw UsageError("--\(name) takes a number, not \"\(text)\"") }
            return id
        })
    }
    var policy = AccessPolicy.local()
    policy.managers.formUnion(try ids("manager-uid"))
    policy.managerGroups = try ids("manager-gid")
    policy.partners = try ids("partner-uid")
    let gateway = try Gateway(backends: backends, policy: policy, dataDirectory: context.dataDirectory)
    return Daemon.Setup(router: gateway.router())
}
