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
                                    connectTime: .nanoseconds(867_173_332), selectedLocalType: "srflx", selectedRemoteType: "srflx",
                                    finalState: "completed")
        #expect(Expectations.okMessage(session) == "connected after 867.2 ms via srflx-srflx")
    }
}
