import Base
import Foundation
import Localization
import Messages
import RPC
import Synchronization
import Wire

/// What intake asks roster, over the RPC, with answers kept for a few seconds: a burst of
/// reports from one unit asks roster once, and a change in roster shows within `ttl`.
public final class RosterLookup: Sendable {
    private let client: RPCClient
    private let ttl: Duration
    private let cache = Mutex<[String: (expires: ContinuousClock.Instant, value: any Sendable)]>([:])

    public init(client: RPCClient, ttl: Duration = .seconds(10)) {
        self.client = client
        self.ttl = ttl
    }

    private func cached<T: Sendable>(_ key: String, _ load: () async throws -> T) async throws -> T {
        let now = ContinuousClock.now
        // Only the copy (a retain) is made under the lock; the lookup runs outside it, so that
        // the connections' threads do not queue behind each other's hashing.
        let entries = cache.withLock { $0 }
        if let hit = entries[key], hit.expires > now, let value = hit.value as? T { return value }
        let value = try await load()
        cache.withLock { $0[key] = (now + ttl, value) }
        return value
    }

    /// Roster being unreachable is UNAVAILABLE for the submitter, never a silent pass.
    private func ask<Req, Res>(_ method: MethodDescriptor<Req, Res>, _ request: Req) async throws -> Res {
        do {
            return try await client.call(method, request, deadline: .seconds(5))
        } catch {
            guard error.code == .unavailable || error.code == .deadlineExceeded else { throw error }
            throw RPCError(.unavailable, tr("không liên lạc được roster để kiểm tra báo cáo (\(error.message)); hãy thử lại sau ít phút", en: "roster cannot be reached to check the report (\(error.message)); try again shortly"))
        }
    }

    /// The unit, or nil if roster has none with that code.
    public func unit(_ code: String) async throws -> OrgUnit? {
        try await cached("unit:" + code) { () async throws -> OrgUnit? in
            do {
                return try await ask(RosterAPI.getUnit, GetUnitRequest(code: code))
            } catch let error as RPCError where error.code == .notFound {
                return nil
            }
        }
    }

    /// Whether `unit` lies under `ancestor`; a unit roster does not know lies under nothing.
    public func isUnder(_ unit: String, _ ancestor: String) async throws -> Bool {
        try await cached("under:\(unit)\u{1}\(ancestor)") { () async throws -> Bool in
            do {
                return try await ask(RosterAPI.isUnder, IsUnderRequest(unit: unit, ancestor: ancestor)).value
            } catch let error as RPCError where error.code == .notFound {
                return false
            }
        }
    }

    public func person(_ id: Int) async throws -> Person? {
        try await cached("person:\(id)") { () async throws -> Person? in
            do {
                return try await ask(RosterAPI.getPerson, GetPersonRequest(id: id))
            } catch let error as RPCError where error.code == .notFound {
                return nil
            }
        }
    }

    public func topics() async throws -> [String: Topic] {
        try await cached("topics") {
            Dictionary(uniqueKeysWithValues: try await ask(RosterAPI.listTopics, ListTopicsRequest(includeRetired: true)).topics.map { ($0.code, $0) })
        }
    }

    /// Codes of every unit below `unit`, whatever their validity.
    public func subtree(_ unit: String) async throws -> Set<String> {
        try await cached("subtree:" + unit) {
            Set(try await ask(RosterAPI.listUnits, ListUnitsRequest(parent: unit, subtree: true)).units.map(\.code))
        }
    }
}

extension RosterLookup: UnitScope {
    public func contains(_ units: [String], within roots: [String]) async throws -> Bool {
        for unit in units where !roots.contains(unit) {
            var inside = false
            for root in roots where !inside { inside = try await isUnder(unit, root) }
            if !inside { return false }
        }
        return true
    }
}
