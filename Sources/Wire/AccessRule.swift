/// The roles a principal can have; the gateway's policy file gives each account one.
public enum Role: String, WireEnum, Comparable {
    /// The commission's administrators: everything, the audit log read-only.
    case admin
    /// The commission's analysts: every report and figure, surveys; no roster writes, no contacts.
    case analyst
    /// A unit's official in charge or collaborator: their own units' reports, province-wide figures.
    case official
    /// Another agency: aggregates under the small-cell rule, full reports of their own units.
    case partner
    /// The audit log only.
    case auditor

    public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }
}

/// Who may call a method. Part of every descriptor, so a method cannot exist without one; the
/// server's access check applies it before the handler runs.
///
/// `roles` may call the method. Of those, the roles in `scopedRoles` only for their own units:
/// `units` reads which units a request touches, and each must be one of the principal's units
/// or under one. A request that names no unit is refused to a scoped role, since it would reach
/// every unit.
public struct AccessRule<Request>: Sendable {
    public let roles: Set<Role>
    public let scopedRoles: Set<Role>
    public let units: (@Sendable (Request) -> [String])?

    public init(roles: Set<Role>, scoped: Set<Role> = [], units: (@Sendable (Request) -> [String])? = nil) {
        precondition(scoped.isSubset(of: roles), "a scoped role must be one of the roles")
        precondition(scoped.isEmpty || units != nil, "scoped roles need a way to read the request's units")
        self.roles = roles
        self.scopedRoles = scoped
        self.units = units
    }

    /// Only these roles, each for any unit.
    public static func only(_ roles: Role...) -> AccessRule { AccessRule(roles: Set(roles)) }

    /// Every role: health, reflection, who-am-I.
    public static var everyone: AccessRule { AccessRule(roles: Set(Role.allCases)) }
}
