/// The identity of the process at the other end of a Unix socket, read by the kernel (SO_PEERCRED).
public struct PeerCredentials: Hashable, Sendable, Codable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }
}
