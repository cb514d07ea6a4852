import NetTypes
@testable import Simulator
import TCP

/// A host's TCP stack for tests: records the segments (decoded with their checksum
/// verified) and the ICMP errors the host receives.
final class TCPRecorder: HostTCPStack {
    var segments: [(source: Endpoint, destination: Endpoint, segment: TCPSegment)] = []
    var errors: [ICMPUnreachable] = []
    /// Segments that did not decode, failed their checksum, or carried other ports than
    /// their packet.
    var corrupt = 0
    /// Called after each segment is recorded (a test's answering peer).
    private var onSegment: ((Endpoint, Endpoint, TCPSegment) -> Void)?

    private unowned let host: Host

    init(_ host: Host) {
        self.host = host
        host.tcp = self
    }

    /// Makes the host answer every segment it receives with ICMP port unreachable.
    func refuseWithICMP() {
        onSegment = { [unowned self] source, destination, segment in
            let packet = Packet(source: source, destination: destination, proto: .tcp,
                                payload: segment.encode(source: source.address, destination: destination.address))
            host.sendUnreachable(about: packet, from: destination.address, reason: .portUnreachable)
        }
    }

    func receive(_ datagram: Datagram) {
        guard let segment = try? TCPSegment(decoding: datagram.payload[...], source: datagram.source.address,
                                            destination: datagram.destination.address),
              segment.sourcePort == datagram.source.port, segment.destinationPort == datagram.destination.port else {
            corrupt += 1
            return
        }
        segments.append((datagram.source, datagram.destination, segment))
        onSegment?(datagram.source, datagram.destination, segment)
    }

    func receive(_ error: ICMPUnreachable) { errors.append(error) }

    /// The control bits of the received segments, in order.
    var flags: [TCPFlags] { segments.map(\.segment.flags) }
}

extension Host {
    /// Sends a hand-built segment with `flags` from `source` to `destination`.
    func sendSegment(_ flags: TCPFlags, from source: Endpoint, to destination: Endpoint, sequence: UInt32 = 1000,
                     acknowledgment: UInt32 = 0, payload: [UInt8] = []) {
        let segment = TCPSegment(sourcePort: source.port, destinationPort: destination.port, sequenceNumber: TCPSequence(sequence),
                                 acknowledgmentNumber: TCPSequence(acknowledgment), flags: flags, window: 65535, payload: payload)
        sendTCP(segment.encode(source: source.address, destination: destination.address), from: source, to: destination)
    }
}

/// The packets delivered to a host, as they leave its link: for looking at their bytes.
final class Arrivals: PacketTap {
    var packets: [Packet] = []

    init(_ host: Host) {
        guard let link = host.interfaces[0].link else { return }
        (link.direction(from: host) === link.forward ? link.backward : link.forward).taps.append(self)
    }

    func observe(_ packet: Packet, direction: LinkDirection, point: TapPoint, at time: Instant) {
        if point == .exit { packets.append(packet) }
    }
}
