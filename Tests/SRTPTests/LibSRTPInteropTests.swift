import Foundation
import SRTP
import TestSupport
import Testing

/// icelab's SRTP against libsrtp 2 (through pylibsrtp, driven by libsrtp_vectors.py next
/// to this file), an independent implementation: for both profiles, RTP and RTCP (SRTCP
/// encrypted and authenticated only), the packets libsrtp protects are byte for byte the
/// ones icelab protects, libsrtp unprotects icelab's and icelab unprotects libsrtp's.
@Suite struct LibSRTPInteropTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("libsrtp_vectors.py")
    /// Whether the `python3` first on PATH imports pylibsrtp.
    static let hasLibSRTP = Python.canImport("pylibsrtp")

    /// RTP packets across a sequence number wrap, with CSRCs, an extension and padding.
    static let rtpPackets: [[UInt8]] = [
        Fixtures.rtp(sequence: 65_530, payload: 1200), Fixtures.rtp(sequence: 65_531, csrcs: 2),
        Fixtures.rtp(sequence: 65_533, extended: true), Fixtures.rtp(sequence: 65_532, padding: 4),
        Fixtures.rtp(sequence: 65_535, csrcs: 1, extended: true, padding: 3), Fixtures.rtp(sequence: 0),
        Fixtures.rtp(sequence: 1, payload: 0), Fixtures.rtp(sequence: 2, payload: 1),
        Fixtures.rtp(sequence: 500, ssrc: 0xDEAD_BEEF, payload: 33),
    ]
    static let rtcpPackets: [[UInt8]] = [Fixtures.rtcp(), Fixtures.rtcp(), Fixtures.rtcp(ssrc: 0xDEAD_BEEF), Fixtures.rtcp()]

    @Test(.enabled(if: hasLibSRTP, "python3 with pylibsrtp is missing: python3 -m pip install pylibsrtp"),
          arguments: SRTPProfile.allCases, [true, false])
    func matchesLibSRTP(profile: SRTPProfile, encryptsRTCP: Bool) async throws {
        let master = try Fixtures.masterKey(profile, seed: 0x5A)
        let sender = try SRTPSender(masterKey: master, configuration: SRTPConfiguration(encryptsRTCP: encryptsRTCP))
        let ours = try Self.rtpPackets.map { try sender.protectRTP($0) }
        let oursRTCP = try Self.rtcpPackets.map { try sender.protectRTCP($0) }
        let theirs = try await Self.libsrtp(profile: profile, key: master.key + master.salt, rtcpEncrypted: encryptsRTCP,
            operations: Self.rtpPackets.map { ("protect", $0) } + Self.rtcpPackets.map { ("protect_rtcp", $0) }
                + ours.map { ("unprotect", $0) } + oursRTCP.map { ("unprotect_rtcp", $0) })
        try #require(theirs.count == 2 * (ours.count + oursRTCP.count))
        let rtp = ours.count, rtcp = oursRTCP.count
        // libsrtp protects to the same bytes (its SRTCP index starts at 1, as icelab's).
        // (Compared as Bools: a failure names the packet instead of printing kilobytes.)
        for (index, packet) in ours.enumerated() {
            let same = theirs[index] == packet.hex
            #expect(same, "RTP packet \(index) protects differently")
        }
        for (index, packet) in oursRTCP.enumerated() {
            let same = theirs[rtp + index] == packet.hex
            #expect(same, "RTCP packet \(index) protects differently")
        }
        // libsrtp unprotects icelab's packets.
        for (index, packet) in Self.rtpPackets.enumerated() {
            let same = theirs[rtp + rtcp + index] == packet.hex
            #expect(same, "libsrtp unprotects RTP packet \(index) to \(theirs[rtp + rtcp + index].prefix(80))")
        }
        for (index, packet) in Self.rtcpPackets.enumerated() {
            let same = theirs[2 * rtp + rtcp + index] == packet.hex
            #expect(same, "libsrtp unprotects RTCP packet \(index) to \(theirs[2 * rtp + rtcp + index].prefix(80))")
        }
        // icelab unprotects libsrtp's packets.
        let receiver = try SRTPReceiver(masterKey: master)
        for (index, packet) in Self.rtpPackets.enumerated() {
            let same = try receiver.unprotectRTP(hex(theirs[index])) == packet
            #expect(same, "RTP packet \(index) from libsrtp unprotects differently")
        }
        for (index, packet) in Self.rtcpPackets.enumerated() {
            let same = try receiver.unprotectRTCP(hex(theirs[rtp + index])) == packet
            #expect(same, "RTCP packet \(index) from libsrtp unprotects differently")
        }
    }

    /// Runs libsrtp_vectors.py on `operations`; its results, hex or "error: …".
    static func libsrtp(profile: SRTPProfile, key: [UInt8], rtcpEncrypted: Bool, operations: [(String, [UInt8])]) async throws -> [String] {
        let request: [String: Any] = [
            "profile": profile == .aeadAes128Gcm ? "aead_aes_128_gcm" : "aes128_cm_sha1_80",
            "key": key.hex,
            "rtcp_encrypted": rtcpEncrypted,
            "operations": operations.map { ["op": $0.0, "packet": $0.1.hex] },
        ]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("srtp-interop-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: request).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, file.path])
        try #require(run.status == 0, "\(run.stderr.suffix(2000))")
        let reply = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        return try #require(reply?["results"] as? [String])
    }
}
