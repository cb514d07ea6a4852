import NetTypes
import Records

/// Checks media expectations against the flows' time series.
enum MediaExpectations {
    static func evaluate(_ e: MediaExpectation, flows: [String: [FlowSeries]]) -> ExpectationResult {
        let description = describe(e)
        func fail(_ message: String) -> ExpectationResult { ExpectationResult(description: description, passed: false, message: message) }
        var selected: [FlowSeries] = []
        for (session, index) in zip(e.sessions, e.flows) {
            guard let series = flows[session], index < series.count else { return fail("session '\(session)' has no flow \(index)") }
            selected.append(series[index])
        }
        let flow = selected[0]
        let subject = "flow \(flow.label)"
        let verdict: (passed: Bool, message: String)
        switch e.check {
        case .utilization(let window, let atLeast):
            guard let value = flow.utilization(in: window) else { return fail("\(subject): no samples \(window.description)") }
            verdict = (value >= atLeast, "\(subject): utilization \(percent(value)) \(window.description) (at least \(percent(atLeast)))")
        case .queueDelayP95(let window, let below):
            guard let value = flow.queueDelayP95(in: window) else { return fail("\(subject): no queuing delay samples \(window.description)") }
            verdict = (value < below.milliseconds, "\(subject): p95 queuing delay \(Expectations.milliseconds(value)) \(window.description) (below \(Expectations.milliseconds(below)))")
        case .timeToRate(let share, let within):
            guard let time = flow.timeToRate(share: share) else {
                return fail("\(subject): the target never reached \(percent(share)) of the capacity (within \(Expectations.milliseconds(within)))")
            }
            verdict = (time <= within, "\(subject): target reached \(percent(share)) of the capacity after \(Expectations.milliseconds(time)) (within \(Expectations.milliseconds(within)))")
        case .lossBelow(let limit):
            let count = flow.lossCount()
            guard let value = FlowSeries.loss(lost: count.lost, expected: count.expected) else { return fail("\(subject): no packets expected") }
            verdict = (value < limit, "\(subject): loss \(percent(value)), \(Int(count.lost)) of \(Int(count.expected)) packets (below \(percent(limit)))")
        case .fairness(let window, let atLeast):
            let rates = selected.map { $0.meanReceivedRate(in: window) }
            guard rates.allSatisfy({ $0 != nil }), let index = FlowSeries.jainIndex(rates.compactMap { $0 }) else {
                return fail("flows \(selected.map(\.label).joined(separator: ", ")): no received rate in \(window.description)")
            }
            let shares = rates.compactMap { $0 }.map { "\(Int(($0 / 1000).rounded())) kbps" }.joined(separator: " / ")
            verdict = (index >= atLeast, "flows \(selected.map(\.label).joined(separator: ", ")): Jain index \(twoDigits(index)) "
                       + "\(window.description) (at least \(twoDigits(atLeast))), mean received \(shares)")
        case .valueAt(let name, let at, let expected, let tolerance, let relative):
            guard let sample = flow.value(name, at: at) else { return fail("\(subject): no \(name) sample at or before \(at)") }
            let allowed = relative ? abs(expected) * tolerance : tolerance
            let bound = relative ? percent(tolerance) : number(tolerance)
            verdict = (abs(sample.value - expected) <= allowed,
                       "\(subject): \(name) \(number(sample.value)) at \(sample.time) (expected \(number(expected)) ± \(bound))")
        case .throughputRatio(let window, let range):
            guard let first = selected[0].meanReceivedRate(in: window), let second = selected[1].meanReceivedRate(in: window), second > 0 else {
                return fail("flows \(selected.map(\.label).joined(separator: ", ")): no received rate in \(window.description)")
            }
            let ratio = first / second
            let bounds = [range.lowerBound > 0 ? "at least \(twoDigits(range.lowerBound))" : nil,
                          range.upperBound < .infinity ? "at most \(twoDigits(range.upperBound))" : nil].compactMap { $0 }
            verdict = (range.contains(ratio), "flows \(selected[0].label) / \(selected[1].label): received rate ratio \(twoDigits(ratio)) "
                       + "\(window.description) (\(bounds.joined(separator: ", "))), \(Int((first / 1000).rounded())) / \(Int((second / 1000).rounded())) kbps")
        case .delayPercentile(let name, let p, let window, let below):
            guard let value = flow.percentile(name, p, in: window) else { return fail("\(subject): no \(name) samples \(window.description)") }
            verdict = (value < below.milliseconds, "\(subject): p\(number(p)) \(name) \(Expectations.milliseconds(value)) \(window.description) (below \(Expectations.milliseconds(below)))")
        case .finalValue(let name, let range):
            guard let sample = flow.samples[name]?.last else { return fail("\(subject): no \(name) samples") }
            let isFraction = FlowSeries.Name.fractions.contains(name)
            verdict = (range.contains(sample.value),
                       "\(subject): \(name) \(isFraction ? percent(sample.value) : number(sample.value)) at \(sample.time) "
                       + "(\(bounds(range, asPercent: isFraction)))")
        }
        return ExpectationResult(description: description, passed: verdict.passed, message: verdict.message)
    }

