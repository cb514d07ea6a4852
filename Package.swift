// swift-tools-version:6.0
import PackageDescription

/// icelab: a deterministic network simulator and ICE connectivity lab.
/// Layering (dependencies point downwards only): see docs/architecture.md.
let package = Package(
    name: "icelab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "icelab", targets: ["icelab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "NetTypes"),
        .target(name: "Simulator", dependencies: ["NetTypes"]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .target(name: "STUN", dependencies: ["NetTypes", "COpenSSL"]),
        .executableTarget(
            name: "icelab",
            dependencies: [
                "NetTypes", "Simulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "NetTypesTests", dependencies: ["NetTypes"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "NetTypes"]),
        .testTarget(name: "STUNTests", dependencies: ["STUN", "NetTypes"], exclude: ["Corpus"]),
    ],
    swiftLanguageModes: [.v6]
)
