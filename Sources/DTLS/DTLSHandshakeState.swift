import NetTypes
import TLS

/// The message a handshake waits for next (RFC 6347 §4.2.4's flights, RFC 5246 §7.3's
/// message order with ECDHE_ECDSA and a client certificate).
enum DTLSExpectation: Equatable, CustomStringConvertible {
    // A client's.
    case serverHello, serverCertificate, serverKeyExchange, certificateRequest, serverHelloDone, serverFinished
    // A server's.
    case clientHello, clientCertificate, clientKeyExchange, certificateVerify, clientFinished
    /// The handshake is over.
    case done

    var description: String {
        switch self {
        case .serverHello: "ServerHello"
        case .serverCertificate, .clientCertificate: "Certificate"
        case .serverKeyExchange: "ServerKeyExchange"
        case .certificateRequest: "CertificateRequest"
        case .serverHelloDone: "ServerHelloDone"
        case .serverFinished, .clientFinished: "Finished"
        case .clientHello: "ClientHello"
        case .clientKeyExchange: "ClientKeyExchange"
        case .certificateVerify: "CertificateVerify"
        case .done: "nothing"
        }
    }
}

/// One entry of a flight (RFC 6347 §4.2.4): a handshake message in the epoch it is sent
/// in, or ChangeCipherSpec. A retransmission encodes the flight again with new record
/// sequence numbers.
enum DTLSFlightEntry {
    case message(DTLSHandshakeMessage, epoch: UInt16)
    case changeCipherSpec
}

/// Everything the handshake keeps between messages, and the secrets it leaves behind for
/// the exporter.
struct DTLSHandshakeState {
    var expecting: DTLSExpectation
    var reassembler = DTLSReassembler()
    /// message_seq of the next message this side sends.
    var sendSequence: UInt16 = 0
    /// The messages hashed for Finished, CertificateVerify and the session hash, each as
    /// one unfragmented message (RFC 6347 §4.2.6); without the first ClientHello and the
    /// HelloVerifyRequest (§4.2.1).
    var transcript: [UInt8] = []
    var clientRandom: [UInt8] = []
    var serverRandom: [UInt8] = []
    /// A client's hello, sent again with the cookie (the same random, §4.2.1).
    var clientHello: DTLSClientHello?
    var helloVerifyRequests = 0
    /// The key to the stateless cookies of a server.
    var cookieKey: [UInt8] = []
    var keyShare: DTLSKeyShare?
    var peerKeyShare: [UInt8] = []
    var group: DTLSGroup?
    var srtpProfile: DTLSSRTPProfile?
    /// The key of the peer's certificate, once its fingerprint matched.
    var peerKey: P256PublicKey?
    var peerCertificateDER: [UInt8] = []
    var masterSecret: [UInt8] = []

    /// The last flight sent, for retransmission.
    var lastFlight: [DTLSFlightEntry] = []
    /// message_seq of the first message of the peer's flight that `lastFlight` answers:
    /// when it arrives again, the peer missed `lastFlight` (RFC 6347 §4.2.4).
    var answeredFlightStart: UInt16?
    /// message_seq of the first message of the peer flight now awaited.
    var awaitedFlightStart: UInt16 = 0
    /// The current retransmission timeout and how many retransmissions it has seen.
    var timeout: Duration = .zero
    var retransmissions = 0
    /// The record sequence number of the epoch-0 record being processed (a
    /// HelloVerifyRequest repeats it, RFC 6347 §4.2.1).
    var recordSequence: UInt64 = 0

    init(expecting: DTLSExpectation) { self.expecting = expecting }

    /// A message of ours with the next message_seq, added to the transcript.
    mutating func outgoing(_ type: DTLSHandshakeType, _ body: [UInt8]) -> DTLSHandshakeMessage {
        let message = DTLSHandshakeMessage(type: type, sequence: sendSequence, body: body)
        sendSequence &+= 1
        transcript += message.transcriptBytes
        return message
    }
}
