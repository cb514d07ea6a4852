// swift-tools-version:6.0
import PackageDescription

/// icelab: a deterministic network simulator and ICE connectivity lab.
/// Layering (dependencies point downwards only): see docs/architecture.md.
/// Release builds of the simulator (and of its TCP driver, which inlines the simulator's
/// core bridge) skip Swift's dynamic exclusivity checks: the event loop is
/// single-threaded, debug builds (which run the tests) keep full enforcement, and the
/// checks cost 40-45% of packet throughput (docs/performance.md).
let simulatorRelease: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "icelab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "icelab", targets: ["icelab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "NetTypes"),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "STUN", dependencies: ["NetTypes", "COpenSSL", "CZlib"]),
        .target(name: "SDP", dependencies: ["NetTypes"]),
        .target(name: "TURN", dependencies: ["NetTypes", "STUN", "TLS"]),
        .target(name: "ICE", dependencies: ["NetTypes", "STUN", "TURN", "TLS"]),
        .target(name: "TCP", dependencies: ["NetTypes"]),
        .target(name: "CTLSRandom", linkerSettings: [.linkedLibrary("crypto")]),
        .target(name: "TLS", dependencies: ["NetTypes", "COpenSSL", "CTLSRandom"]),
        .target(name: "DTLS", dependencies: ["NetTypes", "COpenSSL", "TLS"]),
        .target(name: "RTP", dependencies: ["NetTypes"]),
        .target(name: "SRTP", dependencies: ["COpenSSL"]),
        .target(name: "JSEP", dependencies: ["NetTypes", "ICE", "SDP", "DTLS"]),
        .target(name: "SCTP", dependencies: ["NetTypes", "COpenSSL"]),
        .target(name: "WebSocket", dependencies: ["NetTypes", "COpenSSL"]),
        .target(name: "Signaling", dependencies: ["NetTypes", "TURN"]),
        .target(name: "DataChannel", dependencies: ["NetTypes", "SCTP"]),
        .target(name: "Congestion", dependencies: ["NetTypes", "RTP"]),
        .target(name: "Media", dependencies: ["NetTypes", "RTP", "Congestion"]),
        .target(
            name: "Simulator",
            dependencies: ["NetTypes", .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: simulatorRelease
        ),
        .target(name: "SimulatedTCP", dependencies: ["NetTypes", "Simulator", "TCP"], swiftSettings: simulatorRelease),
        .target(
            name: "Live",
            dependencies: [
                "NetTypes", "STUN", "TURN", "ICE", "SDP", "JSEP", "RTP", "TLS", "DTLS", "SRTP", "SCTP", "DataChannel", "Signaling", "COpenSSL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(name: "Netns", dependencies: ["NetTypes", "STUN", "Simulator", "Scenario", "Records", "SDP", "Signaling", "Spawn"]),
        .target(name: "Records", dependencies: ["NetTypes"]),
        .target(name: "Spawn"),
        .target(name: "Scenario", dependencies: ["NetTypes", "Records", "Simulator", "STUN", "TURN", "TLS", "DTLS", "SDP", "JSEP", "SRTP", "SCTP", "DataChannel", "ICE", "RTP", "Congestion", "Media", "TCP", "SimulatedTCP", "Signaling", "WebSocket", .product(name: "Yams", package: "Yams")]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "Results", dependencies: ["Records", "CSQLite"]),
        .target(name: "Reporting", dependencies: ["Results", "Records", "NetTypes"]),
        .target(name: "Recording", dependencies: ["NetTypes", "Scenario", "Results", "Records"]),
        .target(
            name: "Bench",
            dependencies: ["NetTypes", "Simulator", "SimulatedTCP", "TCP", "STUN", "TURN", "TLS", "DTLS", "SRTP", "Live", "Records", "Scenario", "Results", "Reporting", "Congestion"],
            swiftSettings: simulatorRelease
        ),
        .executableTarget(
            name: "icelab",
            dependencies: [
                "NetTypes", "Simulator", "STUN", "TURN", "TLS", "ICE", "SDP", "RTP", "SCTP", "DataChannel", "Signaling", "Live", "Scenario", "Records", "Results", "Recording", "Reporting", "Bench", "Congestion", "Netns",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["Spawn"], path: "Tests/TestSupport"),
        .testTarget(name: "NetTypesTests", dependencies: ["NetTypes"]),
        .testTarget(name: "SDPTests", dependencies: ["SDP", "NetTypes"], exclude: ["Fixtures"]),
        .testTarget(name: "JSEPTests", dependencies: ["JSEP", "SDP", "ICE", "DTLS", "TLS", "NetTypes"]),
        .testTarget(name: "WebSocketTests", dependencies: ["WebSocket", "NetTypes"]),
        .testTarget(name: "TCPTests", dependencies: ["TCP", "NetTypes", "TestSupport"]),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "NetTypes", "TestSupport"]),
        .testTarget(name: "DTLSTests", dependencies: ["DTLS", "TLS", "NetTypes", "TestSupport", "Spawn"]),
        .testTarget(name: "SCTPTests", dependencies: ["SCTP", "DataChannel", "NetTypes", "TestSupport", "Spawn"], exclude: ["aiortc_sctp_peer.py"]),
        .testTarget(name: "RTPTests", dependencies: ["RTP", "NetTypes"]),
        .testTarget(name: "SRTPTests", dependencies: ["SRTP", "TestSupport"], exclude: ["libsrtp_vectors.py"]),
        .testTarget(name: "CongestionTests", dependencies: ["Congestion", "RTP", "NetTypes"]),
        .testTarget(name: "MediaTests", dependencies: ["Media", "Congestion", "RTP", "Scenario", "Simulator", "NetTypes", "TestSupport"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "NetTypes", "TCP", "TestSupport"]),
        .testTarget(name: "SimulatedTCPTests", dependencies: ["SimulatedTCP", "TCP", "Simulator", "NetTypes", "TestSupport"]),
        .testTarget(name: "STUNTests", dependencies: ["STUN", "NetTypes", "TestSupport"], exclude: ["Corpus"]),
        .testTarget(name: "TURNTests", dependencies: ["TURN", "STUN", "TLS", "NetTypes", "Simulator", "SimulatedTCP", "Scenario"]),
        .testTarget(name: "TURNLiveTests", dependencies: ["TURN", "STUN", "TLS", "ICE", "NetTypes", "Live", "TestSupport", "Spawn", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
                    exclude: ["aioice_turn_pair.py"]),
        .testTarget(name: "LiveTests", dependencies: ["Live", "Signaling", "STUN", "TURN", "ICE", "SDP", "RTP", "DTLS", "SRTP", "SCTP", "DataChannel", "NetTypes", "TestSupport", "Spawn", .product(name: "Logging", package: "swift-log"), .product(name: "NIOHTTP1", package: "swift-nio"),
                                                 .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio")],
                    exclude: ["aioice_peer.py", "aiortc_peer.py", "aiortc_data_peer.py", "aiortc_signalling.py"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "Records", "NetTypes", "Simulator", "SCTP", "ICE", "RTP", "Media"], exclude: ["Malformed"]),
        .testTarget(name: "ResultsTests", dependencies: ["Results", "Records", "NetTypes"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Results", "Records", "NetTypes", "TestSupport", "Spawn"]),
        .testTarget(name: "IntegrationTests", dependencies: ["Simulator", "STUN", "RTP", "NetTypes", "Netns", "Scenario", "Records", "Results", "Recording", "Reporting", "TestSupport"]),
        .testTarget(name: "NetnsTests", dependencies: ["Netns", "Simulator", "NetTypes", "Scenario", "TestSupport"]),
        .testTarget(name: "ICETests", dependencies: ["ICE", "STUN", "Simulator", "NetTypes"]),
        .testTarget(name: "BenchTests", dependencies: ["Bench", "Congestion", "TestSupport"]),
        .testTarget(name: "SpawnTests", dependencies: ["Spawn"]),
        .testTarget(name: "ArchitectureTests"),
    ],
    swiftLanguageModes: [.v6]
)
