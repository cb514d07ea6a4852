import Foundation

/// The targets of `Package.swift` with their declared dependencies (targets and products
/// by name), read from the manifest's text, so that a test can check what a target
/// builds with: its transitive dependencies, not only the modules its files import.
struct PackageGraph {
    /// Target name → names of the targets and products it depends on directly.
    let dependencies: [String: [String]]

    static let manifest = LayeringTests.sources.deletingLastPathComponent().appendingPathComponent("Package.swift")

    init(manifest text: String) throws {
        // `.target(name: "X", dependencies: [...]` and the other target kinds; a dependency list
        // holds quoted names and `.product(name: "P", package: "Q")`, never a nested `]`.
        let target = try NSRegularExpression(
            pattern: #"\.(?:target|testTarget|executableTarget|systemLibrary)\(\s*name:\s*"(\w+)"(?:,\s*dependencies:\s*\[([^\]]*)\])?"#)
        let quoted = try NSRegularExpression(pattern: #""(\w+)""#)
        let whole = text as NSString
        var dependencies: [String: [String]] = [:]
        for match in target.matches(in: text, range: NSRange(location: 0, length: whole.length)) {
            let name = whole.substring(with: match.range(at: 1))
            let list = match.range(at: 2).location == NSNotFound ? "" : whole.substring(with: match.range(at: 2))
            let names = quoted.matches(in: list, range: NSRange(location: 0, length: (list as NSString).length))
                .map { (list as NSString).substring(with: $0.range(at: 1)) }
            dependencies[name] = Array(Set(names)).sorted()
        }
        self.dependencies = dependencies
    }

    init() throws {
        try self.init(manifest: String(contentsOf: PackageGraph.manifest, encoding: .utf8))
    }

    /// Everything `target` builds with, directly or through other targets.
    func closure(of target: String) -> Set<String> {
        var found: Set<String> = []
        var pending = dependencies[target] ?? []
        while let next = pending.popLast() {
            guard found.insert(next).inserted else { continue }
            pending += dependencies[next] ?? []
        }
        return found
    }
}
