/// The identity of the process at the other end of a Unix socket, read by the kernel when it
/// connected (SO_PEERCRED and SO_PEERGROUPS), never from anything it says.
public struct PeerCredentials: Hashable, Sendable, Codable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32
    /// Supplementary groups.
    public var groups: [UInt32]

    public init(pid: Int32, uid: UInt32, gid: UInt32, groups: [UInt32] = []) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
        self.groups = groups
    }

    /// Whether the process is in `gid`, as its primary or a supplementary group.
    public func isMember(of gid: UInt32) -> Bool { self.gid == gid || groups.contains(gid) }

    /// An identity that no account has, for a socket whose peer could not be read.
    static let unknown = PeerCredentials(pid: 0, uid: .max, gid: .max)
}
