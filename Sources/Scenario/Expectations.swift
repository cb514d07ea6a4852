import NetTypes
import Records

/// Checks expectations against a run's session results and events.
enum Expectations {
    static func evaluate(_ e: Expectation, sessions: [SessionResult], events: [TimelineRecord],
                         predictions: [String: TraversalPrediction.Outcome] = [:]) -> ExpectationResult {
        let description = describe(e)
        guard let s = sessions.first(where: { $0.name == e.session }) else {
            return ExpectationResult(description: description, passed: false, message: "session '\(e.session)' did not run")
        }
        var failures: [String] = []
        if let connected = e.connected, s.connected != connected {
            failures.append(connected ? "never connected (final state \(s.finalState))" : "connected, but was expected not to")
        }
        if let within = e.connectedWithin {
            if let t = s.connectedTime {
                if t > within { failures.append("connected after \(milliseconds(t)), later than \(milliseconds(within))") }
            } else {
                failures.append("did not connect within \(milliseconds(within)) (final state \(s.finalState))")
            }
        }
        if let within = e.nominatedWithin {
            if let t = s.nominatedTime {
                if t > within { failures.append("nominated after \(milliseconds(t)), later than \(milliseconds(within))") }
            } else {
                failures.append("no pair nominated within \(milliseconds(within)) (final state \(s.finalState))")
            }
        }
        if let allowed = e.selectedPair {
            let actual = "\(s.selectedLocalType ?? "none")-\(s.selectedRemoteType ?? "none")"
            if !allowed.contains(where: { matches($0, actual) }) {
                failures.append("selected pair \(actual), expected \(allowed.joined(separator: " or "))")
            }
        }
        if let relay = e.relay, s.relayUsed != relay {
            failures.append(relay ? "did not use a relay" : "used a relay")
        }
        if let allowed = e.path {
            let actual = s.path ?? "none"
            if !allowed.contains(actual) { failures.append("path \(actual), expected \(allowed.joined(separator: " or "))") }
        }
        if let states = e.states {
            let seen = events.filter { $0.session == e.session && $0.source == "offerer" && $0.kind == "state" }.map(\.detail)
            let expected = states.map(\.rawValue)
            if !isSubsequence(expected, of: seen) {
                failures.append("states \(seen.joined(separator: " → ")) do not contain \(expected.joined(separator: " → "))")
            }
        }
        if let state = e.dtls, s.dtlsState != state.rawValue {
            failures.append("DTLS \(s.dtlsState ?? "off")\(s.dtlsFailure.map { " (\($0))" } ?? ""), expected \(state.rawValue)")
        }
        if let within = e.dtlsWithin {
            if let t = s.dtlsTime {
                if t > within { failures.append("DTLS connected after \(milliseconds(t)), later than \(milliseconds(within))") }
            } else {
                failures.append("DTLS not connected within \(milliseconds(within)) (\(s.dtlsState ?? "off"))")
            }
        }
        if let reason = e.dtlsFailure, s.dtlsFailureReason != reason {
            failures.append(s.dtlsFailure.map { "DTLS failed (\($0)), expected \(reason.rawValue)" }
                            ?? "DTLS did not fail (\(s.dtlsState ?? "off")), expected \(reason.rawValue)")
        }
        if let within = e.mediaWithin {
            if let t = s.firstMediaTime {
                if t > within { failures.append("first media frame after \(milliseconds(t)), later than \(milliseconds(within))") }
            } else {
                failures.append("no media frame within \(milliseconds(within))")
            }
        }
        if let within = e.signalingWithin {
            if let t = s.signalingTime {
                if t > within { failures.append("answer applied \(milliseconds(t)) after the offer, later than \(milliseconds(within))") }
            } else {
                failures.append("no answer applied (\(s.signalingLost) signaling messages lost)")
            }
        }
        if e.traversal == .predicted, let predicted = predictions[e.session] {
            let actual: TraversalPrediction.Outcome = !s.connected ? .none : (s.relayUsed ? .relay : .direct)
            if actual != predicted { failures.append("outcome \(actual.rawValue), RFC 4787 behavior predicts \(predicted.rawValue)") }
        }
        let passed = failures.isEmpty
        let message = passed ? okMessage(s) : failures.joined(separator: "; ")
        return ExpectationResult(description: description, passed: passed, message: "session '\(e.session)': \(message)")
    }

