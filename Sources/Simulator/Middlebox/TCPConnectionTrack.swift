import NetTypes

/// What a middlebox (NAT or firewall) has seen of one TCP connection: SYN, FIN and RST
/// each way. Its `phase` picks the connection's idle timeout: RFC 5382 §5 tells
/// established connections from transitory ones (being opened or closed), RFC 7857 §2.1
/// gives the session states (after RFC 6146 §3.5.2) and §2.2 the hold after a reset.
public struct TCPConnectionTrack: Sendable, Equatable, CustomStringConvertible {
    /// Where a connection is, as far as the segments crossing the middlebox tell.
    public enum Phase: String, Sendable, CaseIterable, CustomStringConvertible {
        /// A SYN seen one way only, or none yet (a connection picked up mid-stream):
        /// partially open, transitory.
        case opening
        /// SYNs seen both ways: a three-way handshake (SYN out, SYN-ACK in) or a
        /// simultaneous open. A FIN one way (a half-close) keeps it established.
        case established
        /// FINs seen both ways: transitory until the connection is forgotten.
        case closing
        /// A RST seen: transitory, unless a later segment (not a RST) shows the connection
        /// alive and takes it back to where it was (RFC 7857 §2.2, RFC 6146's TRANS state).
        case reset

        public var description: String { rawValue }
    }

    private var seen: Seen = []

    init() {}

    public var phase: Phase {
        if seen.contains(.reset) { return .reset }
        if seen.isSuperset(of: [.finOutbound, .finInbound]) { return .closing }
        if seen.isSuperset(of: [.synOutbound, .synInbound]) { return .established }
        return .opening
    }

    public var description: String { phase.rawValue }

    /// Takes in a segment with `controlBits` (byte 13 of its header) crossing in
    /// `direction`. A SYN after the connection closed or was reset starts a new one on
    /// the same ports.
    mutating func record(_ controlBits: UInt8, _ direction: TrafficDirection) {
        let header = (fin: controlBits & 0x01 != 0, syn: controlBits & 0x02 != 0, rst: controlBits & 0x04 != 0)
        if header.rst {
            seen.insert(.reset)
            return
        }
        if header.syn && (phase == .closing || phase == .reset) { seen = [] }
        seen.remove(.reset)
        if header.syn { seen.insert(direction == .outbound ? .synOutbound : .synInbound) }
        if header.fin { seen.insert(direction == .outbound ? .finOutbound : .finInbound) }
    }

    private struct Seen: OptionSet {
        let rawValue: UInt8
        static let synOutbound = Seen(rawValue: 1)
        static let synInbound = Seen(rawValue: 2)
        static let finOutbound = Seen(rawValue: 4)
        static let finInbound = Seen(rawValue: 8)
        static let reset = Seen(rawValue: 16)
    }
}
