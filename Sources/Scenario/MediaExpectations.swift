import NetTypes
import Records

/// Checks media expectations against the flows' time series (and the TCP cross-traffic
/// flows' goodput samples, by flow name, for `throughput-ratio` with `cross-traffic`).
enum MediaExpectations {
    typealias Samples = [(time: Duration, value: Double)]

    static func evaluate(_ e: MediaExpectation, flows: [String: [FlowSeries]], tcpGoodput: [String: Samples] = [:]) -> ExpectationResult {
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
        case .throughputRatio(let window, let range, let timescale):
            let bounds = [range.lowerBound > 0 ? "at least \(twoDigits(range.lowerBound))" : nil,
                          range.upperBound < .infinity ? "at most \(twoDigits(range.upperBound))" : nil].compactMap { $0 }.joined(separator: ", ")
            let other: (label: String, mean: Double?, exact: Samples)
            if let name = e.crossTraffic {
                let goodput = tcpGoodput[name] ?? []
                other = ("TCP \(name)", SeriesStatistics(goodput.filter { window.contains($0.time) }.map(\.value))?.mean, goodput)
            } else {
                other = (selected[1].label, selected[1].meanReceivedRate(in: window), selected[1].samples[FlowSeries.Name.received200ms] ?? [])
            }
            let pair = "\(flow.label) / \(other.label)"
            if let timescale {
                // Whole windows while both run: from `from` or the later start, up to `to` or the earlier end.
                let mine = flow.samples[FlowSeries.Name.received200ms] ?? []
                let last = min(mine.last?.time ?? .zero, other.exact.last?.time ?? .zero)
                let end = window.to.map { min($0, last) } ?? last
                let origin = max(window.from, Self.start(of: mine), Self.start(of: other.exact))
                let ratios = ThroughputWindows(origin: origin, timescale: timescale, end: end).ratios(mine, other.exact)
                guard let low = ratios.min(), let high = ratios.max() else {
                    return fail("\(pair): no whole \(timescale) window with both rates \(window.description)")
                }
                let inside = ratios.filter { range.contains($0) }.count
                verdict = (inside == ratios.count, "\(pair): throughput ratio per \(timescale) window \(twoDigits(low))...\(twoDigits(high)) "
                           + "\(window.description) (\(bounds)), \(inside) of \(ratios.count) windows within")
            } else {
                guard let first = flow.meanReceivedRate(in: window), let second = other.mean, second > 0 else {
                    return fail("\(pair): no received rate in \(window.description)")
                }
                let ratio = first / second
                verdict = (range.contains(ratio), "\(e.crossTraffic == nil ? "flows " : "")\(pair): received rate ratio \(twoDigits(ratio)) "
                           + "\(window.description) (\(bounds)), \(Int((first / 1000).rounded())) / \(Int((second / 1000).rounded())) kbps")
            }
        case .delayPercentile(let name, let p, let window, let below):
            guard let value = flow.percentile(name, p, in: window) else { return fail("\(subject): no \(name) samples \(window.description)") }
            verdict = (value < below.milliseconds, "\(subject): p\(number(p)) \(name) \(Expectations.milliseconds(value)) \(window.description) (below \(Expectations.milliseconds(below)))")
        case .finalValue(let name, let range):
            guard let sample = flow.samples[name]?.last else { return fail("\(subject): no \(name) samples") }
            let isFraction = FlowSeries.Name.fractions.contains(name)
            verdict = (range.contains(sample.value),
                       "\(subject): \(name) \(isFraction ? percent(sample.value) : number(sample.value)) at \(sample.time) "
                       + "(\(bounds(range, asPercent: isFraction)))")
        case .convergence(let after, let within, let criterion):
            guard let event = after ?? flow.intervalSpan?.lowerBound else { return fail("\(subject): no 200 ms sending rate samples") }
            let band = "±\(percent(criterion.tolerance)) for \(criterion.hold)"
            guard let time = flow.convergenceTime(after: event, criterion: criterion) else {
                return fail("\(subject): the 200 ms sending rate never stayed within \(band) after \(event) (within \(Expectations.milliseconds(within)))")
            }
            verdict = (time <= within, "\(subject): sending rate converged (\(band)) \(Expectations.milliseconds(time)) after \(event) "
                       + "(within \(Expectations.milliseconds(within)))")
        case .oscillations(let criterion, let window, let atMost):
            guard let count = flow.oscillations(criterion, in: window) else { return fail("\(subject): no 200 ms sending rate samples \(window.description)") }
            verdict = (count <= atMost, "\(subject): \(count) swing(s) of the sending rate between \(Int(criterion.low / 1000)) kbps and "
                       + "\(Int(criterion.high / 1000)) kbps within \(criterion.window) \(window.description) (at most \(atMost))")
        case .statistic(let name, let measure, let window, let range):
            guard let statistics = flow.statistics(name, in: window) else { return fail("\(subject): no \(name) samples \(window.description)") }
            let value = statistics.value(measure)
            let isFraction = FlowSeries.Name.fractions.contains(name) && measure != .variance
            verdict = (range.contains(value), "\(subject): \(measure.rawValue) of \(name) \(isFraction ? percent(value) : number(value)) "
                       + "over \(statistics.count) samples \(window.description) (\(bounds(range, asPercent: isFraction)))")
        }
        return ExpectationResult(description: description, passed: verdict.passed, message: verdict.message)
    }

    /// When a series of interval rates began: its first interval's start (the first sample's
    /// time less the spacing of the first two).
    static func start(of samples: Samples) -> Duration {
        guard let first = samples.first else { return .zero }
        return samples.count > 1 ? first.time - (samples[1].time - first.time) : first.time
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
        case .throughputRatio(let w, let range, let timescale):
            let bounds = [range.lowerBound > 0 ? "at-least: \(twoDigits(range.lowerBound))" : nil,
                          range.upperBound < .infinity ? "at-most: \(twoDigits(range.upperBound))" : nil].compactMap { $0 }
            if let name = e.crossTraffic { parts.append("cross-traffic: \(name)") }
            parts.append("throughput-ratio: { \(window(w)), \(bounds.joined(separator: ", "))\(timescale.map { ", timescale: \($0)" } ?? "") }")
        case .delayPercentile(let name, let p, let w, let below):
            let of = MediaExpectation.delaySeries.first { $0.value == name }?.key ?? name
            parts.append("delay-percentile: { of: \(of), percentile: \(number(p)), below: \(below), \(window(w)) }")
        case .finalValue(let name, let range):
            parts.append("final-value: { series: \(name), \(bounds(range, asKeys: true, asPercent: FlowSeries.Name.fractions.contains(name))) }")
        case .convergence(let after, let within, let criterion):
            parts.append("convergence-time: { \(after.map { "after: \($0), " } ?? "")within: \(within), tolerance: \(percent(criterion.tolerance)), hold: \(criterion.hold) }")
        case .oscillations(let criterion, let w, let atMost):
            parts.append("oscillations: { low: \(Int(criterion.low)), high: \(Int(criterion.high)), window: \(criterion.window), \(window(w)), at-most: \(atMost) }")
        case .statistic(let name, let measure, let w, let range):
            let asPercent = FlowSeries.Name.fractions.contains(name) && measure != .variance
            parts.append("statistic: { series: \(name), measure: \(measure.rawValue), \(window(w)), \(bounds(range, asKeys: true, asPercent: asPercent)) }")
        }
        return "{ " + parts.joined(separator: ", ") + " }"
    }
}
