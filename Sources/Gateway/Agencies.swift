import Base
import Foundation
import Localization
import RPC

/// The agencies a federating gateway gives one view across: each runs its own services for its
/// own units (`--agencies FILE`). An agency is its services' sockets, or another gateway's
/// (a provincial gateway under a national one).
public struct Agency: Sendable {
    public let name: String
    public let label: String
    /// Service prefix (`pulse.roster.`) → client.
    let backends: [String: RPCClient]

    func client(for method: String) -> RPCClient? {
        backends.first { method.hasPrefix($0.key) }?.value
    }
}

public enum Agencies {
    struct Entry: Decodable {
        var name: String
        var label: String?
        var roster: String?
        var intake: String?
        var analytics: String?
        var notification: String?
        /// Another gateway: every service of the agency behind one socket.
        var gateway: String?
    }

    struct File: Decodable { var agencies: [Entry] }

    /// Reads the agencies file: {"agencies": [{"name": "commission", "label": "…", "roster": "/run/…", …}, …]}.
    public static func load(path: String) throws -> [Agency] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RPCError(.invalidArgument, "--agencies: cannot read \(path)")
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw RPCError(.invalidArgument, "--agencies: \(path) is not {\"agencies\": [{\"name\": …, \"roster\": …}, …]}: \(error)")
        }
        guard !file.agencies.isEmpty else { throw RPCError(.invalidArgument, "--agencies: \(path) names no agency") }
        var seen: Set<String> = []
        return try file.agencies.enumerated().map { i, entry in
            guard !entry.name.isEmpty, seen.insert(entry.name).inserted else {
                throw RPCError(.invalidArgument, "--agencies: agencies[\(i)].name is empty or given twice")
            }
            var backends: [String: String] = [:]
            if let gateway = entry.gateway {
                for prefix in ["pulse.roster.", "pulse.intake.", "pulse.analytics.", "pulse.notification."] { backends[prefix] = gateway }
            } else {
                for (prefix, path) in [("pulse.roster.", entry.roster), ("pulse.intake.", entry.intake), ("pulse.analytics.", entry.analytics), ("pulse.notification.", entry.notification)] {
                    if let path { backends[prefix] = path }
                }
            }
            guard !backends.isEmpty else { throw RPCError(.invalidArgument, "--agencies: agencies[\(i)] (\(entry.name)) names no socket: give roster, intake, analytics, notification, or gateway") }
            return Agency(name: entry.name, label: entry.label ?? entry.name, backends: backends.mapValues { RPCClient(path: $0) })
        }
    }
}
