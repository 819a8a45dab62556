import Base
import Foundation
import Messages
import RPC
import Roster

/// A roster of Hà Tĩnh with one official per commune and ward, served on `socket`: what intake
/// checks each report against in the benchmarks that submit reports.
struct BenchRoster {
    let server: RPCServer
    /// Each commune's or ward's code and its official's person id.
    let submitters: [(unit: String, person: Int)]

    static func start(store path: String, socket: String) async throws -> BenchRoster {
        let roster = try RosterStore(path: path)
        _ = try await roster.importHaTinh()
        let units = try await roster.units(ListUnitsRequest(parent: "42", kinds: [.commune, .ward]))
        var submitters: [(unit: String, person: Int)] = []
        for u in units {
            let p = try await roster.addPerson(Person(fullName: "Cán bộ \(u.nameVi)", unit: u.code, role: .official, joined: Day("2025-07-01")!))
            guard let id = p.id else { throw RPCError(.internal, "roster gave no id to \(u.code)'s official") }
            submitters.append((u.code, id))
        }
        let server = RPCServer(configuration: .init(path: socket, serviceName: RosterService.name), router: RosterService.router(roster), logger: .silent())
        try server.start()
        return BenchRoster(server: server, submitters: submitters)
    }
}