    static func okMessage(_ s: SessionResult) -> String {
        guard s.connected, let t = s.connectedTime else { return "not connected, as expected" }
        let nominated = s.nominatedTime.map { ", nominated after \(milliseconds($0))" } ?? ""
        let dtls = s.dtlsTime.map { ", DTLS after \(milliseconds($0))" } ?? ""
        let media = s.firstMediaTime.map { ", first media after \(milliseconds($0))" } ?? ""
        return "connected after \(milliseconds(t))\(nominated)\(dtls)\(media) via \(s.selectedLocalType ?? "?")-\(s.selectedRemoteType ?? "?")"
    }

    /// A measured or allowed time in milliseconds, one decimal at most (`867.2 ms`,
    /// `2000 ms`): every time in expectation messages is in this one unit, so that
    /// messages read alike and compare at a glance.
    static func milliseconds(_ duration: Duration) -> String { milliseconds(duration.milliseconds) }

    static func milliseconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let whole = abs(tenths) / 10, fraction = abs(tenths) % 10
        return sign + (fraction == 0 ? "\(whole) ms" : "\(whole).\(fraction) ms")
    }

    /// `srflx-relay` matches `srflx-relay`, `*-relay`, `*-*`.
    static func matches(_ pattern: String, _ actual: String) -> Bool {
        let p = pattern.split(separator: "-"), a = actual.split(separator: "-")
        guard p.count == 2, a.count == 2 else { return false }
        return (p[0] == "*" || p[0] == a[0]) && (p[1] == "*" || p[1] == a[1])
    }

    /// Whether `wanted` occurs in `seen` in order; `completed` counts as `connected`
    /// (W3C: a completed agent is connected, and an agent may go straight to completed).
    static func isSubsequence(_ wanted: [String], of seen: [String]) -> Bool {
        var index = 0
        for state in seen where index < wanted.count {
            if state == wanted[index] || (state == "completed" && wanted[index] == "connected") { index += 1 }
        }
        return index == wanted.count
    }

    /// The expectation as written, for reports and messages.
    static func describe(_ e: Expectation) -> String {
        var parts = ["session: \(e.session)"]
        if let v = e.connected { parts.append("connected: \(v)") }
        if let v = e.connectedWithin { parts.append("connected-within: \(v)") }
        if let v = e.nominatedWithin { parts.append("nominated-within: \(v)") }
        if let v = e.selectedPair { parts.append("selected-pair: \(v.joined(separator: "|"))") }
        if let v = e.relay { parts.append("relay: \(v)") }
        if let v = e.path { parts.append("path: \(v.joined(separator: "|"))") }
        if let v = e.states { parts.append("states: \(v.map(\.rawValue).joined(separator: ","))") }
        if let t = e.traversal { parts.append("traversal: \(t.rawValue)") }
        if let v = e.dtls { parts.append("dtls: \(v.rawValue)") }
        if let v = e.dtlsWithin { parts.append("dtls-within: \(v)") }
        if let v = e.dtlsFailure { parts.append("dtls-failure: \(v.rawValue)") }
        if let v = e.mediaWithin { parts.append("media-within: \(v)") }
        if let v = e.signalingWithin { parts.append("signaling-within: \(v)") }
        return "{ " + parts.joined(separator: ", ") + " }"
    }
}

extension SessionResult {
    /// `dtlsFailure` as a reason an expectation names (`other` for the rest).
    var dtlsFailureReason: DTLSFailureReason? { dtlsFailure.map { DTLSFailureReason(rawValue: $0) ?? .other } }
}
