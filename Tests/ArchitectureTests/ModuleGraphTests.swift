import Testing

/// Enforces the module graph of docs/architecture.md: the result types (`Records`) rest on
/// NetTypes alone, and the results store and the report — with their tests — build
/// without the scenario layer, the simulator, the protocol cores or Yams.
@Suite struct ModuleGraphTests {
    /// What the results store and the report must not build with or import.
    static let belowReports = LayeringTests.cores.filter { $0 != "NetTypes" }
        + ["Simulator", "SimulatedTCP", "Live", "Netns", "Scenario", "Recording", "Bench", "icelab", "Yams", "COpenSSL", "CZlib"]

    @Test func recordsImportsOnlyNetTypes() throws {
        let imports = try LayeringTests.imports(in: "Records")
        #expect(!imports.isEmpty)
        for (place, module) in imports { #expect(module == "NetTypes", "\(place) imports \(module)") }
        #expect(try PackageGraph().closure(of: "Records") == ["NetTypes"])
    }

    @Test(arguments: ["Results", "Reporting"])
    func resultsAndReportingImportNoScenarioSimulatorOrCore(target: String) throws {
        let imports = try LayeringTests.imports(in: target)
        #expect(!imports.isEmpty)
        for (place, module) in imports { #expect(!Self.belowReports.contains(module), "\(place) imports \(module)") }
    }

    @Test(arguments: ["Records", "Results", "Reporting", "ResultsTests", "ReportingTests"])
    func resultsAndReportingBuildWithoutScenarioSimulatorOrCores(target: String) throws {
        let graph = try PackageGraph()
        #expect(graph.dependencies[target] != nil, "\(target) is not a target in Package.swift")
        let reached = graph.closure(of: target).intersection(Self.belowReports)
        #expect(reached.isEmpty, "\(target) builds with \(reached.sorted())")
    }

    @Test func coresBuildWithoutTheLayersAbove() throws {
        let graph = try PackageGraph()
        for core in LayeringTests.cores {
            let reached = graph.closure(of: core).intersection(LayeringTests.upperLayers + ["Simulator", "Live", "Netns"])
            #expect(reached.isEmpty, "\(core) builds with \(reached.sorted())")
        }
    }

    /// Tests take fixtures from `TestSupport` (or the production module a fixture belongs
    /// to), not from `Bench`, which only its own tests use; production never uses test code.
    @Test func testsUseTestSupportNotBench() throws {
        let graph = try PackageGraph()
        let testTargets = graph.dependencies.keys.filter { $0.hasSuffix("Tests") }
        #expect(testTargets.count > 10)
        for target in testTargets where target != "BenchTests" {
            #expect(!(graph.dependencies[target] ?? []).contains("Bench"), "\(target) depends on Bench")
            for (place, module) in try LayeringTests.imports(in: target, under: LayeringTests.tests) where module == "Bench" {
                Issue.record("\(place) imports Bench")
            }
        }
        for target in graph.dependencies.keys where !target.hasSuffix("Tests") && target != "TestSupport" {
            #expect(!graph.closure(of: target).contains("TestSupport"), "\(target) builds with TestSupport")
        }
    }

    @Test func theManifestReaderFollowsDependencies() throws {
        let graph = try PackageGraph(manifest: """
            .target(name: "A"),
            .systemLibrary(name: "CLib", pkgConfig: "lib"),
            .target(
                name: "B",
                dependencies: ["A", .product(name: "Yams", package: "Yams")]
            ),
            .testTarget(name: "CTests", dependencies: ["B", "CLib"], exclude: ["Fixtures"]),
            """)
        #expect(graph.dependencies["A"] == [])
        #expect(graph.dependencies["B"] == ["A", "Yams"])
        #expect(graph.closure(of: "CTests") == ["A", "B", "CLib", "Yams"])
    }
}
