// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
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
        .target(name: "CPulseLinux", cSettings: [.define("_GNU_SOURCE")]),
        // SHA-256's compression: the x86-64 SHA extensions where the CPU has them, else portable C.
        .target(name: "CSHA256"),
        // An SQLite VFS that writes each commit's log frames in one call.
        .target(name: "CWALBuffer", dependencies: ["CSQLite"]),

        // Libraries: one concern each.
        .target(name: "Wire", dependencies: ["CSHA256"], swiftSettings: strict),
        .target(name: "RPC", dependencies: ["Wire", "CPulseLinux"], swiftSettings: strict),
        .target(name: "Store", dependencies: ["CSQLite", "CWALBuffer", "RPC"], swiftSettings: strict),
        .target(name: "Text", swiftSettings: strict),
        .target(name: "Statistics", swiftSettings: strict),
        // Helpers shared by the test targets: temporary directories, RPC errors as values.
        .target(name: "TestSupport", dependencies: ["RPC"], path: "Tests/TestSupport", swiftSettings: strict),
        .target(name: "Arguments", swiftSettings: strict),
        .target(name: "Messages", dependencies: ["Wire"], swiftSettings: strict),
        .target(name: "Daemon", dependencies: ["RPC", "Arguments", "CPulseLinux"], swiftSettings: strict),
        .target(name: "Spawn", dependencies: ["CPulseLinux"], swiftSettings: strict),
        .target(
            name: "Roster", dependencies: ["RPC", "Store", "Text", "Messages"],
            resources: [.copy("Resources")], swiftSettings: strict),
        .target(name: "Intake", dependencies: ["RPC", "Store", "Text", "Messages"], swiftSettings: strict),
        .target(name: "Analytics", dependencies: ["RPC", "Store", "Text", "Messages", "Statistics"], swiftSettings: strict),
        .target(name: "Notification", dependencies: ["RPC", "Store", "Messages"], swiftSettings: strict),
        .target(name: "Gateway", dependencies: ["RPC", "Store", "Messages"], swiftSettings: strict),
        .target(
            name: "PulseCLI", dependencies: ["RPC", "Wire", "Messages", "Text", "Statistics", "Arguments", "Daemon", "Spawn", "CPulseLinux"],
            swiftSettings: strict),

        // Thin executables.
        .executableTarget(name: "roster", dependencies: ["Roster", "Daemon"], swiftSettings: strict),
        .executableTarget(name: "report-intake", dependencies: ["Intake", "Daemon"], swiftSettings: strict),
        .executableTarget(name: "analytics", dependencies: ["Analytics", "Daemon"], swiftSettings: strict),
        .executableTarget(name: "notification", dependencies: ["Notification", "Daemon"], swiftSettings: strict),
        .executableTarget(name: "gateway", dependencies: ["Gateway", "Daemon"], swiftSettings: strict),
        // `pulse` depends on the daemons so that `swift run pulse demo` builds them too.
        .executableTarget(
            name: "pulse",
            dependencies: ["PulseCLI", "roster", "report-intake", "analytics", "notification", "gateway"],
            swiftSettings: strict),
        .executableTarget(
            name: "pulse-bench", dependencies: ["RPC", "Wire", "Messages", "Roster", "Intake", "Analytics", "Text", "Store", "Arguments"],
            swiftSettings: strict),

        .testTarget(name: "WireTests", dependencies: ["Wire", "CSHA256"], swiftSettings: strict),
        .testTarget(name: "RPCTests", dependencies: ["RPC", "Wire"], swiftSettings: strict),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon"], swiftSettings: strict),
        .testTarget(name: "SpawnTests", dependencies: ["Spawn"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["TestSupport", "Store", "RPC"], swiftSettings: strict),
        .testTarget(name: "RosterTests", dependencies: ["TestSupport", "Roster", "RPC", "Messages", "Store"], swiftSettings: strict),
        .testTarget(name: "IntakeTests", dependencies: ["TestSupport", "Intake", "Roster", "RPC", "Messages", "Store", "Wire"], swiftSettings: strict),
        .testTarget(name: "MessagesTests", dependencies: ["Messages", "Wire", "RPC"], swiftSettings: strict),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "RPC", "Messages", "Wire", "Store", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "NotificationTests", dependencies: ["Notification", "Messages", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"], swiftSettings: strict),
        .testTarget(name: "AnalyticsTests", dependencies: ["TestSupport", "Analytics", "Messages", "Store", "RPC", "Statistics"], swiftSettings: strict),
        .testTarget(name: "TextTests", dependencies: ["Text"], resources: [.copy("Resources")], swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["PulseCLI", "Arguments", "Text"], swiftSettings: strict),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["RPC", "Messages", "Spawn", "Store", "roster", "report-intake", "analytics", "notification", "gateway", "pulse"],
            swiftSettings: strict),
    ]
)
