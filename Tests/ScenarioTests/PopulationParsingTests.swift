import Records
import Scenario
import Testing

/// `population:` weights: checked against the sweep, positioned errors, and the weight
/// of a run as the product of its values' shares.
@Suite struct PopulationParsingTests {
    static let text = """
        name: population
        network:
          nats:
            a-nat: { preset: full-cone }
          hosts:
            alice: { behind: a-nat }
            bob: {}
        sessions:
          - { name: call, offerer: alice, answerer: bob }
        sweep:
          a-nat: [{ preset: full-cone }, { preset: symmetric }]
          seed: 1...3
        population:
          source: a study
          weights:
            a-nat: [3, 1]
        """

    @Test func weightsFollowTheSweepsValues() throws {
        let population = try #require(try ScenarioFile(text: Self.text, path: "p.yaml").population)
        #expect(population.source == "a study")
        #expect(population.axes.map(\.labels) == [["{preset=full-cone}", "{preset=symmetric}"]])
        #expect(population.weight(of: [("a-nat", "{preset=symmetric}"), ("seed", "2")]) == 0.25)
        #expect(population.weight(of: [("a-nat", "{preset=full-cone}")]) == 0.75)
        #expect(population.weight(of: [("a-nat", "{preset=cgnat}")]) == nil)
        #expect(population.weight(of: []) == nil)
        #expect(try ScenarioFile(text: Self.text.components(separatedBy: "population:")[0], path: "p.yaml").population == nil)
    }

    @Test(arguments: [
        ("a-nat: [3, 1]", "b-nat: [3, 1]", "p.yaml:16:5", "'b-nat', which is not a swept parameter; swept: a-nat"),
        ("a-nat: [3, 1]", "seed: [1, 1, 1]", "p.yaml:16:5", "'seed', which is not a swept parameter"),
        ("a-nat: [3, 1]", "a-nat: [3, 1, 2]", "p.yaml:16:12", "sweeps 2 values; give as many weights, found 3"),
        ("a-nat: [3, 1]", "a-nat: [3, -1]", "p.yaml:16:16", "a weight must be a finite number ≥ 0"),
        ("a-nat: [3, 1]", "a-nat: [0, 0]", "p.yaml:16:12", "all zero"),
    ])
    func badWeightsArePositioned(original: String, replacement: String, place: String, message: String) {
        let text = Self.text.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.text)
        do {
            _ = try ScenarioFile(text: text, path: "p.yaml")
            Issue.record("accepted \(replacement)")
        } catch {
            #expect(error.description.hasPrefix(place), "\(error)")
            #expect(error.description.contains(message), "\(error)")
        }
    }
}
