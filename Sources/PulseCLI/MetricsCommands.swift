import Arguments
import Base
import Foundation
import Localization
import RPC
import Wire

/// `pulse metrics` and `pulse top`: every service's calls, latencies, errors, connections and
/// store sizes, through the gateway (administrators).
enum MetricsCommands {
    static func collect(_ inv: Invocation) async throws -> AllMetrics {
        var all = try await inv.call(MetricsAPI.all, Empty())
        var gateway = try await inv.call(MetricsAPI.get, Empty())  // the gateway's own
        // The last complete backup, from the backups directory (the nightly timer's).
        let backups = inv.arguments.value("backups") ?? "/var/backups/pulse"
        struct LastBackup: Decodable { var created: Double }
        if let data = FileManager.default.contents(atPath: backups + "/last-backup.json"), let last = try? JSONDecoder().decode(LastBackup.self, from: data) {
            gateway.gauges.append(.init(name: "pulse_last_backup_timestamp_seconds", value: last.created, labels: ["directory": backups], help: "When the newest complete backup was taken."))
        }
        all.services.insert(gateway, at: 0)
        return all
    }

    static var metrics: Command {
        Command(
        "metrics", tr("Số liệu của mọi dịch vụ: lời gọi, phân vị độ trễ và lỗi theo phương thức, kết nối, dung lượng kho.", en: "Every service's figures: calls, latency percentiles and errors per method, connections, store sizes."),
        options: [
            .flag("prometheus", help: tr("In theo định dạng văn bản của Prometheus (cho textfile collector của node_exporter).", en: "Print them in Prometheus' text exposition format (for node_exporter's textfile collector).")),
            .option("backups", value: "dir", help: tr("Nơi chứa các bản sao lưu hằng đêm, để biết lần gần nhất (mặc định /var/backups/pulse).", en: "Where the nightly backups are, for the time of the last one (default /var/backups/pulse).")),
        ]
    ) { inv in
        let all = try await collect(inv)
        if inv.arguments.has("prometheus") {
            print(prometheus(all), terminator: "")
        } else {
            inv.output.emit(all) { table(all, inv) }
        }
        for name in all.missing { warn(tr("cảnh báo: \(name) không trả lời", en: "warning: \(name) did not answer")) }
    }
    }

    static var top: Command {
        Command(
        "top", tr("Số liệu các dịch vụ, làm mới mỗi 2 giây (lời gọi/giây từ lần trước); Ctrl-C để dừng.", en: "The services' figures, refreshed every 2 s (calls/s since the last refresh); Ctrl-C stops."),
        options: [.option("count", short: "n", value: "n", help: tr("Làm mới bấy nhiêu lần rồi dừng.", en: "Refresh this many times, then stop.")), .option("backups", value: "dir", help: tr("Nơi chứa các bản sao lưu hằng đêm (mặc định /var/backups/pulse).", en: "Where the nightly backups are (default /var/backups/pulse)."))]
    ) { inv in
        let count = try inv.arguments.integer("count")
        if let count, count < 1 { throw UsageError(tr("-n nhận số lần làm mới, từ 1 trở lên", en: "-n takes how many refreshes, 1 or more")) }
        guard inv.output.format == .table else { throw UsageError(tr("top dành cho màn hình; để lấy dữ liệu, dùng pulse metrics --json hoặc --csv", en: "top is for a terminal; for data, use pulse metrics --json or --csv")) }
        var previous: [String: Int] = [:]
        var round = 0
        while count.map({ round < $0 }) ?? true {
            let all = try await collect(inv)
            if isatty(1) == 1 { print("\u{1B}[H\u{1B}[2J", terminator: "") }  // a terminal is redrawn; a pipe gets each round in turn
            print("pulse top — \(Output.time(Date())) " + tr("(mỗi 2 giây; Ctrl-C để dừng)\n", en: "(every 2 s; Ctrl-C stops)\n"))
            var rows: [[String]] = []
            for service in all.services {
                for m in service.methods where m.calls > 0 {
                    let key = service.service + " " + m.method
                    let rate = previous[key].map { Double(m.calls - $0) / 2 }
                    previous[key] = m.calls
                    rows.append([short(service.service), m.method.split(separator: "/").last.map(String.init) ?? m.method, String(m.calls), rate.map { String(format: "%.1f", $0) } ?? "–", String(m.p50Microseconds), String(m.p99Microseconds), String(m.errors.values.reduce(0, +))])
                }
            }
            inv.output.table([tr("dịch vụ", en: "service"), tr("phương thức", en: "method"), tr("lời gọi", en: "calls"), tr("lời gọi/giây", en: "calls/s"), "p50 µs", "p99 µs", tr("lỗi", en: "errors")], rows, numeric: [2, 3, 4, 5, 6])
            print("")
            inv.output.table([tr("dịch vụ", en: "service"), tr("kết nối", en: "connections"), tr("đã nhận", en: "accepted"), tr("chạy (giây)", en: "up s")], all.services.map { [short($0.service), String($0.connections), String($0.accepted), String(format: "%.0f", $0.uptimeSeconds)] }, numeric: [1, 2, 3])
            for name in all.missing { print(tr("\(name) không trả lời", en: "\(name) did not answer")) }
            round += 1
            if count.map({ round < $0 }) ?? true { try await Task.sleep(for: .seconds(2)) }
        }
    }
    }

