import Foundation
import Glibc
import Spawn

/// aiosmtpd (Debian's python3-aiosmtpd, installed by .ci/run) on a loopback port, run by
/// `Resources/smtp_server.py`; each message it accepts is read back as Python's email package
/// decoded it.
public final class SMTPTestServer: @unchecked Sendable {  // port is set once, before start returns
    public let process: ChildProcess
    public private(set) var port = 0
    public let directory: String
    public let outbox: String

    public static var script: String { Bundle.module.url(forResource: "smtp_server", withExtension: "py")!.path }
    public static var python: String { FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3" }

    /// Starts the server and waits (asynchronously: no cooperative thread is held) until it
    /// listens. `options` are the script's (--tls, --auth, --fail-first, --reject, --port).
    public static func start(_ options: [String] = []) async throws -> SMTPTestServer {
        let server = try SMTPTestServer(launching: options)
        let log = server.directory + "/server.out"
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: log, encoding: .utf8), let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }),
                let port = Int(line.dropFirst(5))
            {
                server.port = port
                return server
            }
            if !server.process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let err = (try? String(contentsOfFile: server.directory + "/server.err", encoding: .utf8)) ?? ""
        throw SMTPServerError(description: "the test SMTP server did not start (is python3-aiosmtpd installed?): \(err.suffix(800))")
    }

    private init(launching options: [String]) throws {
        directory = temporaryDirectory("smtp")
        outbox = directory + "/messages"
        try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
        let log = directory + "/server.out"
        process = try ChildProcess(
            executable: SMTPTestServer.python, arguments: [SMTPTestServer.script, "--out", outbox] + options,
            standardInput: .null, standardOutput: .appending(toFile: log), standardError: .appending(toFile: directory + "/server.err"))
    }

    deinit {
        _ = process.signal(SIGKILL)
        _ = process.wait()
    }

    public struct Received: Decodable, Sendable {
        public var mail_from: String
        public var rcpt_tos: [String]
        public var to: String
        public var from: String
        public var subject: String
        public var raw_subject: String
        public var message_id: String
        public var body: String
        public var tls: Bool
        public var authenticated: Bool
        public var transfer_encoding: String
    }

    /// Every message accepted so far, in the order accepted.
    public func received() throws -> [Received] {
        let files = try FileManager.default.contentsOfDirectory(atPath: outbox).filter { $0.hasSuffix(".json") }.sorted {
            (Int($0.split(separator: "-")[0]) ?? 0) < (Int($1.split(separator: "-")[0]) ?? 0)
        }
        return try files.map { try JSONDecoder().decode(Received.self, from: Data(contentsOf: URL(fileURLWithPath: outbox + "/" + $0))) }
    }

    /// Waits until at least `count` messages arrived (or `timeout` passed), then returns them all.
    public func waitFor(_ count: Int, timeout: TimeInterval = 15) async throws -> [Received] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let got = try received()
            if got.count >= count { return got }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try received()
    }
}

public struct SMTPServerError: Error, CustomStringConvertible {
    public var description: String
}

/// A certificate for localhost and 127.0.0.1, made with the openssl command.
public func makeCertificate(in directory: String) async throws -> (cert: String, key: String) {
    let cert = directory + "/cert.pem"
    let key = directory + "/key.pem"
    let result = try await ChildProcess.collected(
        executable: "/usr/bin/openssl",
        arguments: ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", key, "-out", cert])
    guard result.termination.succeeded else { throw SMTPServerError(description: "openssl: " + String(decoding: result.standardError, as: UTF8.self)) }
    return (cert, key)
}
