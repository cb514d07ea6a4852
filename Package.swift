// swift-tools-version:6.0
import PackageDescription

/// icelab: a deterministic network simulator and ICE connectivity lab.
/// Layering (dependencies point downwards only): see docs/architecture.md.
/// Release builds of the simulator skip Swift's dynamic exclusivity checks: the event
/// loop is single-threaded, debug builds (which run the tests) keep full enforcement,
/// and the checks cost 40-45% of packet throughput (docs/performance.md).
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
    ],
    targets: [
        .target(name: "NetTypes"),
        .target(name: "SDP", dependencies: ["NetTypes"]),
        .target(
            name: "Simulator",
            dependencies: ["NetTypes", .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: simulatorRelease
        ),
        .target(name: "Bench", dependencies: ["NetTypes", "Simulator"], swiftSettings: simulatorRelease),
        .executableTarget(
            name: "icelab",
            dependencies: [
                "NetTypes", "Simulator", "Bench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "NetTypesTests", dependencies: ["NetTypes"]),
        .testTarget(name: "SDPTests", dependencies: ["SDP", "NetTypes"], exclude: ["Fixtures"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "NetTypes"]),
        .testTarget(name: "BenchTests", dependencies: ["Bench"]),
        .testTarget(name: "ArchitectureTests"),
    ],
    swiftLanguageModes: [.v6]
)
