import Base
import Foundation
import Messages
import PulseCLI
import Spawn

/// Whole `pulse` processes, as a user runs them, against a stack holding a year of the
/// province's reports: the p50 of each main command, beside the p50 of `pulse --version` (the
/// process alone) in the same run.
enum CLIBench {
    static func run(runs: Int) async throws {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
        let pulse = me + "/pulse"
        guard FileManager.default.isExecutableFile(atPath: pulse) else { throw BenchError("pulse is not beside pulse-bench in \(me); build with `swift build -c release`") }
        print("Starting the five services and loading a year of Hà Tĩnh's reports…")
        let loading = ContinuousClock.now
        let stack = try await YearOfDataStack()
        defer { stack.stop() }
        print("\(stack.reports) monthly reports of 72 units loaded in \(format((ContinuousClock.now - loading).inSeconds)) s.\n")
        let environment = ProcessInfo.processInfo.environment.merging(["PULSE_SOCKET": stack.socket, "PULSE_LANG": "vi"]) { _, new in new }
        let cases: [(String, [String])] = [
            ("pulse --version (the process alone)", ["--version"]),
            ("pulse status", ["status"]),
            ("pulse trends", ["trends"]),
            ("pulse units list", ["units", "list"]),
            ("pulse report due --unit \(stack.sampleUnit)", ["report", "due", "--unit", stack.sampleUnit]),
            ("pulse digest (last month, to a file)", ["digest", "--out", FileManager.default.temporaryDirectory.path + "/pulse-bench-digest-\(getpid()).html"]),
            // The year of data beside the year before it (a tổng kết năm).
            ("pulse digest --from --to (12 months beside 12)", [
                "digest", "--from", Period(index: Day.today.period.index - 12).description, "--to", Day.today.period.previous.description,
                "--out", FileManager.default.temporaryDirectory.path + "/pulse-bench-review-\(getpid()).html",
            ]),
        ]
        print("Each command \(runs) times as a whole process (fork, exec, connect, call, print), interleaved; milliseconds.\n")
        var samples = Array(repeating: [Double](), count: cases.count)
        for round in 0..<(runs + 2) {
            for (i, c) in cases.enumerated() {
                let start = ContinuousClock.now
                let ran = try await ChildProcess.collected(executable: pulse, arguments: c.1, environment: environment)
                let elapsed = (ContinuousClock.now - start).inSeconds * 1000
                guard ran.status == 0 else { throw BenchError("\(c.0) failed: \(String(decoding: ran.standardError, as: UTF8.self))") }
                if round >= 2 { samples[i].append(elapsed) }  // two rounds to warm the page cache
            }
        }
        var rows: [[String]] = []
        var verdicts: [String] = []
        for (i, c) in cases.enumerated() {
            let sorted = samples[i].sorted()
            let p50 = sorted[sorted.count / 2]
            let p90 = sorted[min(sorted.count - 1, sorted.count * 9 / 10)]
            rows.append([c.0, format(p50), format(p90)])
            if c.1.first == "digest" {
                verdicts.append("\(c.0): p50 \(format(p50)) ms (target < 1 s) \(p50 < 1000 ? "ok" : "MISSED")")
            } else if i > 0 {
                verdicts.append("\(c.0): p50 \(format(p50)) ms (target < 100 ms) \(p50 < 100 ? "ok" : "MISSED")")
            }
        }
        printTable(["command", "p50 ms", "p90 ms"], rows)
        print("")
        for v in verdicts { print(v) }
    }
}
