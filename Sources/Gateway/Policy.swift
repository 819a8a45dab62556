import Base
import Foundation
import Glibc
import RPC
import Wire

/// The gateway's policy: which accounts may use Pulse, and as what. Read from a JSON file
/// (`gateway --policy FILE`, see `deploy/policy.example.json`):
///
///     {"principals": [
///       {"uid": 1001, "role": "admin"},
///       {"group": "pulse-analysts", "role": "analyst"},
///       {"user": "nva", "role": "official", "person": 17},
///       {"uid": 1003, "role": "partner", "agency": "police", "units": ["42-DU-CA"]}
///     ]}
///
/// An entry matches by uid, user name or group (primary or supplementary); where several
/// match, the first in the file wins.
public struct Policy: Sendable {
    public struct Entry: Sendable, Hashable {
        public enum Match: Sendable, Hashable {
            case uid(UInt32)
            case group(UInt32)
        }
        public var match: Match
        /// How the file named it ("uid 1001", "user nva", "group pulse-analysts"), for messages.
        public var named: String
        public var role: Role
        public var agency: String?
        public var person: Int?
        public var units: [String]
        public var line: Int
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The entry for a peer, if any: the first that matches.
    public func entry(for peer: PeerCredentials) -> Entry? {
        entries.first { entry in
            switch entry.match {
            case .uid(let uid): return uid == peer.uid
            case .group(let gid): return peer.isMember(of: gid)
            }
        }
    }

    /// A policy that makes `uid` (and root) administrators: what `pulse demo` and tests start with.
    public static func administrators(_ uids: [UInt32]) -> Policy {
        Policy(entries: uids.map { Entry(match: .uid($0), named: "uid \($0)", role: .admin, agency: nil, person: nil, units: [], line: 0) })
    }

    /// A mistake in the policy file, with where it is and what to do.
    public struct LoadError: Error, CustomStringConvertible {
        public var path: String
        public var line: Int
        public var message: String
        public var description: String { "\(path):\(line): \(message)" }
    }

    static let fields = ["uid", "user", "group", "role", "agency", "person", "units"]

    /// Reads and checks a policy file; names the line and field of the first mistake.
    public static func load(path: String) throws(LoadError) -> Policy {
        try load(path: path, accounts: Accounts())
    }

    static func load(path: String, accounts: Accounts) throws(LoadError) -> Policy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(path: path, line: 0, message: "cannot read the policy file (\(SystemError.lastReason))")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path, accounts: accounts)
    }

    /// Finds accounts and groups by name: the system's databases, or a test's.
    struct Accounts {
        var uid: (String) -> UInt32? = { name in getpwnam(name).map { $0.pointee.pw_uid } }
        var gid: (String) -> UInt32? = { name in getgrnam(name).map { $0.pointee.gr_gid } }
    }

    static func parse(_ text: String, path: String, accounts: Accounts = Accounts()) throws(LoadError) -> Policy {
        let tree: JSONTree
        do { tree = try JSONTree.parse(text) } catch { throw LoadError(path: path, line: error.line, message: error.message) }
        func fail(_ line: Int, _ message: String) -> LoadError { LoadError(path: path, line: line, message: message) }
        guard case .object(let top, let topLine) = tree else { throw fail(tree.line, "the policy is an object: {\"principals\": [...]}") }
        guard let principals = top.first(where: { $0.key == "principals" }) else {
            throw fail(topLine, "principals: missing; list the accounts that may use Pulse under \"principals\"")
        }
        if let stray = top.first(where: { $0.key != "principals" }) {
            throw fail(stray.line, "\(stray.key): not a field of the policy; the only one is \"principals\"")
        }
        guard case .array(let items, _) = principals.value else {
            throw fail(principals.line, "principals: expected a list of entries, found \(principals.value.kind)")
        }
        guard !items.isEmpty else {
            throw fail(principals.line, "principals: the list is empty, so nobody could use Pulse, its administrators included; name at least one admin")
        }
        var entries: [Entry] = []
        for (index, item) in items.enumerated() {
            let at = "principals[\(index)]"
            guard case .object(let fields, let line) = item else { throw fail(item.line, "\(at): expected an object, found \(item.kind)") }
            if let stray = fields.first(where: { !Policy.fields.contains($0.key) }) {
                throw fail(stray.line, "\(at).\(stray.key): not a field of an entry; the fields are \(Policy.fields.joined(separator: ", "))")
            }
            func field(_ name: String) -> (value: JSONTree, line: Int)? {
                fields.first { $0.key == name }.map { ($0.value, $0.line) }
            }
            func text(_ name: String) throws(LoadError) -> String? {
                guard let (value, line) = field(name) else { return nil }
                guard case .string(let s, _) = value, !s.isEmpty else { throw fail(line, "\(at).\(name): expected text, found \(value.kind)") }
                return s
            }
            func wholeNumber(_ name: String, below limit: Double) throws(LoadError) -> Int? {
                guard let (value, line) = field(name) else { return nil }
                guard case .number(let n, _) = value, n >= 0, n < limit, n == n.rounded() else {
                    throw fail(line, "\(at).\(name): expected a whole number from 0 to \(Int(limit) - 1), found \(value.description)")
                }
                return Int(n)
            }
            let keys = ["uid", "user", "group"].filter { field($0) != nil }
            guard keys.count == 1 else {
                throw fail(line, "\(at): give exactly one of uid, user or group to say whose account this is\(keys.isEmpty ? "" : " (it has \(keys.joined(separator: " and ")))")")
            }
            let match: Entry.Match
            let named: String
            if let uid = try wholeNumber("uid", below: 4_294_967_295) {
                match = .uid(UInt32(uid))
                named = "uid \(uid)"
            } else if let user = try text("user") {
                guard let uid = accounts.uid(user) else { throw fail(field("user")!.line, "\(at).user: no user \"\(user)\" on this machine (getent passwd \(user))") }
                match = .uid(uid)
                named = "user \(user)"
            } else {
                let group = try text("group")!
                guard let gid = accounts.gid(group) else { throw fail(field("group")!.line, "\(at).group: no group \"\(group)\" on this machine (getent group \(group))") }
                match = .group(gid)
                named = "group \(group)"
            }
            guard let roleText = try text("role") else {
                throw fail(line, "\(at).role: missing; one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let role = Role(rawValue: roleText) else {
                throw fail(field("role")!.line, "\(at).role: \"\(roleText)\" is not a role; one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let person = try wholeNumber("person", below: 1e15)
            if role == .official && person == nil {
                throw fail(line, "\(at).person: an official's entry names their roster person (pulse people list), whose units are theirs")
            }
            var units: [String] = []
            if let (value, unitsLine) = field("units") {
                guard case .array(let list, _) = value else { throw fail(unitsLine, "\(at).units: expected a list of unit codes, found \(value.kind)") }
                for unit in list {
                    guard case .string(let code, _) = unit, !code.isEmpty else { throw fail(unit.line, "\(at).units: expected unit codes as text, found \(unit.kind)") }
                    units.append(code)
                }
            }
            if role == .partner && units.isEmpty && field("units") != nil {
                throw fail(field("units")!.line, "\(at).units: a partner's list of units is empty; leave it out or name their units")
            }
            entries.append(Entry(match: match, named: named, role: role, agency: try text("agency"), person: person, units: units, line: line))
        }
        return Policy(entries: entries)
    }
}
