import Foundation
import Spawn
import Testing

@Suite("deploy/: systemd units and install.sh, checked with systemd's own tools", .serialized)
struct DeployTests {
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy").path

    static func units(_ suffixes: [String]) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: deploy).filter { name in name.hasPrefix("pulse") && suffixes.contains { name.hasSuffix($0) } }.sorted()
    }

    @Test("systemd-analyze security --offline rates every service 1.5 or lower")
    func security() async throws {
        let services = try Self.units([".service"])
        #expect(services.count == 8)
        for unit in services {
            let ran = try await run("/usr/bin/systemd-analyze", ["security", "--offline=yes", Self.deploy + "/" + unit])
            let line = ran.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") }.map(String.init) ?? ""
            let score = line.split(separator: ":").last.flatMap { Double($0.split(separator: " ").first ?? "") }
            print("systemd-analyze security: \(unit) \(score.map { String($0) } ?? "?")")
            #expect((score ?? 10) <= 1.5, "\(unit): \(line)\(ran.stderr)")
        }
    }

    @Test("systemd-analyze verify accepts every unit, instantiated for an agency, with the binaries in place")
    func verify() async throws {
        let directory = "/tmp/pulse-verify-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var paths: [String] = []
        for unit in try Self.units([".service", ".socket", ".timer", ".target"]) {
            let text = try String(contentsOfFile: Self.deploy + "/" + unit, encoding: .utf8).replacingOccurrences(of: "/opt/pulse/bin", with: binDirectory)
            let path = directory + "/" + unit.replacingOccurrences(of: "@.", with: "@commission.")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let ran = try await run("/usr/bin/systemd-analyze", ["verify"] + paths)
        #expect(ran.status == 0 && ran.stderr.isEmpty, "\(ran.stdout)\(ran.stderr)")
    }

    /// Every file under `root` with a digest of its content (links as their target).
    static func tree(_ root: String) throws -> [String: String] {
        var out: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return out }
        while let relative = walker.nextObject() as? String {
            let path = root + "/" + relative
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                out[relative] = "-> " + target
            } else if let data = FileManager.default.contents(atPath: path) {
                out[relative] = "\(data.count) \(data.hashValue)"
            }
        }
        return out
    }

    @Test("install.sh --root installs users, binaries, units and the policy; run again it changes nothing; --agency adds one; --uninstall keeps the data")
    func install() async throws {
        let root = "/tmp/pulse-install-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let script = Self.deploy + "/install.sh"
        let first = try await run(script, ["--root", root, "--bin", binDirectory])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("installed /opt/pulse/bin/gateway") && first.stdout.contains("enabled pulse-roster@commission.socket"))
        let passwd = try String(contentsOfFile: root + "/etc/passwd", encoding: .utf8)
        #expect(passwd.contains("pulse-gateway:") && passwd.contains("pulse-commission:") && passwd.contains("pulse-digest:"))
        #expect(first.stdout.contains("enabled pulse-digest.timer (timers.target)"), "\(first.stdout)")
        #expect(try String(contentsOfFile: root + "/etc/pulse/policy.json", encoding: .utf8).contains("{\"user\": \"pulse-digest\", \"role\": \"analyst\"}"))
        #expect(FileManager.default.isExecutableFile(atPath: root + "/opt/pulse/bin/roster"))
        #expect(FileManager.default.fileExists(atPath: root + "/etc/pulse/policy.json"))
        // The modules' resources beside the binaries: without them notification cannot start.
        #expect(FileManager.default.fileExists(atPath: root + "/opt/pulse/bin/Pulse_Notification.resources/Templates/reminder.vi.txt"))
        #expect(FileManager.default.fileExists(atPath: root + "/opt/pulse/bin/Pulse_Roster.resources/Resources/ha-tinh-units.csv"))
        #expect(FileManager.default.fileExists(atPath: root + "/opt/pulse/bin/Pulse_Digest.resources/Resources/ha-tinh-units-geo.csv"))
        let before = try Self.tree(root)

        let second = try await run(script, ["--root", root, "--bin", binDirectory])
        #expect(second.status == 0 && second.stdout.contains("nothing to change"), "\(second.stdout)")
        #expect(try Self.tree(root) == before, "a second run changes no file")

        let police = try await run(script, ["--root", root, "--bin", binDirectory, "--agency", "police"])
        #expect(police.stdout.contains("created user pulse-police") && police.stdout.contains("enabled pulse-analytics@police.socket"), "\(police.stdout)")
        let bad = try await run(script, ["--root", root, "--agency", "Công an"])
        #expect(bad.status == 64 && bad.stderr.contains("--agency takes a name"), "\(bad.stderr)")

        // Data the services wrote stays through an uninstall.
        try FileManager.default.createDirectory(atPath: root + "/var/lib/pulse/commission/roster", withIntermediateDirectories: true)
        try "data".write(toFile: root + "/var/lib/pulse/commission/roster/roster.sqlite", atomically: true, encoding: .utf8)
        let removed = try await run(script, ["--root", root, "--uninstall"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root + "/opt/pulse"))
        #expect(!FileManager.default.fileExists(atPath: root + "/etc/systemd/system/pulse-gateway.service"))
        #expect(FileManager.default.fileExists(atPath: root + "/var/lib/pulse/commission/roster/roster.sqlite"))
        #expect(FileManager.default.fileExists(atPath: root + "/etc/pulse/policy.json"))
    }
}
