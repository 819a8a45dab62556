import Base
import Wire

/// Applies a method's ``AccessRule`` to one call, before its handler runs: the caller's role
/// must be one the rule names, and a scoped role may touch only its own units.
enum AccessCheck {
    /// Nil when the call may go ahead; else the refusal to answer with.
    static func refusal<Request>(_ rule: AccessRule<Request>, method: String, request: Request, context: ServerContext) async -> RPCError? {
        guard let principal = context.principal else {
            return RPCError(.unauthenticated, "the caller could not be identified")
        }
        guard rule.roles.contains(principal.role) else {
            let allowed = rule.roles.sorted().map(\.rawValue).joined(separator: ", ")
            return RPCError(.permissionDenied, "\(method) is not open to the \(principal.role.rawValue) role (it is for: \(allowed))")
        }
        guard rule.scopedRoles.contains(principal.role) else { return nil }
        let units = rule.units?(request) ?? []
        guard !units.isEmpty else {
            return RPCError(.permissionDenied, "\(method): name one of your units; a \(principal.role.rawValue) acts for their own units only")
        }
        guard !principal.units.isEmpty else {
            return RPCError(.permissionDenied, "\(method): your account has no units in the gateway's policy or the roster; ask the commission to add them")
        }
        guard let scope = context.unitScope else {
            return RPCError(.permissionDenied, "\(method): this service cannot check units, so it serves the \(principal.role.rawValue) role no unit")
        }
        do {
            if try await scope.contains(units, within: principal.units) { return nil }
        } catch {
            return RPCError(.unavailable, "\(method): your units could not be checked now (\(error)); try again")
        }
        let yours = principal.units.joined(separator: ", ")
        return RPCError(.permissionDenied, "\(method): unit \(units.joined(separator: ", ")) is outside your units (\(yours) and the units under them)")
    }
}
