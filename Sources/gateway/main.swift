import Arguments
import Base
import Daemon
import Gateway
import Glibc
import Messages
import RPC

await Daemon.main(
    name: "gateway", serviceName: GatewayAPI.service,
    abstract: "identifies callers by SO_PEERCRED against its policy, authorises, audits every call and forwards it to the service that owns it.",
    options: [
        .option("roster", value: "path", help: "roster's socket."),
        .option("intake", value: "path", help: "report-intake's socket."),
        .option("analytics", value: "path", help: "analytics' socket."),
        .option("notification", value: "path", help: "notification's socket."),
        .option("agencies", value: "file.json", help: "Federate several agencies' services: {\"agencies\": [{\"name\", \"label\", \"roster\", \"intake\", \"analytics\", \"notification\" | \"gateway\"}, …]}; the first is the commission's."),
        .option("agency-deadline", value: "seconds", help: "With --agencies: how long a read waits for one agency before answering without it, naming it (default 10)."),
        .option("max-calls-per-account", value: "n", help: "Calls one account may have in flight at once; more are refused (RESOURCE_EXHAUSTED) until earlier ones finish (default 32)."),
        .option(
            "policy", value: "file.json",
            help: "Who may use Pulse, and as what (see deploy/policy.example.json); read again on SIGHUP. Without it, only root and the gateway's own user, as administrators."),
    ]
) { context in
    let a = context.arguments
    var backends: [String: String] = [:]
    for (flag, prefix) in [("roster", "pulse.roster."), ("intake", "pulse.intake."), ("analytics", "pulse.analytics."), ("notification", "pulse.notification.")] {
        if let path = a.value(flag) { backends[prefix] = path }
    }
    let agencies = try a.value("agencies").map { try Agencies.load(path: $0) } ?? []
    guard backends.isEmpty || agencies.isEmpty else { throw UsageError("give the services' sockets or --agencies, not both") }
    guard !backends.isEmpty || !agencies.isEmpty else { throw UsageError("give at least one service socket (--roster, --intake, --analytics, --notification), or --agencies FILE") }
    if !agencies.isEmpty { context.logger.info("federating \(agencies.count) agencies: \(agencies.map(\.name).joined(separator: ", "))") }
    let policyPath = a.value("policy")
    let policy = try policyPath.map { try Policy.load(path: $0) } ?? Policy.administrators(Array(Set([0, getuid()])).sorted())
    context.logger.info("policy: \(policy.entries.count) principals\(policyPath.map { " from \($0)" } ?? " (root and this user, as administrators)")")
    var agencyDeadline = Duration.seconds(10)
    if let text = a.value("agency-deadline") {
        guard let seconds = Double(text), seconds > 0, seconds <= 600 else {
            throw UsageError("--agency-deadline takes seconds, more than 0 and at most 600 (such as 2.5), not \"\(text)\"")
        }
        agencyDeadline = .milliseconds(Int(seconds * 1000))
    }
    let maxCalls = try a.integer("max-calls-per-account") ?? 32
    guard (1...10_000).contains(maxCalls) else { throw UsageError("--max-calls-per-account takes 1 to 10000, not \(maxCalls)") }
    let gateway = try Gateway(
        backends: backends, agencies: agencies, agencyDeadline: agencyDeadline, maxCallsPerAccount: maxCalls, policy: policy, dataDirectory: context.dataDirectory, logger: context.logger)
    return Daemon.Setup(router: gateway.router(), identification: gateway.identification, onStart: { await gateway.runRefusalCounter() }, onShutdown: { await gateway.flushAudit() }, onReload: {
        guard let policyPath else { return context.logger.warning("SIGHUP: no --policy file to read again") }
        do {
            let reloaded = try Policy.load(path: policyPath)
            gateway.identification.replace(with: reloaded)
            context.logger.info("policy reloaded: \(reloaded.entries.count) principals from \(policyPath)")
        } catch {
            context.logger.error("policy not reloaded, the old one stays: \(error)")
        }
    }, configure: { configuration in
        // A request forwarded with its principal must still fit the back-ends' frame limit.
        configuration.maxFrameSize -= 64 << 10
        // Every call the gateway answers is an audit entry; refused connections are counted.
        configuration.onCall = { gateway.record($0) }
        configuration.onRefusedConnection = { gateway.refused($0) }
    })
}
