import Foundation
import Testing

/// The container image definition (docs/operations.md): no Docker engine runs where the
/// tests do, so its structure is checked instead of built: a Swift build stage making a
/// release build with the Swift runtime linked in, a Debian slim runtime stage with the C
/// libraries icelab links, `icelab` as the entry point, and only files that exist copied.
@Suite struct DockerfileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One instruction: its keyword and the rest, continuation lines joined.
    struct Instruction {
        var keyword: String
        var arguments: String
    }

    /// The instructions of a Dockerfile, comments and blank lines dropped.
    static func instructions(_ text: String) -> [Instruction] {
        var result: [Instruction] = []
        var pending = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty && (trimmed.isEmpty || trimmed.hasPrefix("#")) { continue }
            if trimmed.hasSuffix("\\") {
                pending += trimmed.dropLast() + " "
                continue
            }
            let full = pending + trimmed
            pending = ""
            let keyword = full.prefix { !$0.isWhitespace }
            result.append(Instruction(keyword: keyword.uppercased(), arguments: full.dropFirst(keyword.count).trimmingCharacters(in: .whitespaces)))
        }
        return result
    }

    /// The instructions split into stages at each FROM (ARGs before the first FROM apart).
    static func stages(_ instructions: [Instruction]) -> [[Instruction]] {
        var stages: [[Instruction]] = []
        for instruction in instructions {
            if instruction.keyword == "FROM" { stages.append([instruction]) } else if !stages.isEmpty { stages[stages.count - 1].append(instruction) }
        }
        return stages
    }

    @Test func theImageBuildsAReleaseAndRunsIcelabOnDebianSlim() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let all = Self.instructions(text)
        let stages = Self.stages(all)
        try #require(stages.count == 2, "a build stage and a runtime stage")
        let (build, runtime) = (stages[0], stages[1])
        #expect(build[0].arguments.hasPrefix("swift:${SWIFT_VERSION}-${DEBIAN_RELEASE} AS build"))
        #expect(runtime[0].arguments.hasPrefix("debian:${DEBIAN_RELEASE}-slim"))
        let defaults = all.filter { $0.keyword == "ARG" }.map(\.arguments)
        #expect(defaults.contains { $0.hasPrefix("SWIFT_VERSION=6.") } && defaults.contains("DEBIAN_RELEASE=bookworm"))
        let buildRuns = build.filter { $0.keyword == "RUN" }.map(\.arguments).joined(separator: " ")
        #expect(buildRuns.contains("swift build -c release --static-swift-stdlib --product icelab"))
        let runtimeRuns = runtime.filter { $0.keyword == "RUN" }.map(\.arguments).joined(separator: " ")
        for library in ["libssl3", "libsqlite3-0", "zlib1g"] { #expect(runtimeRuns.contains(library), "\(library)") }
        #expect(runtime.last { $0.keyword == "ENTRYPOINT" }?.arguments == #"["icelab"]"#)
        #expect(runtime.contains { $0.keyword == "COPY" && $0.arguments.hasPrefix("--from=build /usr/local/bin/icelab ") })
        #expect(runtime.contains { $0.keyword == "USER" && $0.arguments != "root" })
    }

    /// Every COPY from the build context names a file or folder of the repository, and the
    /// build stage copies every folder the manifest's targets live in.
    @Test func copiedPathsExist() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let copies = Self.instructions(text).filter { $0.keyword == "COPY" && !$0.arguments.hasPrefix("--from=") }
        #expect(!copies.isEmpty)
        var copied: Set<String> = []
        for copy in copies {
            let parts = copy.arguments.split(separator: " ").map(String.init)
            for source in parts.dropLast() {
                copied.insert(source)
                #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(source).path), "COPY \(source)")
            }
        }
        #expect(copied.isSuperset(of: ["Package.swift", "Sources", "Tests"]))
    }

    /// The build context leaves out build folders (gigabytes of package copies and products).
    @Test func dockerignoreExcludesBuildFolders() throws {
        let lines = try String(contentsOf: Self.root.appendingPathComponent(".dockerignore"), encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains(".build*") && lines.contains(".build"))
        #expect(lines.contains(".git"))
    }
}
