import Foundation
import Testing

/// Enforces the principles docs/architecture.md records on the source tree: protocol cores are sans-IO (no
/// clocks, threads, sockets or system randomness) and dependencies point downwards.
@Suite struct LayeringTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// Targets that must stay sans-IO.
    static let cores = ["NetTypes", "STUN", "TURN", "ICE", "SDP", "JSEP", "TCP", "TLS", "DTLS", "SRTP", "SCTP", "DataChannel", "RTP", "Congestion", "Media", "WebSocket", "Signaling"]

    /// The layers above the simulator and the cores: TCP on simulated hosts, result types,
    /// scenarios, the results store, the report and the command line (docs/architecture.md).
    static let upperLayers = ["SimulatedTCP", "Records", "Scenario", "Results", "Recording", "Reporting", "Bench", "icelab"]

    /// Modules a core may not import.
    static let forbiddenImports = ["Dispatch", "NIO", "NIOCore", "NIOPosix", "NIOHTTP1", "Yams", "Simulator", "Live", "ArgumentParser",
                                   "Logging", "Metrics", "CoreMetrics", "Prometheus"]
        + upperLayers

    /// Calls that read a clock, block, or draw system randomness.
    static let forbiddenCalls = ["Date()", "Date.now", "ContinuousClock", "SuspendingClock", "DispatchTime",
                                 "clock_gettime", "gettimeofday", "SystemRandomNumberGenerator", "arc4random",
                                 "Thread.", "usleep(", "Task.sleep", "RAND_bytes", "ProcessInfo"]

    static let tests = sources.deletingLastPathComponent().appendingPathComponent("Tests")

    static func swiftFiles(in target: String, under root: URL = sources) -> [URL] {
        let dir = root.appendingPathComponent(target)
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    /// Every module imported by a file of `target`, with the place it is imported.
    static func imports(in target: String, under root: URL = sources) throws -> [(place: String, module: String)] {
        var found: [(String, String)] = []
        for file in swiftFiles(in: target, under: root) {
            for (number, line) in try codeLines(file) {
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), words[..<index].allSatisfy({ $0.hasPrefix("@") }),
                      index + 1 < words.count else { continue }
                let module = words[index + 1].split(separator: ".").first.map(String.init) ?? ""
                found.append(("\(target)/\(file.lastPathComponent):\(number)", module))
            }
        }
        return found
    }

    static func codeLines(_ url: URL) throws -> [(Int, String)] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { ($0.offset + 1, String($0.element)) }
            .filter { !$0.1.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
    }

    /// Every violation of the sans-IO rules in `lines` of a core file.
    static func violations(in lines: [(Int, String)], file: String) -> [String] {
        var found: [String] = []
        for (number, line) in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let place = "\(file):\(number)"
            if trimmed.hasPrefix("import ") || trimmed.hasPrefix("@testable import ") {
                let module = trimmed.components(separatedBy: "import ").last?.split(separator: ".").first.map(String.init) ?? ""
                if forbiddenImports.contains(module) { found.append("\(place) imports \(module)") }
            }
            for call in forbiddenCalls where line.contains(call) { found.append("\(place) uses \(call)") }
            if line.contains(".random(") && !line.contains("using:") { found.append("\(place) draws system randomness") }
        }
        return found
    }

    @Test func coresAreSansIO() throws {
        var checked = 0
        for target in Self.cores {
            for file in Self.swiftFiles(in: target) {
                checked += 1
                let found = Self.violations(in: try Self.codeLines(file), file: "\(target)/\(file.lastPathComponent)")
                #expect(found.isEmpty, "\(found)")
            }
        }
        #expect(checked > 0)
    }

    @Test func everyCoreIsATarget() throws {
        let graph = try PackageGraph()
        for core in Self.cores { #expect(graph.dependencies[core] != nil, "\(core) is not a target in Package.swift") }
    }

    @Test func simulatorDoesNotReachUpwards() throws {
        let imports = try Self.imports(in: "Simulator")
        #expect(!imports.isEmpty)
        for (place, module) in imports {
            #expect(!(["Live", "ArgumentParser"] + Self.upperLayers).contains(module), "\(place) imports \(module)")
        }
    }

    @Test func theScannerRecognisesViolations() {
        let sample = ["import NIOCore", "import NetTypes", "let t = Date()", "let x = Int.random(in: 0...3)",
                      "let y = Int.random(in: 0...3, using: &rng)", "// Date() in a comment is fine"]
        let lines = sample.enumerated().map { ($0.offset + 1, $0.element) }
            .filter { !$0.1.hasPrefix("//") }
        #expect(Self.violations(in: lines, file: "X.swift") ==
                ["X.swift:1 imports NIOCore", "X.swift:3 uses Date()", "X.swift:4 draws system randomness"])
    }
}
