import Testing
@testable import Scenario

/// The labels swept values get in the runs' `parameters` (docs/results.md): mappings in
/// braces, so a public host (`{}`) and a host behind a NAT read as such.
@Suite struct SweepLabelTests {
    @Test func wholeMappingsAreLabelledInBraces() throws {
        let text = """
        name: placement
        network:
          nats: { home: { preset: full-cone } }
          hosts: { alice: {}, bob: {} }
        sessions:
          - { name: call, offerer: alice, answerer: bob }
        sweep:
          alice: [{}, { behind: home }]
          home: [{ preset: symmetric }, { mapping: endpoint-independent, filtering: address-dependent, behind: internet }]
          sessions.0.ice-servers: [[], [stun1, turn1]]
        """
        let file = try ScenarioFile(text: text, path: "placement.yaml")
        let keys = (0..<file.runCount).map { file.sweep.assignments($0).key }
        #expect(keys.first == "alice={} home={preset=symmetric} sessions.0.ice-servers=[]")
        #expect(keys.last == "alice={behind=home} home={mapping=endpoint-independent,filtering=address-dependent,behind=internet} "
                + "sessions.0.ice-servers=[stun1,turn1]")
    }
}
