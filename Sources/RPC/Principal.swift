import Foundation
import Wire

/// Who a call is made for: the account the kernel named, and what the gateway's policy made
/// of it. Handlers read it from their context, never from a request's own fields.
public struct Principal: Codable, Sendable, Hashable {
    public var uid: UInt32
    public var user: String?
    public var role: Role
    /// The agency a partner (or anyone the policy ties to one) belongs to.
    public var agency: String?
    /// The roster person an official's account is tied to: the submitter of their reports.
    public var person: Int?
    /// The units a scoped role acts for; units under them are theirs too.
    public var units: [String]

    public init(uid: UInt32, user: String? = nil, role: Role, agency: String? = nil, person: Int? = nil, units: [String] = []) {
        self.uid = uid
        self.user = user
        self.role = role
        self.agency = agency
        self.person = person
        self.units = units
    }

    /// The metadata key under which the gateway forwards the principal to a back-end.
    public static let metadataKey = "pulse-principal"

    /// The principal as one metadata value (CBOR, base64).
    public var metadataValue: String {
        ((try? CBOREncoder().encode(self)) ?? []).base64
    }

    init?(metadataValue: String) {
        guard let bytes = [UInt8](base64: metadataValue), let principal = try? CBORDecoder().decode(Principal.self, from: bytes) else {
            return nil
        }
        self = principal
    }
}

extension [UInt8] {
    var base64: String { Data(self).base64EncodedString() }
    init?(base64: String) {
        guard let data = Data(base64Encoded: base64) else { return nil }
        self = [UInt8](data)
    }
}
