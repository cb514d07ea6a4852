import ICE
import Media
import NetTypes
import Records
import Testing
@testable import Scenario

/// The `media:` section of sessions, link events with a direction, and media expectations.
@Suite struct MediaParsingTests {
    static func scenario(media: String = "[{ kind: video, bottleneck: alice-internet }]", expect: String = "[]",
                         timeline: String = "[]", crossTraffic: String = "[]") throws(ScenarioError) -> Scenario {
        let text = """
        name: media
        duration: 60s
        network:
          hosts: { alice: {}, bob: {} }
        sessions:
          - { name: call, offerer: alice, answerer: bob, media: \(media) }
          - { name: other, offerer: bob, answerer: alice, media: [{ kind: video }] }
        timeline: \(timeline)
        cross-traffic: \(crossTraffic)
        expect: \(expect)
        """
        let file = try ScenarioFile(text: text, path: "media.yaml")
        return try file.scenario(at: 0).scenario
    }

    static func error(media: String = "[{ kind: video, bottleneck: alice-internet }]", expect: String = "[]") -> String {
        do {
            _ = try scenario(media: media, expect: expect)
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test func mediaEntriesParseWithDefaults() throws {
        let s = try Self.scenario(media: """
        [{ kind: video, direction: both, start: 2s, stop: 50s, min-rate: 100kbps, max-rate: 3Mbps, start-rate: 500kbps,
           key-frames: on-request, bottleneck: alice-internet, controller: gcc }, { kind: audio }]
        """)
        let media = s.sessions[0].media
        #expect(media.count == 2)
        #expect(media[0].kind == .video && media[0].direction == .both && media[0].keyFrames == .onRequest)
        #expect(media[0].start == .seconds(2) && media[0].stop == .seconds(50))
        #expect(media[0].minRate == .kbps(100) && media[0].maxRate == .mbps(3) && media[0].startRate == .kbps(500))
        #expect(media[0].bottleneck == "alice-internet" && media[0].controller.name == "gcc" && media[1].controller.name == "gcc")
        #expect(media[1].kind == .audio && media[1].direction == .offererToAnswerer && media[1].keyFrames == .periodic)
        #expect(media[1].startRate == .kbps(300) && media[1].stop == nil && media[1].bottleneck == nil)
        // `both` counts twice: flows 0 and 1 are the video entry, flow 2 the audio.
        #expect(s.sessions[0].flows.map(\.fromOfferer) == [true, false, true])
    }

    /// An audio flow's constant rate: `bitrate:` (RFC 8867 §4.3's 20 kbps CBR), 32 kbps without it.
    @Test func audioFlowsTakeAConstantBitrate() throws {
        let s = try Self.scenario(media: "[{ kind: audio, bitrate: 20kbps }, { kind: audio }]")
        #expect(s.sessions[0].media.map(\.audioRate) == [.kbps(20), .kbps(32)])
    }

    @Test func recoveryKeysParseWithDefaultsOff() throws {
        let s = try Self.scenario(media: """
        [{ kind: video, recovery: { nack: true, rtx: true, pli: true }, jitter-buffer: { min-delay: 20ms, max-delay: 500ms } },
         { kind: video, jitter-buffer: {} }, { kind: video }]
        """)
        let media = s.sessions[0].media
        let full = try #require(media[0].recovery)
        #expect(full.nack && full.rtx && full.keyFrameRequests)
        #expect(full.jitterBuffer.minDelay == .milliseconds(20) && full.jitterBuffer.maxDelay == .milliseconds(500))
        let measuring = try #require(media[1].recovery)
        #expect(!measuring.nack && !measuring.rtx && !measuring.keyFrameRequests && measuring.jitterBuffer.maxDelay == .seconds(2))
        #expect(media[2].recovery == nil)
    }

    @Test func fecKeysParse() throws {
        let s = try Self.scenario(media: """
        [{ kind: video, recovery: { fec: flexfec } },
         { kind: video, recovery: { nack: true, nack-delay: 80ms, fec: flexfec, fec-rate: 0.25, fec-mask: bursty, repair-window: 1s } },
         { kind: video, recovery: { fec: flexfec, fec-mask: 2d, fec-columns: 5, fec-rows: 4 } },
         { kind: video, recovery: { fec: flexfec, fec-mask: row, fec-rate: 0.2 } }]
        """)
        let media = s.sessions[0].media
        #expect(media[0].recovery?.fec == FECConfiguration())
        #expect(media[0].recovery?.nackDelay == .zero)
        #expect(media[1].recovery?.fec == FECConfiguration(rate: 0.25, mask: .bursty, repairWindow: .seconds(1)))
        #expect(media[1].recovery?.nackDelay == .milliseconds(80))
        #expect(media[2].recovery?.fec == FECConfiguration(mask: .twoDimensional, columns: 5, rows: 4))
        #expect(media[3].recovery?.fec?.resolvedColumns == 5)
    }

    @Test func fecKeysAreValidated() {
        func error(_ recovery: String) -> String { Self.error(media: "[{ kind: video, recovery: \(recovery) }]") }
        #expect(error("{ fec: ulpfec }").contains("'ulpfec' is not valid") && error("{ fec: ulpfec }").contains("flexfec"))
        #expect(error("{ fec-rate: 0.1 }").contains("fec-rate needs fec: flexfec"))
        #expect(error("{ fec: flexfec, fec-rate: 0 }").contains("fec-rate 0.0 is outside 0 < rate ≤ 1"))
        #expect(error("{ fec: flexfec, fec-rate: 1.5 }").contains("outside 0 < rate ≤ 1"))
        #expect(error("{ fec: flexfec, fec-mask: diagonal }").contains("expected one of: random, bursty, row, column, 2d"))
        #expect(error("{ fec: flexfec, fec-columns: 4 }").contains("fec-columns is L of the fixed forms"))
        #expect(error("{ fec: flexfec, fec-mask: row, fec-rows: 4 }").contains("fec-rows is D of the column and 2d forms"))
        #expect(error("{ fec: flexfec, fec-mask: column, fec-columns: 256 }") != "accepted")
        #expect(error("{ fec: flexfec, fec-mask: 2d, fec-columns: 100, fec-rows: 10 }").contains("spans 1000 packets, more than 512"))
        #expect(error("{ fec: flexfec, fec-mask: row, fec-rate: 0.001 }").contains("L and D are at most 255"))
        #expect(error("{ fec: flexfec, repair-window: 0s }").contains("repair-window 0s is outside"))
        #expect(error("{ nack-delay: 50ms }").contains("nack-delay needs nack: true"))
        #expect(error("{ nack: true, nack-delay: 2s }").contains("is not below the NACK age limit"))
        #expect(Self.error(media: "[{ kind: audio, recovery: { fec: flexfec } }]").contains("are for video flows"))
    }

    @Test func recoveryKeysAreValidated() {
        #expect(Self.error(media: "[{ kind: audio, recovery: { nack: true } }]").contains("loss recovery and the jitter buffer are for video flows"))
        #expect(Self.error(media: "[{ kind: video, recovery: { rtx: true } }]").contains("rtx: true needs nack: true"))
        #expect(Self.error(media: "[{ kind: video, recovery: { nak: true } }]").contains("unknown key 'nak'"))
        #expect(Self.error(media: "[{ kind: video, recovery: { nack: maybe } }]") != "accepted")
        #expect(Self.error(media: "[{ kind: video, jitter-buffer: { min-delay: 1s, max-delay: 100ms } }]").contains("min-delay 1s is above max-delay"))
        #expect(Self.error(media: "[{ kind: video, jitter-buffer: { max-delay: 20s } }]").contains("above 10s"))
        #expect(Self.error(expect: "[{ session: call, final-value: { series: freezes, at-most: 1 } }]").contains("unknown series 'freezes'"))
        #expect(Self.error(expect: "[{ session: call, final-value: { series: freeze_count } }]").contains("needs at-least and/or at-most"))
        #expect(Self.error(expect: "[{ session: call, final-value: { series: freeze_count, at-least: 3, at-most: 1 } }]")
                    .contains("at-least ≤ at-most"))
    }

    @Test func mediaEntriesAreValidated() {
        #expect(Self.error(media: "[{ kind: vidoe }]").contains("'vidoe' is not valid") == true)
        #expect(Self.error(media: "[{ kind: video, bitrate: 1Mbps }]").contains("media.yaml:6:82: bitrate is an audio flow's constant rate"))
        #expect(Self.error(media: "[{ kind: audio, birate: 20kbps }]").contains("unknown key 'birate'"))
        #expect(Self.error(media: "[{ kind: audio, bitrate: 4kbps }]").contains("outside 6 kbps...510 kbps"))
        #expect(Self.error(media: "[{ kind: video, start: 10s, stop: 5s }]").contains("stop (5s) must be after start (10s)"))
        #expect(Self.error(media: "[{ kind: video, min-rate: 2Mbps, max-rate: 1Mbps, start-rate: 1Mbps }]").contains("min-rate 2Mbps is above max-rate"))
        #expect(Self.error(media: "[{ kind: video, bottleneck: alice-bob }]").contains("media.yaml:6:85: no link is called 'alice-bob'"))
    }

    /// `controller:` names a controller in the registry; its `controller-parameters` are
    /// checked by that controller's parser, errors at the offending name, key or value.
    @Test func controllersComeFromTheRegistry() throws {
        let s = try Self.scenario(media: "[{ kind: video, controller: nada, controller-parameters: { prio: 2, xref: 20ms } }, { kind: video }]")
        #expect(s.sessions[0].media.map(\.controller.name) == ["nada", "gcc"])
        let unknown = Self.error(media: "[{ kind: video, controller: nadaa }]")
        #expect(unknown.hasPrefix("media.yaml:6:") && unknown.contains("unknown controller 'nadaa'"))
        #expect(unknown.contains("did you mean 'nada'") && unknown.contains("known controllers: gcc, nada"))
        let badValue = Self.error(media: "[{ kind: video, controller: nada, controller-parameters: { kappa: fast } }]")
        #expect(badValue.hasPrefix("media.yaml:6:") && badValue.contains("kappa: 'fast' is not a number"))
        let badKey = Self.error(media: "[{ kind: video, controller: nada, controller-parameters: { kapa: 1 } }]")
        #expect(badKey.contains("unknown nada parameter 'kapa'") && badKey.contains("known: prio, xref"))
        let gccKey = Self.error(media: "[{ kind: video, controller-parameters: { prio: 1 } }]")
        #expect(gccKey.contains("unknown gcc parameter 'prio'") && gccKey.contains("known: pacing-factor, first-probe-scale"))
        let gcc = try Self.scenario(media: "[{ kind: video, controller-parameters: { alr-probing: true, loss-controller: v2 } }]")
        #expect(gcc.sessions[0].media[0].controller.name == "gcc")
        let range = Self.error(media: "[{ kind: video, controller: nada, controller-parameters: { xref: 5s } }]")
        #expect(range.contains("xref: 5s is outside"))
    }

    /// `feedback:` and `ecn:` per flow (defaults transport-cc and off); NADA needs
    /// per-packet feedback, so `feedback: none` with it is an error at the key.
    @Test func feedbackAndECNAreChosenPerFlow() throws {
        let s = try Self.scenario(media: "[{ kind: video, feedback: ccfb, ecn: ect1 }, { kind: video, feedback: none }, { kind: audio }]")
        #expect(s.sessions[0].media.map(\.feedback) == [.ccfb, .none, .transportCC])
        #expect(s.sessions[0].media.map(\.ecn) == [.ect1, .off, .off])
        let nada = Self.error(media: "[{ kind: video, controller: nada, feedback: none }]")
        #expect(nada.hasPrefix("media.yaml:6:") && nada.contains("controller nada needs per-packet feedback (transport-cc or ccfb), not 'none'"))
        #expect(Self.error(media: "[{ kind: video, feedback: twcc }]").contains("expected one of: transport-cc, ccfb, remb, none"))
        #expect(try Self.scenario(media: "[{ kind: video, feedback: remb }]").sessions[0].media[0].feedback == .remb)
        #expect(Self.error(media: "[{ kind: video, controller: nada, feedback: remb }]").contains("not 'remb'"))
        #expect(Self.error(media: "[{ kind: video, ecn: ce }]").contains("expected one of: off, ect0, ect1"))
        #expect(s.sessions[0].media.map(\.transportOverhead) == [false, false, false])
        #expect(try Self.scenario(media: "[{ kind: video, transport-overhead: true }]").sessions[0].media[0].transportOverhead)
    }

    /// `transport-overhead: true` counts, per packet, the IP header (20 or 40 bytes), UDP
    /// (8), the SRTP tag and the ChannelData header of a relayed sending candidate.
    @Test func transportOverheadFollowsThePath() throws {
        func candidate(_ address: String, _ type: CandidateType) throws -> Candidate {
            Candidate(foundation: "1", component: 1, priority: 1,
                      address: Endpoint(try IPAddress(parsing: address), 5000), type: type)
        }
        #expect(SessionMedia.transportOverhead(local: try candidate("10.0.0.1", .host), tagLength: 0) == 28)
        #expect(SessionMedia.transportOverhead(local: try candidate("10.0.0.1", .host), tagLength: 10) == 38)
        #expect(SessionMedia.transportOverhead(local: try candidate("2001:db8::1", .serverReflexive), tagLength: 16) == 64)
        #expect(SessionMedia.transportOverhead(local: try candidate("203.0.113.9", .relayed), tagLength: 10) == 42)
    }

    /// `icelab run --controller NAME` swaps every flow's controller and marks the hash.
    @Test func aControllerOverrideAppliesToEveryFlow() throws {
        let text = """
        name: media
        network:
          hosts: { alice: {}, bob: {} }
        sessions:
          - { name: call, offerer: alice, answerer: bob, media: [{ kind: video }, { kind: audio, controller: gcc }] }
        """
        let file = try ScenarioFile(text: text, path: "override.yaml")
        let nada = try file.overridingController("nada")
        #expect(try nada.scenario(at: 0).scenario.sessions[0].media.map(\.controller.name) == ["nada", "nada"])
        #expect(nada.contentHash == file.contentHash + "+controller=nada")
        #expect(try file.scenario(at: 0).scenario.sessions[0].media.map(\.controller.name) == ["gcc", "gcc"])
        #expect(throws: ScenarioError.self) { try file.overridingController("scream") }
    }

    @Test func mediaExpectationsParse() throws {
        let s = try Self.scenario(media: "[{ kind: video, direction: both, bottleneck: alice-internet }]", expect: """
        [{ session: call, flow: 1, utilization-after: { from: 20s, at-least: 70% } },
         { session: call, queue-delay-p95: { below: 100ms, from: 10s, to: 30s } },
         { session: call, time-to-rate: { share: 0.8, within: 15s } },
         { session: call, loss-below: 2% },
         { sessions: [call, other], fairness-at-least: 0.8, from: 30s },
         { session: call, connected-within: 2s }]
        """)
        #expect(s.expectations.count == 1)
        let m = s.mediaExpectations
        #expect(m.count == 5)
        guard case .utilization(let window, let atLeast) = m[0].check else { Issue.record("\(m[0].check)"); return }
        #expect(m[0].flows == [1] && window == TimeWindow(from: .seconds(20)) && abs(atLeast - 0.7) < 1e-9)
        guard case .queueDelayP95(let w, let below) = m[1].check else { Issue.record("\(m[1].check)"); return }
        #expect(w == TimeWindow(from: .seconds(10), to: .seconds(30)) && below == .milliseconds(100))
        guard case .timeToRate(let share, let within) = m[2].check else { Issue.record("\(m[2].check)"); return }
        #expect(share == 0.8 && within == .seconds(15))
        guard case .lossBelow(let loss) = m[3].check else { Issue.record("\(m[3].check)"); return }
        #expect(abs(loss - 0.02) < 1e-9)
        guard case .fairness(let fw, let j) = m[4].check else { Issue.record("\(m[4].check)"); return }
        #expect(m[4].sessions == ["call", "other"] && m[4].flows == [0, 0] && fw.from == .seconds(30) && j == 0.8)
    }

    @Test func mediaExpectationsAreValidated() {
        #expect(Self.error(expect: "[{ session: call, flow: 3, loss-below: 1% }]").contains("session 'call' has 1 flow(s), numbered from 0; flow 3 does not exist"))
        #expect(Self.error(expect: "[{ session: cal, loss-below: 1% }]").contains("no session is called 'cal' (did you mean 'call'?)"))
        #expect(Self.error(expect: "[{ session: other, time-to-rate: { share: 80%, within: 5s } }]").contains("give flow 0 of session 'other' a 'bottleneck: LINK'"))
        #expect(Self.error(expect: "[{ session: call, loss-below: 1%, utilization-after: { at-least: 50% } }]").contains("exactly one of"))
        #expect(Self.error(expect: "[{ sessions: [call], fairness-at-least: 0.8 }]").contains("at least two sessions"))
        #expect(Self.error(expect: "[{ session: call, utilization-after: { at-least: 1.5 } }]").contains("between 0 and 1"))
        #expect(Self.error(expect: "[{ session: call, utilisation-after: { at-least: 50% } }]").contains("did you mean 'utilization-after'?"))
        #expect(Self.error(expect: "[{ session: call, connected: true, from: 5s }]").contains("'from' belongs to media expectations"))
    }

    @Test func linkEventsTakeADirection() throws {
        let s = try Self.scenario(timeline: "[{ at: 5s, link: alice-internet, direction: reverse, set: { bandwidth: 1Mbps } }]")
        guard case .setLink(let name, let parameters, let directions) = s.timeline[0].action else { Issue.record("not a link event"); return }
        #expect(name == "alice-internet" && parameters.bandwidth == .mbps(1) && directions == .reverse)
    }

    @Test func capacityScheduleBecomesLinkEvents() throws {
        let text = """
        name: schedule
        duration: 60s
        network:
          hosts: { alice: {}, bob: {} }
          links:
            - from: alice
              to: internet
              bandwidth: 1Mbps
              capacity-schedule: [{ at: 20s, bandwidth: 2Mbps }, { at: 40s, bandwidth: 500kbps, direction: reverse }]
        """
        let s = try ScenarioFile(text: text, path: "s.yaml").scenario(at: 0).scenario
        #expect(s.timeline.count == 2)
        guard case .setLink(let name, let p, let d) = s.timeline[1].action else { Issue.record("not a link event"); return }
        #expect(s.timeline[1].at == .seconds(40) && name == "alice-internet" && p.bandwidth == .kbps(500) && d == .reverse)
        guard case .setLink(_, _, let first) = s.timeline[0].action else { Issue.record("not a link event"); return }
        #expect(first == .forward)
        let late = text.replacingOccurrences(of: "at: 40s", with: "at: 90s")
        #expect(throws: ScenarioError.self) { try ScenarioFile(text: late, path: "s.yaml").scenario(at: 0) }
    }

    @Test func flowSeriesMetrics() {
        var flow = FlowSeries(label: "call/0")
        for i in 0..<100 {
            let t = Duration.milliseconds(Int64(100 * i))
            flow.append(FlowSeries.Name.target, Double(100_000 * i), at: t)
            flow.append(FlowSeries.Name.capacity, 1_000_000, at: t)
            flow.append(FlowSeries.Name.received, 800_000, at: t)
            flow.append(FlowSeries.Name.queueDelay, Double(i), at: t)
            // 1 of 10 packets lost per interval for 5 s, then 90 an interval without loss: the
            // intervals' fractions average 5 %, but 50 of 5000 packets is 1 %.
            flow.append(FlowSeries.Name.packetsExpected, i < 50 ? 10 : 90, at: t)
            flow.append(FlowSeries.Name.packetsLost, i < 50 ? 1 : 0, at: t)
        }
        #expect(flow.utilization() == 0.8)
        #expect(flow.timeToRate(share: 0.8) == .milliseconds(800))
        #expect(flow.queueDelayP95() == 94)
        #expect(flow.queueDelayP95(in: TimeWindow(from: .seconds(5), to: .seconds(6))) == 59)
        #expect(abs((flow.loss() ?? 0) - 0.01) < 1e-12)
        #expect(flow.loss(in: TimeWindow(from: .seconds(1), to: .seconds(3))) == 0.1)
        #expect(flow.loss(in: TimeWindow(from: .seconds(6))) == 0)
        #expect(FlowSeries.loss(lost: -1, expected: 10) == 0 && FlowSeries.loss(lost: 1, expected: 0) == nil)
        #expect(FlowSeries.jainIndex([1, 1, 1]) == 1)
        #expect(abs((FlowSeries.jainIndex([3, 1]) ?? 0) - 0.8) < 1e-12)
        #expect(FlowSeries.grouped(flow.rows)["call/0"]?.rows.count == flow.rows.count)
    }
}
