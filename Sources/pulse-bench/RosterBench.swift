import Base
import Foundation
import Messages
import RPC
import Roster
import Wire

enum RosterBench {
    static func run(calls: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-bench-roster-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try RosterStore(path: directory + "/roster.sqlite")
        let server = RPCServer(configuration: .init(path: directory + "/roster.sock", serviceName: RosterService.name), router: RosterService.router(store), logger: .silent())
        try server.start()
        let client = RPCClient(path: directory + "/roster.sock")

        print("Roster through its RPC on a Unix socket, SQLite file in \(directory).\n")
        var t0 = ContinuousClock.now
        let haTinh = try await client.call(RosterAPI.importUnits, ImportUnitsRequest(dataset: "ha-tinh"))
        let haTinhTime = ContinuousClock.now - t0
        print("import Hà Tĩnh (\(haTinh.inserted) units):            \(format(haTinhTime.inSeconds * 1000)) ms")

        // A generated tree: 100 districts of 99 communes under a new province, 10,000 units in all.
        var csv = "code,name,kind,parent,population\nP99,Tỉnh Thử Nghiệm,province,,2000000\n"
        for d in 0..<100 {
            csv += "P99-D\(d),Huyện \(d),agency,P99,\n"
            for c in 0..<99 { csv += "P99-D\(d)-C\(c),Xã \(d)-\(c) Đông Hưng,commune,P99-D\(d),\(1000 + c * 13)\n" }
        }
        t0 = ContinuousClock.now
        let tree = try await client.call(RosterAPI.importUnits, ImportUnitsRequest(csv: csv, defaultValidFrom: Day("2025-07-01")!), deadline: .seconds(120))
        let treeTime = ContinuousClock.now - t0
        print("import a generated tree (\(tree.inserted) units):   \(format(treeTime.inSeconds * 1000)) ms   (target < 1000 ms) \(treeTime.inSeconds < 1 ? "ok" : "MISSED")")
        t0 = ContinuousClock.now
        let again = try await client.call(RosterAPI.importUnits, ImportUnitsRequest(csv: csv, defaultValidFrom: Day("2025-07-01")!), deadline: .seconds(120))
        print("the same tree again (\(again.unchanged) unchanged):  \(format((ContinuousClock.now - t0).inSeconds * 1000)) ms")

        let codes = try await client.call(RosterAPI.listUnits, ListUnitsRequest(parent: "42")).units.map(\.code)
        print("\nGetUnit, \(calls) calls per caller after a warm-up:")
        var rows: [[String]] = []
        var sixteen = 0.0
        for callers in [1, 16] {
            let m = try await GatewayBench.measure(directory + "/roster.sock", callers: callers, calls: calls, codes: codes, warmUp: 100)
            if callers == 16 { sixteen = m.perSecond }
            rows.append(["\(callers)", format(m.p50), format(m.p99), format(m.perSecond, decimals: 0)])
        }
        printTable(["callers", "p50 µs", "p99 µs", "calls/s"], rows)
        print("\n16 callers: \(format(sixteen, decimals: 0)) GetUnit calls/s (target ≥ 20,000) \(sixteen >= 20_000 ? "ok" : "MISSED")")
        await server.shutdown()
    }
}
