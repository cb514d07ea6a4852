import DTLS
import NetTypes
import SRTP
import TLS

/// `icelab bench dtls`: complete DTLS-SRTP handshakes between two cores in memory, each
/// with fresh certificates and keys (P-256, as browsers), and SRTP protection of
/// 1,200-byte RTP packets with both profiles.
public enum DTLSBenchmark {
    public struct Sizes: Sendable {
        public var handshakes = 300
        public var packets = 300_000
        public init() {}
        public static let tiny: Sizes = {
            var s = Sizes()
            s.handshakes = 3
            s.packets = 1_000
            return s
        }()
    }

    static let client = Endpoint(.v4(IPv4Address(192, 0, 2, 1)), 50_000)
    static let server = Endpoint(.v4(IPv4Address(198, 51, 100, 2)), 50_001)

    public static func run(_ sizes: Sizes = Sizes(), repetitions: Int = 3) throws -> BenchmarkReport {
        var report = BenchmarkReport()
        var failures = 0
        var seed: UInt64 = 0
        let handshakeSeconds = WallClock.bestSeconds(repetitions: repetitions) {
            for _ in 0..<sizes.handshakes {
                seed += 1
                if (try? handshake(seed: seed)) != true { failures += 1 }
            }
        }
        guard failures == 0 else { throw BenchmarkFailure("\(failures) DTLS handshakes did not complete") }
        report.add("handshakes_per_s", Double(sizes.handshakes) / handshakeSeconds,
                   label: "DTLS 1.2 handshakes / s (fresh P-256 certificates, ECDHE, use_srtp, both cores in memory)")
        for (key, profile, label) in [("srtp_protect_per_s", SRTPProfile.aeadAes128Gcm, "AEAD_AES_128_GCM"),
                                      ("srtp_sha1_protect_per_s", .aes128CmHmacSha1_80, "AES_CM_128_HMAC_SHA1_80")] {
            let seconds = try protectSeconds(profile: profile, packets: sizes.packets, repetitions: repetitions)
            report.add(key, Double(sizes.packets) / seconds, label: "1,200-byte RTP packets protected / s, \(label)")
        }
        return report
    }

    /// One handshake with new identities on both sides, datagrams handed over in memory;
    /// whether both ends connected with the same SRTP keying material.
    static func handshake(seed: UInt64) throws -> Bool {
        var rng = Xoshiro256.stream(seed: seed, id: 0)
        let clientIdentity = try TLSIdentity.generate(commonName: "WebRTC", notBefore: 1_767_225_600, validity: .seconds(30 * 86_400), rng: &rng)
        let serverIdentity = try TLSIdentity.generate(commonName: "WebRTC", notBefore: 1_767_225_600, validity: .seconds(30 * 86_400), rng: &rng)
        var a = try DTLSEndpoint(configuration: DTLSConfiguration(role: .client, identity: clientIdentity,
                                                                  remoteFingerprint: DTLSFingerprint(identity: serverIdentity)),
                                 local: client, remote: server, randomness: .seeded(Xoshiro256.stream(seed: seed, id: 1)))
        var b = try DTLSEndpoint(configuration: DTLSConfiguration(role: .server, identity: serverIdentity,
                                                                  remoteFingerprint: DTLSFingerprint(identity: clientIdentity)),
                                 local: server, remote: client, randomness: .seeded(Xoshiro256.stream(seed: seed, id: 2)))
        a.start(now: .zero)
        // Flights alternate until the client has nothing more to send: two round trips.
        var toServer = drain(&a)
        for _ in 0..<8 where !toServer.isEmpty {
            for datagram in toServer { b.handle(datagram, now: .zero) }
            for datagram in drain(&b) { a.handle(datagram, now: .zero) }
            toServer = drain(&a)
        }
        guard let x = a.connection, let y = b.connection else { return false }
        return x.srtpKeyingMaterial == y.srtpKeyingMaterial
    }

    private static func drain(_ endpoint: inout DTLSEndpoint) -> [Datagram] {
        var out: [Datagram] = []
        while true {
            switch endpoint.pollOutput() {
            case .transmit(let datagram): out.append(datagram)
            case .event: continue
            case .timeout: return out
            }
        }
    }

    /// Seconds to protect `packets` 1,200-byte RTP packets (12-byte header, sequence
    /// numbers in order), best of `repetitions`.
    static func protectSeconds(profile: SRTPProfile, packets: Int, repetitions: Int) throws -> Double {
        let key = try SRTPMasterKey(profile: profile, key: [UInt8](repeating: 0x2B, count: profile.keyLength),
                                    salt: [UInt8](repeating: 0x5C, count: profile.saltLength))
        var template = [UInt8](repeating: 0xA5, count: 1_200)
        template[0] = 0x80
        template[1] = 96
        template[8...11] = [0x12, 0x34, 0x56, 0x78]
        var failures = 0
        var sink = 0
        let seconds = WallClock.bestSeconds(repetitions: repetitions) {
            guard let sender = try? SRTPSender(masterKey: key) else { failures += 1; return }
            var packet = template
            packet.reserveCapacity(template.count + profile.rtpOverhead)
            for i in 0..<packets {
                packet.removeLast(packet.count - template.count)
                packet[2] = UInt8(truncatingIfNeeded: i >> 8)
                packet[3] = UInt8(truncatingIfNeeded: i)
                do { try sender.protectRTP(&packet) } catch { failures += 1 }
                sink &+= Int(packet[packet.count - 1])
            }
        }
        guard failures == 0 else { throw BenchmarkFailure("SRTP protection failed \(failures) times") }
        _ = sink
        return seconds
    }
}
