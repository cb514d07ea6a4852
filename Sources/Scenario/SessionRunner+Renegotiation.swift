import NetTypes
import SDP

/// Renegotiation (RFC 8829 §4.1.8): a track added mid-call (`renegotiate: true` on a
/// `media:` entry) or the session's first data channel created mid-call needs a section
/// the first offer did not have. The adding side queues it and, once its signaling state
/// is stable after the first exchange, sends a new offer with the sections in force plus
/// the new ones (same ICE credentials, next `o=` version); the peer answers it. A section
/// comes into force at the answering side when it answers and at the adding side when it
/// applies the answer, and only then do that side's flows of it start (media) or its SCTP
/// association (the application section). A colliding offer rolls back as in the first
/// exchange (the polite side offers its additions again when stable).
extension SessionRunner {
    /// Schedules each later section's addition at its time.
    func scheduleAdditions() {
        for addition in SessionSection.added(for: spec) {
            network.simulation.schedule(at: Instant.zero + addition.at) { [self] _ in
                let side = addition.byOfferer ? offerer! : answerer!
                guard !side.negotiation.sections.contains(addition.section), !side.negotiation.adding.contains(addition.section) else { return }
                side.negotiation.adding.append(addition.section)
                log.add(session: name, source: side.role, kind: "signaling",
                        "renegotiation needed: \(describe(addition.section)) (mid \(addition.section.mid(in: spec))) added")
                negotiateIfNeeded(side)
            }
        }
    }

    /// Offers the side's additions if it is stable after a completed first exchange.
    func negotiateIfNeeded(_ side: Side) {
        guard !side.negotiation.adding.isEmpty, side.negotiation.state == .stable, side.negotiation.remoteVersion != nil else { return }
        sendOffer(from: side)
    }

    /// The sections of the side's next offer: those in force, then its additions.
    func sectionsToOffer(_ side: Side) -> [SessionSection] {
        side.negotiation.sections + side.negotiation.adding.filter { !side.negotiation.sections.contains($0) }
    }

    /// The sections a description carries and does not reject, in its order.
    func sections(of description: SessionDescription) -> [SessionSection] {
        description.media.filter { !$0.isRejected }.compactMap { $0.mid.flatMap { SessionSection(mid: $0, in: spec) } }
    }

    /// An exchange completed at `side` with `sections` in force: the new ones start there.
    func agree(to sections: [SessionSection], at side: Side) {
        let new = sections.filter { !side.negotiation.sections.contains($0) }
        side.negotiation.sections = sections
        side.negotiation.adding.removeAll(where: sections.contains)
        for section in new {
            log.add(session: name, source: side.role, kind: "signaling", "\(describe(section)) (mid \(section.mid(in: spec))) negotiated")
            switch section {
            case .media(let index): media?.negotiated(entry: index, atOfferer: side === offerer)
            case .application: data?.sectionNegotiated(atOfferer: side === offerer)
            }
        }
    }

    private func describe(_ section: SessionSection) -> String {
        switch section {
        case .media(let index): "\(spec.media[index].kind.rawValue) track of media entry \(index)"
        case .application: "data channel section"
        }
    }
}
