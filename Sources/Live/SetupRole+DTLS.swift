import DTLS
import SDP

extension SetupRole {
    /// The DTLS role this side takes when it signalled `self` and the peer `remote`
    /// (RFC 8842 §5: active is the client, passive the server; an actpass side takes the
    /// role opposite the peer's choice). Nil when the two do not pair up: both actpass
    /// (an answer must choose, RFC 8842 §5.3), both active, both passive, or holdconn.
    public func dtlsRole(remote: SetupRole) -> DTLSRole? {
        switch (self, remote) {
        case (.active, .passive), (.active, .actpass), (.actpass, .passive): .client
        case (.passive, .active), (.passive, .actpass), (.actpass, .active): .server
        default: nil
        }
    }
}
