import Base
import Wire

/// `pulse.health.v1.Health/Check` and `pulse.reflection.v1.Reflection/ListMethods`, which every
/// server answers.
public enum Introspection {
    public struct HealthCheckRequest: Codable, Sendable {
        public var service: String?
        public init(service: String? = nil) { self.service = service }
    }

    public struct HealthCheckResponse: Codable, Sendable {
        /// Always `SERVING`: a server that answers serves. One shutting down answers every
        /// call, this one too, with UNAVAILABLE; one that is gone does not answer.
        public var status: String
        public var service: String
        public init(status: String, service: String) {
            self.status = status
            self.service = service
        }
    }

    public typealias MethodInfo = MethodShape

    public struct ListMethodsResponse: Codable, Sendable {
        public var service: String
        public var methods: [MethodInfo]
        public init(service: String, methods: [MethodInfo]) {
            self.service = service
            self.methods = methods
        }
    }

    public static let check = MethodDescriptor<HealthCheckRequest, HealthCheckResponse>(
        service: "pulse.health.v1.Health", method: "Check", access: .everyone)
    public static let listMethods = MethodDescriptor<Empty, ListMethodsResponse>(
        service: "pulse.reflection.v1.Reflection", method: "ListMethods", access: .everyone)

    static func register(into router: inout Router, serviceName: String) {
        router.register(check) { request, _ in
            if let asked = request.service, !asked.isEmpty, asked != serviceName {
                throw RPCError(.notFound, "this server is \(serviceName), not \(asked)")
            }
            return HealthCheckResponse(status: "SERVING", service: serviceName)
        }
        // Registered last so that it lists itself and the health check too.
        var all = router.methods.map { MethodInfo(name: $0.name, request: $0.requestShape, response: $0.responseShape) }
        all.append(
            MethodInfo(
                name: listMethods.fullName, request: Shape.describe(Empty.self),
                response: Shape.describe(ListMethodsResponse.self)))
        let sorted = all.sorted { $0.name < $1.name }
        router.register(listMethods) { _, _ in ListMethodsResponse(service: serviceName, methods: sorted) }
    }
}
