import Base
import Foundation
import Synchronization

/// Latency samples and throughput of one benchmark case.
struct Measurement {
    var name: String
    var latenciesNanos: [UInt64]
    var elapsed: Duration

    var count: Int { latenciesNanos.count }
    var perSecond: Double { Double(count) / elapsed.inSeconds }

    func percentile(_ p: Double) -> Double {
        let sorted = latenciesNanos.sorted()
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
        return Double(sorted[max(0, index)]) / 1000
    }

    var p50: Double { percentile(50) }
    var p99: Double { percentile(99) }
}


/// Collects samples from many callers.
final class SampleSink: Sendable {
    private let storage = Mutex<[UInt64]>([])
    func add(_ samples: [UInt64]) { storage.withLock { $0.append(contentsOf: samples) } }
    var all: [UInt64] { storage.withLock { $0 } }
}

func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}

func format(_ value: Double, decimals: Int = 1) -> String {
    String(format: "%.\(decimals)f", value)
}

func printTable(_ header: [String], _ rows: [[String]]) {
    var widths = header.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    print(zip(header, widths).map { pad($0, $1) }.joined(separator: "  "))
    for row in rows { print(zip(row, widths).map { pad($0, $1) }.joined(separator: "  ")) }
}
