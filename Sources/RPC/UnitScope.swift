/// What a service knows of the unit tree, for the access check of a scoped role: whether every
/// one of `units` is one of `roots` or lies under one.
public protocol UnitScope: Sendable {
    func contains(_ units: [String], within roots: [String]) async throws -> Bool
}
