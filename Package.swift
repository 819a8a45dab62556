// swift-tools-version:6.0
import PackageDescription

// Every Swift target: Swift 6, `any` spelled out, and every module a file uses imported by
// that file and listed below as a dependency (no import leaks in through another module).
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let services = ["Roster", "Intake", "Analytics", "Notification", "Gateway"]

let package = Package(
    name: "Pulse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pulse", targets: ["pulse"]),
        .executable(name: "report-intake", targets: ["report-intake"]),
        .executable(name: "roster", targets: ["roster"]),
        .executable(name: "analytics", targets: ["analytics"]),
        .executable(name: "notification", targets: ["notification"]),
        .executable(name: "gateway", targets: ["gateway"]),
        .executable(name: "pulse-bench", targets: ["pulse-bench"]),
    ],
    targets: [
        // C: the system SQLite library, one Linux shim (peer credentials, epoll, posix_spawn).
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // The system's OpenSSL, for STARTTLS to a mail relay.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .target(name: "CPulseLinux", cSettings: [.define("_GNU_SOURCE")]),
        // SHA-256's compression: the x86-64 SHA extensions where the CPU has them, else portable C.
        .target(name: "CSHA256"),
        // An SQLite VFS that writes each commit's log frames in one call.
        .target(name: "CWALBuffer", dependencies: ["CSQLite"]),

        // Libraries: one concern each.
        // Locks, the logger, system errors, durations and the status a failure reaches a caller as.
        .target(name: "Base", swiftSettings: strict),
        // The language a person is spoken to in (Vietnamese first), and numbers and dates as they write them.
        .target(name: "Localization", swiftSettings: strict),
        .target(name: "Wire", dependencies: ["CSHA256"], swiftSettings: strict),
        .target(name: "RPC", dependencies: ["Base", "Localization", "Wire", "CPulseLinux"], swiftSettings: strict),
        .target(name: "Store", dependencies: ["Base", "CSQLite", "CWALBuffer", "Localization"], swiftSettings: strict),
        // Text: the scrubber, normalisation, diacritic restoration, sentiment, topic suggestion;
        // Resources holds the models' data (our own writing, and the Viet74K word list).
        .target(name: "Text", resources: [.copy("Resources")], swiftSettings: strict),
        .target(name: "Statistics", swiftSettings: strict),
        // The gateway's tamper-evident audit log: entries under an RFC 9162 Merkle tree.
        .target(name: "Audit", dependencies: ["Base", "Messages", "Store", "Wire"], swiftSettings: strict),
        // The one change-feed follower: a cursor committed with what each page produced.
        .target(name: "Feeds", dependencies: ["Base", "RPC", "Store", "Messages"], swiftSettings: strict),
        // Helpers shared by the test targets: temporary directories, RPC errors as values.
        .target(
            name: "TestSupport", dependencies: ["Base", "Localization", "RPC", "Spawn"], path: "Tests/TestSupport", resources: [.copy("smtp_server.py")],
            swiftSettings: strict),
        .target(name: "Arguments", dependencies: ["Localization"], swiftSettings: strict),
        .target(name: "Messages", dependencies: ["Localization", "Wire"], swiftSettings: strict),
        .target(name: "Daemon", dependencies: ["Base", "Localization", "RPC", "Arguments", "CPulseLinux", "Store"], swiftSettings: strict),
        .target(name: "Spawn", dependencies: ["Base", "CPulseLinux"], swiftSettings: strict),
        .target(
            name: "Roster", dependencies: ["Base", "Localization", "RPC", "Store", "Text", "Messages", "Wire"],
            resources: [.copy("Resources")], swiftSettings: strict),
        .target(name: "Intake", dependencies: ["Base", "Localization", "RPC", "Store", "Text", "Messages", "Wire"], swiftSettings: strict),
        .target(
            name: "Analytics", dependencies: ["Base", "Localization", "Feeds", "RPC", "Store", "Text", "Messages", "Statistics", "Wire"],
            swiftSettings: strict),
        // Mail out: an SMTP client with STARTTLS and AUTH, and RFC 5322 messages in UTF-8.
        .target(name: "Mail", dependencies: ["COpenSSL"], swiftSettings: strict),
        .target(
            name: "Notification", dependencies: ["Arguments", "Localization", "Base", "Feeds", "Mail", "RPC", "Spawn", "Store", "Messages", "Wire"],
            resources: [.copy("Templates")], swiftSettings: strict),
        .target(name: "Privacy", dependencies: ["Base", "Store", "Text"], swiftSettings: strict),
        // The monthly digest: one self-contained HTML page with inline SVG charts, from gathered figures.
        .target(name: "Digest", dependencies: ["Localization", "Messages"], resources: [.copy("Resources")], swiftSettings: strict),
        .target(name: "Backup", dependencies: ["Base", "CPulseLinux", "Store", "Wire"], swiftSettings: strict),
        .target(name: "Gateway", dependencies: ["Audit", "Base", "RPC", "Store", "Messages", "Statistics", "Text", "Wire"], swiftSettings: strict),
        .target(
            name: "PulseCLI", dependencies: ["Localization", "Digest", "Audit", "Backup", "Base", "Store", "RPC", "Wire", "Messages", "Privacy", "Text", "Statistics", "Arguments", "Daemon", "Spawn", "CPulseLinux"],
            swiftSettings: strict),

        // Thin executables.
        .executableTarget(name: "roster", dependencies: ["Roster", "Daemon", "Arguments", "Base", "Messages"], swiftSettings: strict),
        .executableTarget(name: "report-intake", dependencies: ["Intake", "Daemon", "Base", "RPC", "Arguments"], swiftSettings: strict),
        .executableTarget(name: "analytics", dependencies: ["Analytics", "Daemon", "RPC", "Arguments", "Base", "Messages"], swiftSettings: strict),
        .executableTarget(name: "notification", dependencies: ["Notification", "Daemon", "Base", "RPC", "Arguments"], swiftSettings: strict),
        .executableTarget(name: "gateway", dependencies: ["Gateway", "Daemon", "Base", "Messages", "RPC", "Arguments"], swiftSettings: strict),
        // `pulse` depends on the daemons so that `swift run pulse demo` builds them too.
        .executableTarget(
            name: "pulse",
            dependencies: ["PulseCLI", "roster", "report-intake", "analytics", "notification", "gateway"],
            swiftSettings: strict),
        .executableTarget(
            name: "pulse-bench",
            dependencies: [
                "Audit", "Backup", "Base", "Gateway", "Mail", "RPC", "Wire", "Messages", "Notification", "Roster", "Intake", "Analytics", "Privacy", "Text", "Store",
                "Arguments", "PulseCLI", "Spawn",
            ],
            swiftSettings: strict),

        .testTarget(name: "BaseTests", dependencies: ["Base"], swiftSettings: strict),
        .testTarget(name: "WireTests", dependencies: ["Wire", "CSHA256"], swiftSettings: strict),
        .testTarget(name: "RPCTests", dependencies: ["Base", "CPulseLinux", "RPC", "Wire"], swiftSettings: strict),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon"], swiftSettings: strict),
        .testTarget(name: "SpawnTests", dependencies: ["Spawn"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Base", "TestSupport", "Store"], swiftSettings: strict),
        .testTarget(name: "RosterTests", dependencies: ["Base", "Localization", "TestSupport", "Roster", "RPC", "Messages", "Store"], swiftSettings: strict),
        .testTarget(name: "IntakeTests", dependencies: ["Base", "TestSupport", "Intake", "Roster", "RPC", "Messages", "Store", "Wire"], swiftSettings: strict),
        .testTarget(
            name: "MessagesTests",
            dependencies: ["Analytics", "Base", "Gateway", "Intake", "Messages", "Notification", "RPC", "Roster", "TestSupport", "Wire"],
            swiftSettings: strict),
        .testTarget(
            name: "GatewayTests", dependencies: ["Base", "Gateway", "RPC", "Messages", "Wire", "Store", "TestSupport", "Text"],
            swiftSettings: strict),
        .testTarget(
            name: "NotificationTests", dependencies: ["Base", "Feeds", "Mail", "Notification", "Messages", "RPC", "Spawn", "Store", "TestSupport", "Wire"],
            swiftSettings: strict),
        .testTarget(name: "FeedsTests", dependencies: ["Base", "Feeds", "Store", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AuditTests", dependencies: ["Audit", "Messages", "Store", "TestSupport", "Wire"], swiftSettings: strict),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"], swiftSettings: strict),
        .testTarget(name: "AnalyticsTests", dependencies: ["Base", "TestSupport", "Analytics", "Messages", "RPC", "Store"], swiftSettings: strict),
        .testTarget(name: "TextTests", dependencies: ["Text"], resources: [.copy("Resources")], swiftSettings: strict),
        .testTarget(name: "DigestTests", dependencies: ["Digest", "Localization", "Messages"], swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["PulseCLI", "Localization", "Arguments", "Base", "Messages", "RPC", "Wire"], swiftSettings: strict),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "Analytics", "Backup", "Base", "Gateway", "Intake", "Notification", "Privacy", "Roster", "RPC", "Messages", "Spawn", "Store", "TestSupport", "Text", "Wire",
                "roster", "report-intake", "analytics", "notification", "gateway", "pulse",
            ],
            resources: [.copy("access.tsv"), .copy("text-fields.tsv")],
            swiftSettings: strict),
    ]
)
