import Analytics
import Arguments
import Base
import Daemon
import Messages
import RPC

await Daemon.main(
    name: "analytics", serviceName: AnalyticsService.name,
    abstract: "aggregates derived from intake's change feed and roster's units: completeness, trends, spikes, rankings, survey estimates.",
    options: [
        .option("intake", value: "path", help: "report-intake's socket (required)."),
        .option("roster", value: "path", help: "roster's socket (required)."),
        .option("due-day", value: "day", help: "Reports are due before this day of the month (default 25)."),
        .option("min-cell", value: "k", help: "Withhold breakdown cells built from fewer than k reports from partner agencies (default 3)."),
        .option("min-respondents", value: "m", help: "Withhold survey cells of fewer than m respondents from all but administrators and analysts (default 5)."),
        .option("spike-p", value: "p", help: "Poisson tail probability below which a topic's month is a spike (default 0.001)."),
        .option("ranking-weights", value: "file.json", help: "Weights and grade thresholds of the annual ranking (see README)."),
        .option("clock-start", value: "instant", help: "For demos and drills only: the clock starts at this ISO 8601 instant and runs on from there."),
    ]
) { context in
    let a = context.arguments
    if let text = a.value("clock-start") {
        guard PulseClock.start(iso8601: text) else { throw UsageError("--clock-start takes an ISO 8601 instant like 2026-11-20T09:00:00+07:00") }
        context.logger.warning("demo clock: the time is taken as \(text) at start-up")
    }
    var configuration = AnalyticsConfiguration()
    configuration.dueDay = try a.integer("due-day") ?? 25
    configuration.minimumCell = try a.integer("min-cell") ?? 3
    configuration.minimumRespondents = try a.integer("min-respondents") ?? 5
    guard (1...1000).contains(configuration.minimumCell) else { throw UsageError("--min-cell takes a number of reports from 1 to 1000 (default 3)") }
    guard (1...1000).contains(configuration.minimumRespondents) else { throw UsageError("--min-respondents takes a number of respondents from 1 to 1000 (default 5)") }
    if let p = a.value("spike-p") {
        guard let value = Double(p), value > 0, value < 1 else { throw UsageError("--spike-p takes a probability between 0 and 1") }
        configuration.spikeThreshold = value
    }
    if let path = a.value("ranking-weights") { configuration.ranking = try RankingWeights.load(path: path) }
    let store = try AnalyticsStore(path: context.dataDirectory + "/analytics.sqlite", configuration: configuration)
    let intake = RPCClient(path: try a.required("intake"))
    let roster = RPCClient(path: try a.required("roster"))
    let feeds = AnalyticsFeeds(store: store, intake: intake, roster: roster, logger: context.logger)
    return Daemon.Setup(router: AnalyticsService.router(store, roster: roster, intake: intake), onStart: { await feeds.run() })
}
