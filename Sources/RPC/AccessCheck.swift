import Base
import Localization
import Wire

/// Applies a method's ``AccessRule`` to one call, before its handler runs: the caller's role
/// must be one the rule names, and a scoped role may touch only its own units.
enum AccessCheck {
    /// Nil when the call may go ahead; else the refusal to answer with.
    static func refusal<Request>(_ rule: AccessRule<Request>, method: String, request: Request, context: ServerContext) async -> RPCError? {
        guard let principal = context.principal else {
            return RPCError(.unauthenticated, tr("không xác định được người gọi", en: "the caller could not be identified"))
        }
        guard rule.roles.contains(principal.role) else {
            let allowed = rule.roles.sorted().map(\.rawValue).joined(separator: ", ")
            return RPCError(.permissionDenied, tr("\(method) không mở cho vai trò \(principal.role.rawValue) (chỉ dành cho: \(allowed))", en: "\(method) is not open to the \(principal.role.rawValue) role (it is for: \(allowed))"))
        }
        guard rule.scopedRoles.contains(principal.role) else { return nil }
        let units = rule.units?(request) ?? []
        guard !units.isEmpty else {
            return RPCError(.permissionDenied, tr("\(method): hãy nêu một đơn vị của bạn; vai trò \(principal.role.rawValue) chỉ làm việc cho đơn vị của mình", en: "\(method): name one of your units; a \(principal.role.rawValue) acts for their own units only"))
        }
        guard !principal.units.isEmpty else {
            return RPCError(.permissionDenied, tr("\(method): tài khoản của bạn không có đơn vị nào trong chính sách của gateway hay trong roster; hãy đề nghị Ban bổ sung", en: "\(method): your account has no units in the gateway's policy or the roster; ask the commission to add them"))
        }
        guard let scope = context.unitScope else {
            return RPCError(.permissionDenied, tr("\(method): dịch vụ này không kiểm tra được đơn vị nên không phục vụ vai trò \(principal.role.rawValue) cho đơn vị nào", en: "\(method): this service cannot check units, so it serves the \(principal.role.rawValue) role no unit"))
        }
        do {
            if try await scope.contains(units, within: principal.units) { return nil }
        } catch {
            return RPCError(.unavailable, tr("\(method): chưa kiểm tra được đơn vị của bạn lúc này (\(error)); hãy thử lại", en: "\(method): your units could not be checked now (\(error)); try again"))
        }
        let yours = principal.units.joined(separator: ", ")
        return RPCError(.permissionDenied, tr("\(method): đơn vị \(units.joined(separator: ", ")) nằm ngoài các đơn vị của bạn (\(yours) và các đơn vị trực thuộc)", en: "\(method): unit \(units.joined(separator: ", ")) is outside your units (\(yours) and the units under them)"))
    }
}
