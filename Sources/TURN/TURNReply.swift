import NetTypes
import STUN

/// How a request is answered: its method and transaction, whether it carried FINGERPRINT
/// (the response then does too), and the transport addresses it travelled between. Kept
/// with an Allocate whose answer waits until its relayed socket is bound.
struct TURNReply {
    let method: STUNMethod
    let transactionID: STUNTransactionID
    let fingerprint: Bool
    /// The server's transport address the request reached: the response leaves from it.
    let local: Endpoint
    let client: Endpoint
    let transport: TransportKind

    init(_ request: DecodedSTUNMessage, _ datagram: Datagram) {
        method = request.message.type.method
        transactionID = request.message.transactionID
        fingerprint = request.fingerprintOffset != nil
        local = datagram.destination
        client = datagram.source
        transport = datagram.transport
    }
}
