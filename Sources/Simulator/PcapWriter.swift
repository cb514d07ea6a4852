import Foundation
import NetTypes

/// Writes a classic libpcap file (nanosecond timestamps, LINKTYPE_RAW: each record is a
/// bare IPv4 or IPv6 packet) that Wireshark and tshark read.
public final class PcapWriter {
    /// LINKTYPE_RAW (101): packets begin with an IPv4 or IPv6 header.
    public static let linkTypeRaw: UInt32 = 101
    /// Magic number of nanosecond-resolution pcap files.
    public static let nanosecondMagic: UInt32 = 0xA1B2_3C4D

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    public private(set) var recordCount = 0
    private var closed = false
    private var writeError: Error?

    /// Creates (or truncates) the file at `path` and writes the global header.
    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        append32(PcapWriter.nanosecondMagic)
        append16(2); append16(4)              // version 2.4
        append32(0); append32(0)              // thiszone, sigfigs
        append32(65535)                       // snaplen
        append32(PcapWriter.linkTypeRaw)
    }

    /// Appends one record: the IP packet synthesised from `packet`, stamped `time`.
    public func write(_ packet: Packet, at time: Instant) {
        let bytes = PacketHeaders.ipPacket(packet)
        let ns = UInt64(max(time.nanoseconds, 0))
        append32(UInt32(ns / 1_000_000_000))
        append32(UInt32(ns % 1_000_000_000))
        append32(UInt32(bytes.count))
        append32(UInt32(bytes.count))
        buffer.append(contentsOf: bytes)
        recordCount += 1
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Writes buffered records to the file. A failed write (disk full) is kept and
    /// thrown by `close()`; the simulation itself goes on.
    public func flush() {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch { if writeError == nil { writeError = error } }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file; further writes are ignored.
    public func close() throws {
        guard !closed else { return }
        flush()
        closed = true
        try handle.close()
        if let writeError { throw writeError }
    }

    deinit { try? close() }

    private func append16(_ v: UInt16) { buffer.append(UInt8(v & 0xFF)); buffer.append(UInt8(v >> 8)) }
    private func append32(_ v: UInt32) {
        buffer.append(UInt8(v & 0xFF)); buffer.append(UInt8(v >> 8 & 0xFF))
        buffer.append(UInt8(v >> 16 & 0xFF)); buffer.append(UInt8(v >> 24))
    }
}

/// A tap that records packets into a pcap file.
public final class PcapCapture: PacketTap {
    public let writer: PcapWriter
    private let point: TapPoint?

    /// Records packets seen at `point` (nil: the point each attachment below chooses).
    public init(writer: PcapWriter, point: TapPoint? = nil) {
        self.writer = writer
        self.point = point
    }

    public func observe(_ packet: Packet, direction: LinkDirection, point: TapPoint, at time: Instant) {
        if self.point == nil || self.point == point { writer.write(packet, at: time) }
    }
}

extension Simulation {
    /// Captures both directions of `link` as they enter the link (what a tap at each
    /// sender sees, lost packets included). Returns the capture; close its writer at the end.
    @discardableResult
    public func capture(_ link: Link, to path: String) throws -> PcapCapture {
        let capture = PcapCapture(writer: try PcapWriter(path: path), point: .enter)
        link.forward.taps.append(capture)
        link.backward.taps.append(capture)
        return capture
    }

    /// Captures what interface `index` of `node` sends and receives, as tcpdump on that
    /// interface would.
    @discardableResult
    public func capture(_ node: Node, interface index: Int, to path: String) throws -> PcapCapture {
        let capture = PcapCapture(writer: try PcapWriter(path: path))
        guard let link = node.interfaces[index].link, let outbound = node.interfaces[index].outbound else { return capture }
        outbound.taps.append(InterfaceTap(capture: capture, point: .enter))
        let inbound: LinkDirection = outbound === link.forward ? link.backward : link.forward
        inbound.taps.append(InterfaceTap(capture: capture, point: .exit))
        return capture
    }
}

/// Forwards one tap point of one direction to a capture.
final class InterfaceTap: PacketTap {
    let capture: PcapCapture
    let point: TapPoint

    init(capture: PcapCapture, point: TapPoint) {
        self.capture = capture
        self.point = point
    }

    func observe(_ packet: Packet, direction: LinkDirection, point: TapPoint, at time: Instant) {
        if point == self.point { capture.writer.write(packet, at: time) }
    }
}
