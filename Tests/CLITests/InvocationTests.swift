import Arguments
import Base
import Foundation
import Messages
import RPC
import Wire
import Testing
@testable import PulseCLI

@Suite("A command's calls to the gateway")
struct InvocationTests {
    @Test("every call of one invocation shares one connection")
    func oneConnection() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-cli-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var router = Router()
        router.register(GatewayAPI.whoAmI) { _, context in
            WhoAmI(uid: context.peer.uid, gid: context.peer.gid, pid: context.peer.pid, role: "manager")
        }
        let server = RPCServer(configuration: .init(path: directory + "/gateway.sock", serviceName: GatewayAPI.service), router: router, logger: .silent())
        try server.start()
        let invocation = Invocation(arguments: ParsedArguments(), output: Output(format: .json), socketPath: directory + "/gateway.sock")
        for _ in 0..<5 { _ = try await invocation.call(GatewayAPI.whoAmI, Empty()) }
        #expect(server.connectionsAccepted == 1, "five calls, one connection and one reader thread")
        await server.shutdown()
    }
}
