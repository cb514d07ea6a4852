import Foundation
import RTP

/// The RTP logs of a run's media flows (RFC 8868 §3.1, `icelab run --rtp-log DIR`): per
/// flow `runN-SESSION-FLOW-sent.log` (every RTP packet the sender sent, at its send time)
/// and `runN-SESSION-FLOW-received.log` (every RTP packet that reached the receiver, at
/// its arrival), times in simulated seconds since the run's start. Characters of a session
/// name other than letters, digits, `-`, `_` and `.` become `_` in the file name.
enum RTPLogFiles {
    static func write(_ flows: [MediaFlow], run: Int, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for flow in flows {
            let stem = "\(directory)/run\(run)-\(fileName(flow.series.label))"
            try Data(RTPLog.text(flow.rtpLog.sent).utf8).write(to: URL(fileURLWithPath: "\(stem)-sent.log"))
            try Data(RTPLog.text(flow.rtpLog.received).utf8).write(to: URL(fileURLWithPath: "\(stem)-received.log"))
        }
    }

    /// `label` (`session/index`) as a file name part: `session-index`.
    static func fileName(_ label: String) -> String {
        String(label.map { $0 == "/" ? "-" : ($0.isASCII && ($0.isLetter || $0.isNumber) || "-_.".contains($0)) ? $0 : "_" })
    }
}
