import Arguments
import Foundation

let suites = [
    "rpc": "Unary echo latency and throughput against the socket floor.",
    "codec": "CPU cost of one call's CBOR encoding and decoding.",
    "roster": "GetUnit calls/s through the RPC; import times for Hà Tĩnh and a 10,000-unit tree.",
    "intake": "Durable acknowledged reports/s, 1 and 16 submitters, with the stored count checked.",
    "text": "MB/s of scrub + normalise + tokenise + sentiment, and of the scrubber alone, on one core.",
    "privacy": "Seconds for `pulse privacy scan` over a store of -n megabytes (default 1024).",
    "backup": "A backup of an intake store of -n megabytes (default 1024) while 16 submitters write: duration and throughput kept.",
    "analytics": "Ingest of 1,000,000 generated opinion items; p50 of a trend query, a completeness roll-up and a full-text search.",
    "notify": "Notices/s to a local SMTP sink over one connection, through the outbox and by the client alone; every rule for 10,000 units.",
    "gateway": "A small read straight to roster and through the gateway (1 and 16 callers); the audit append; verify over 1,000,000 entries; an inclusion proof; status fanned out to three agencies and through two levels over eight provinces.",
    "cli": "p50 of status, trends, units list and report due as whole pulse processes against a year of the province's data, beside pulse --version.",
]
let options: [OptionSpec] = [.option("calls", short: "n", value: "count", help: "Calls per caller (rpc, roster), or reports per run (intake).")]
let usage = "Usage: pulse-bench <suite> [--calls N]\n  suites: " + suites.keys.sorted().joined(separator: ", ")

do {
    let parsed = try ArgumentParser.parse(Array(CommandLine.arguments.dropFirst()), options: options)
    if parsed.has("help") || parsed.positionals.isEmpty {
        print("pulse-bench: measures Pulse's hot paths. Build with -c release.\n\n\(usage)\n")
        for (name, text) in suites.sorted(by: { $0.key < $1.key }) { print("  \(pad(name, 10)) \(text)") }
        print("\nOptions:\n" + ArgumentParser.optionsHelp(options))
        exit(parsed.has("help") ? 0 : 64)
    }
    #if DEBUG
    print("warning: this is a debug build; figures mean something only with `swift run -c release pulse-bench`.\n")
    #endif
    switch parsed.positionals[0] {
    case "codec":
        try CodecBench.run(iterations: try parsed.integer("calls") ?? 200_000)
        try CodecBench.report(iterations: 20_000)
    case "roster":
        try await RosterBench.run(calls: try parsed.integer("calls") ?? 20_000)
    case "intake":
        try await IntakeBench.run(reports: try parsed.integer("calls") ?? 8_000)
    case "text":
        TextBench.run(megabytes: try parsed.integer("calls") ?? 20)
    case "backup":
        try await BackupBench.run(megabytes: try parsed.integer("calls") ?? 1024)
    case "privacy":
        try PrivacyBench.run(megabytes: try parsed.integer("calls") ?? 1024)
    case "analytics":
        try await AnalyticsBench.run(items: try parsed.integer("calls") ?? 1_000_000)
    case "gateway":
        try await GatewayBench.run(calls: try parsed.integer("calls") ?? 5_000)
        try await FederationBench.run(calls: 300)
    case "notify":
        try await NotifyBench.run(notices: try parsed.integer("calls") ?? 5_000)
    case "cli":
        try await CLIBench.run(runs: try parsed.integer("calls") ?? 30)
    case "rpc":
        try await RPCBench.run(calls: try parsed.integer("calls") ?? 20_000)
    default:
        throw UsageError("unknown suite \(parsed.positionals[0])")
    }
} catch let error as UsageError {
    FileHandle.standardError.write(Data("Error: \(error)\n\(usage)\n".utf8))
    exit(64)
} catch {
    FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
    exit(1)
}
