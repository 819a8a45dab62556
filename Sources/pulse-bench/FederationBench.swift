import Base
import Foundation
import Messages
import PulseCLI
import RPC
import Spawn
import Wire

/// A province-wide status fanned out to three agencies, and a national one through two levels
/// of gateways over eight provinces, each agency holding a year of reports.
enum FederationBench {
    static func run(calls: Int) async throws {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
        print("\nFederation: starting 8 stacks with a year of Hà Tĩnh's reports each…")
        var stacks: [YearOfDataStack] = []
        for _ in 0..<8 { stacks.append(try await YearOfDataStack()) }
        defer { for s in stacks { s.stop() } }
        let directory = stacks[0].directory
        var gateways: [ChildProcess] = []
        defer { for g in gateways { g.signal(SIGTERM) } }
        func gateway(_ name: String, agencies: String) async throws -> String {
            let file = directory + "/\(name).json"
            try agencies.write(toFile: file, atomically: true, encoding: .utf8)
            let socket = directory + "/\(name).sock"
            gateways.append(try ChildProcess(
                executable: me + "/gateway", arguments: ["--socket", socket, "--data", directory + "/data-\(name)", "--agencies", file, "--log-level", "error"],
                standardInput: .null, standardOutput: .null, standardError: .null))
            let client = RPCClient(path: socket)
            for _ in 0..<500 {
                if (try? await client.call(Introspection.check, .init(), deadline: .seconds(1))) != nil { return socket }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw BenchError("the \(name) gateway did not start")
        }
        func agency(_ i: Int, _ stack: YearOfDataStack) -> String {
            "{\"name\": \"agency-\(i)\", \"roster\": \"\(stack.serviceSocket("roster"))\", \"intake\": \"\(stack.serviceSocket("report-intake"))\", \"analytics\": \"\(stack.serviceSocket("analytics"))\"}"
        }
        let province = try await gateway("province", agencies: "{\"agencies\": [" + (0..<3).map { agency($0, stacks[$0]) }.joined(separator: ",") + "]}")
        let national = try await gateway("national", agencies: "{\"agencies\": [" + stacks.enumerated().map { "{\"name\": \"province-\($0.offset)\", \"gateway\": \"\($0.element.socket)\"}" }.joined(separator: ",") + "]}")
        let period = Day.today.period.previous
        func measure(_ socket: String) async throws -> Measurement {
            let client = RPCClient(path: socket)
            for _ in 0..<20 { _ = try await client.call(AnalyticsAPI.completeness, CompletenessRequest(period: period)) }
            var samples: [UInt64] = []
            let start = ContinuousClock.now
            for _ in 0..<calls {
                let s = ContinuousClock.now
                let c = try await client.call(AnalyticsAPI.completeness, CompletenessRequest(period: period))
                samples.append((ContinuousClock.now - s).inNanoseconds)
                precondition(c.expected > 0)
            }
            return Measurement(name: socket, latenciesNanos: samples, elapsed: ContinuousClock.now - start)
        }
        let one = try await measure(stacks[0].socket)
        let three = try await measure(province)
        let eight = try await measure(national)
        print("Completeness of last month (72 reporting units a stack), \(calls) calls each; latencies in ms.")
        print("The eight provinces are the same province eight times: their decoding and merging costs are eight provinces', their answer one's.\n")
        printTable(["path", "p50 ms", "p99 ms"], [
            ["one agency through its gateway (baseline)", format(one.p50 / 1000, decimals: 2), format(one.p99 / 1000, decimals: 2)],
            ["province: three agencies fanned out", format(three.p50 / 1000, decimals: 2), format(three.p99 / 1000, decimals: 2)],
            ["national: two levels over eight provinces", format(eight.p50 / 1000, decimals: 2), format(eight.p99 / 1000, decimals: 2)],
        ])
        print("")
        print("province-wide status over three agencies: p50 \(format(three.p50 / 1000, decimals: 2)) ms (target < 5 ms) \(three.p50 / 1000 < 5 ? "ok" : "MISSED")")
        print("national status over eight provinces, two levels: p50 \(format(eight.p50 / 1000, decimals: 2)) ms (target < 50 ms) \(eight.p50 / 1000 < 50 ? "ok" : "MISSED")")
    }
}