    static func short(_ service: String) -> String {
        service.split(separator: ".").dropFirst().first.map(String.init) ?? service
    }

    static func table(_ all: AllMetrics, _ inv: Invocation) {
        if inv.output.format == .csv {
            // One table, long: a row per figure.
            var rows: [[String]] = []
            for service in all.services {
                let name = short(service.service)
                rows.append([name, "connections", "", String(service.connections)])
                for m in service.methods {
                    for (figure, value) in [("calls", m.calls), ("p50_us", m.p50Microseconds), ("p90_us", m.p90Microseconds), ("p99_us", m.p99Microseconds), ("errors", m.errors.values.reduce(0, +))] {
                        rows.append([name, figure, m.method, String(value)])
                    }
                }
                for g in service.gauges {
                    rows.append([name, g.name, g.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "), String(format: "%.0f", g.value)])
                }
            }
            inv.output.table(["service", "figure", "of", "value"], rows)
            return
        }
        var rows: [[String]] = []
        for service in all.services {
            for m in service.methods {
                rows.append([short(service.service), m.method, String(m.calls), String(m.p50Microseconds), String(m.p90Microseconds), String(m.p99Microseconds), m.errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")])
            }
        }
        inv.output.table([tr("dịch vụ", en: "service"), tr("phương thức", en: "method"), tr("lời gọi", en: "calls"), "p50 µs", "p90 µs", "p99 µs", tr("lỗi", en: "errors")], rows, numeric: [2, 3, 4, 5])
        print("")
        var gauges: [[String]] = []
        for service in all.services {
            gauges.append([short(service.service), "connections", String(service.connections)])
            for g in service.gauges { gauges.append([short(service.service), g.name + (g.labels.isEmpty ? "" : " " + g.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")), String(format: "%.0f", g.value)]) }
        }
        inv.output.table([tr("dịch vụ", en: "service"), tr("chỉ số", en: "gauge"), tr("giá trị", en: "value")], gauges, numeric: [2])
    }

    /// The Prometheus text exposition format (version 0.0.4): HELP and TYPE once per family,
    /// then its samples; label values escaped.
    static func prometheus(_ all: AllMetrics) -> String {
        func escape(_ v: String) -> String { v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") }
        func labels(_ l: [(String, String)]) -> String { "{" + l.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}" }
        var families: [(name: String, type: String, help: String, samples: [String])] = []
        func family(_ name: String, _ type: String, _ help: String) -> Int {
            if let i = families.firstIndex(where: { $0.name == name }) { return i }
            families.append((name, type, help, []))
            return families.count - 1
        }
        for s in all.services {
            let service = short(s.service)
            families[family("pulse_connections", "gauge", "Connections the service holds now.")].samples.append("pulse_connections\(labels([("service", service)])) \(s.connections)")
            families[family("pulse_connections_accepted_total", "counter", "Connections accepted since the service started.")].samples.append("pulse_connections_accepted_total\(labels([("service", service)])) \(s.accepted)")
            families[family("pulse_uptime_seconds", "gauge", "Seconds since the service started.")].samples.append("pulse_uptime_seconds\(labels([("service", service)])) \(String(format: "%.0f", s.uptimeSeconds))")
            for m in s.methods {
                families[family("pulse_calls_total", "counter", "Calls answered, per method.")].samples.append("pulse_calls_total\(labels([("service", service), ("method", m.method)])) \(m.calls)")
                for (status, n) in m.errors.sorted(by: { $0.key < $1.key }) {
                    families[family("pulse_call_errors_total", "counter", "Calls answered with a status other than OK.")].samples.append("pulse_call_errors_total\(labels([("service", service), ("method", m.method), ("status", status)])) \(n)")
                }
                let latency = family("pulse_call_latency_microseconds", "summary", "Call latency, per method (quantiles from a histogram with buckets √2 apart).")
                for (q, v) in [("0.5", m.p50Microseconds), ("0.9", m.p90Microseconds), ("0.99", m.p99Microseconds)] {
                    families[latency].samples.append("pulse_call_latency_microseconds\(labels([("service", service), ("method", m.method), ("quantile", q)])) \(v)")
                }
                families[latency].samples.append("pulse_call_latency_microseconds_sum\(labels([("service", service), ("method", m.method)])) \(m.totalMicroseconds)")
                families[latency].samples.append("pulse_call_latency_microseconds_count\(labels([("service", service), ("method", m.method)])) \(m.calls)")
            }
            for g in s.gauges {
                families[family(g.name, "gauge", g.help)].samples.append(g.name + labels([("service", service)] + g.labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }) + " " + String(format: "%.0f", g.value))
            }
        }
        var out = ""
        for f in families {
            out += "# HELP \(f.name) \(f.help)\n# TYPE \(f.name) \(f.type)\n"
            for sample in f.samples { out += sample + "\n" }
        }
        return out
    }
}
