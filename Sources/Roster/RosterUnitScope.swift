import RPC
import Messages

/// Roster's own view of the unit tree, for the access check of a scoped role.
public struct RosterUnitScope: UnitScope {
    let store: RosterStore

    public init(_ store: RosterStore) { self.store = store }

    public func contains(_ units: [String], within roots: [String]) async throws -> Bool {
        for unit in units where !roots.contains(unit) {
            var inside = false
            for root in roots where !inside {
                // A unit roster does not know is inside no one's scope.
                inside = (try? await store.isUnder(IsUnderRequest(unit: unit, ancestor: root))) ?? false
            }
            if !inside { return false }
        }
        return true
    }
}
