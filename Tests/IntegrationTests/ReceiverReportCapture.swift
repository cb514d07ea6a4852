import Foundation
import NetTypes
import RTP
import Simulator

/// The RTCP receiver reports a run's media receivers sent, read back from the run's pcap
/// captures: an independent view of what RTCP said about each flow's loss.
struct ReceiverReportCapture {
    /// One report block and when its receiver sent it.
    struct Report {
        var time: Instant
        var block: ReportBlock
    }

    /// Reports by flow label (`SESSION/FLOW`, from the receiver's CNAME `SESSION/FLOW-receiver`),
    /// each once (at the earliest capture that holds it, when it entered its first link) and
    /// in time order.
    private(set) var reports: [String: [Report]] = [:]

    init(directory: String) throws {
        var first: [String: (flow: String, report: Report)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() where name.hasSuffix(".pcap") {
            let capture = try PcapReader(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)"))))
            for record in capture.records {
                guard let payload = Self.udpPayload(of: record.bytes), RTPPacket.isRTCP(payload),
                      let packets = try? RTCPPacket.decodeCompound(payload) else { continue }
                var blocks: [ReportBlock] = []
                var label: String?
                for packet in packets {
                    if case .receiverReport(let report) = packet { blocks += report.reportBlocks }
                    if case .sourceDescription(let description) = packet,
                       let item = description.chunks.first?.items.first(where: { $0.type == SourceDescription.cname }) {
                        label = String(decoding: item.value, as: UTF8.self)
                    }
                }
                guard let label, label.hasSuffix("-receiver"), let block = blocks.first else { continue }
                let flow = String(label.dropLast("-receiver".count))
                // The same report crosses several links: keep its first capture.
                let key = "\(flow) \(block.extendedHighestSequence) \(block.cumulativeLost) \(block.jitter)"
                if first[key].map({ record.time < $0.report.time }) ?? true { first[key] = (flow, Report(time: record.time, block: block)) }
            }
        }
        for (flow, report) in first.values { reports[flow, default: []].append(report) }
        for flow in reports.keys { reports[flow]?.sort { $0.time < $1.time } }
    }

    /// The UDP payload of a raw IPv4 or IPv6 packet (pcap link type 101), nil for others.
    static func udpPayload(of bytes: [UInt8]) -> [UInt8]? {
        guard let first = bytes.first else { return nil }
        switch first >> 4 {
        case 4:
            let headerLength = Int(first & 0x0F) * 4
            guard bytes.count >= headerLength + 8, bytes[9] == 17 else { return nil }
            return Array(bytes[(headerLength + 8)...])
        case 6:
            guard bytes.count >= 48, bytes[6] == 17 else { return nil }
            return Array(bytes[48...])
        default:
            return nil
        }
    }
}