    /// The finite bounds of `range`: "at least x, at most y", or as keys "at-least: x, at-most: y";
    /// fractions as percentages.
    static func bounds(_ range: ClosedRange<Double>, asKeys: Bool = false, asPercent: Bool = false) -> String {
        let (least, most) = asKeys ? ("at-least:", "at-most:") : ("at least", "at most")
        func text(_ value: Double) -> String { asPercent ? percent(value) : number(value) }
        return [range.lowerBound > -.infinity ? "\(least) \(text(range.lowerBound))" : nil,
                range.upperBound < .infinity ? "\(most) \(text(range.upperBound))" : nil].compactMap { $0 }.joined(separator: ", ")
    }

    static func percent(_ value: Double) -> String { "\(twoDigits(value * 100))%" }
    static func twoDigits(_ value: Double) -> String { "\((value * 100).rounded() / 100)" }
    /// An integer as written, else two decimals.
    static func number(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? "\(Int(value))" : twoDigits(value) }

    /// The expectation as written, for reports and messages.
    static func describe(_ e: MediaExpectation) -> String {
        var parts = e.sessions.count == 1 ? ["session: \(e.sessions[0])"] : ["sessions: [\(e.sessions.joined(separator: ", "))]"]
        if Set(e.flows).count > 1 { parts.append("flow: [\(e.flows.map(String.init).joined(separator: ", "))]") } else if e.flows[0] != 0 || e.sessions.count == 1 { parts.append("flow: \(e.flows[0])") }
        func window(_ w: TimeWindow) -> String { "from: \(w.from)" + (w.to.map { ", to: \($0)" } ?? "") }
        switch e.check {
        case .utilization(let w, let atLeast): parts.append("utilization-after: { \(window(w)), at-least: \(percent(atLeast)) }")
        case .queueDelayP95(let w, let below): parts.append("queue-delay-p95: { below: \(below), \(window(w)) }")
        case .timeToRate(let share, let within): parts.append("time-to-rate: { share: \(percent(share)), within: \(within) }")
        case .lossBelow(let limit): parts.append("loss-below: \(percent(limit))")
        case .fairness(let w, let atLeast): parts.append("fairness-at-least: \(twoDigits(atLeast)), \(window(w))")
        case .valueAt(let name, let at, let expected, let tolerance, let relative):
            parts.append("value-at: { series: \(name), at: \(at), expected: \(number(expected)), tolerance: \(relative ? percent(tolerance) : number(tolerance)) }")
        case .throughputRatio(let w, let range):
            let bounds = [range.lowerBound > 0 ? "at-least: \(twoDigits(range.lowerBound))" : nil,
                          range.upperBound < .infinity ? "at-most: \(twoDigits(range.upperBound))" : nil].compactMap { $0 }
            parts.append("throughput-ratio: { \(window(w)), \(bounds.joined(separator: ", ")) }")
        case .delayPercentile(let name, let p, let w, let below):
            let of = MediaExpectation.delaySeries.first { $0.value == name }?.key ?? name
            parts.append("delay-percentile: { of: \(of), percentile: \(number(p)), below: \(below), \(window(w)) }")
        case .finalValue(let name, let range):
            parts.append("final-value: { series: \(name), \(bounds(range, asKeys: true, asPercent: FlowSeries.Name.fractions.contains(name))) }")
        }
        return "{ " + parts.joined(separator: ", ") + " }"
    }
}
