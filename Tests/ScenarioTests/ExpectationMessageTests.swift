import NetTypes
import Testing
import Records
@testable import Scenario

/// Expectation messages write every time in milliseconds, whatever unit the scenario
/// used (`connected after 867.2 ms`, not `867173.332us`).
@Suite struct ExpectationMessageTests {
    @Test func timesAreMillisecondsWithOneDecimalAtMost() {
        #expect(Expectations.milliseconds(.nanoseconds(867_173_332_000)) == "867173.3 ms")
        #expect(Expectations.milliseconds(.microseconds(867_173)) == "867.2 ms")
        #expect(Expectations.milliseconds(.seconds(2)) == "2000 ms")
        #expect(Expectations.milliseconds(.microseconds(250)) == "0.3 ms")
        #expect(Expectations.milliseconds(.zero) == "0 ms")
    }

    @Test func connectMessagesUseMilliseconds() {
        let session = SessionResult(name: "call", offerer: "alice", answerer: "bob", connected: true,
                                    connectedTime: .nanoseconds(867_173_332), selectedLocalType: "srflx", selectedRemoteType: "srflx",
                                    finalState: "completed")
        #expect(Expectations.okMessage(session) == "connected after 867.2 ms via srflx-srflx")
        var nominated = session
        nominated.nominatedTime = .milliseconds(900)
        #expect(Expectations.okMessage(nominated) == "connected after 867.2 ms, nominated after 900 ms via srflx-srflx")
    }

    @Test func connectedWithinIsTheBrowsersFigureNominatedWithinTheNomination() throws {
        let doc = try YAMLNode.parse("{ session: call, connected-within: 300ms, nominated-within: 600ms }", file: "x")
        let expectation = try Expectation(doc)
        let session = SessionResult(name: "call", offerer: "alice", answerer: "bob", connected: true, connectedTime: .milliseconds(280),
                                    nominatedTime: .milliseconds(866), finalState: "completed")
        let result = Expectations.evaluate(expectation, sessions: [session], events: [])
        #expect(!result.passed && result.message == "session 'call': nominated after 866 ms, later than 600 ms")
        #expect(result.description.contains("connected-within") && result.description.contains("nominated-within"))
    }
}
