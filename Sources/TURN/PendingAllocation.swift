import NetTypes
import STUN

/// An Allocate the server accepted whose relayed transport addresses the driver is still
/// binding: its answer waits until every one is bound (RFC 8656 §7.2), or goes out as 508
/// when no port of the range can be had.
///
/// It counts against the per-user quota and the capacity from the moment it is accepted,
/// so that neither can be overrun by Allocates that arrive while binds are in flight.
struct PendingAllocation {
    let reply: TURNReply
    let username: String
    /// Whom quotas count this allocation against (`TURNServer.quotaUser(of:)`).
    let quotaUser: String
    let authenticator: STUNAuthenticator
    let lifetime: Duration
    /// EVEN-PORT: nil without, else its R bit (reserve the next port).
    let evenPort: Bool?
    /// RESERVATION-TOKEN fixed the port: no other port will do.
    let portIsReserved: Bool
    /// ADDITIONAL-ADDRESS-FAMILY asked for an IPv6 relayed address besides the IPv4 one.
    let wantsIPv6: Bool
    /// Relayed endpoints bound so far (IPv4 first when both).
    var bound: [Endpoint] = []
    /// The endpoint the driver is binding now.
    var binding: Endpoint?
    /// Endpoints whose bind failed: not tried again for this allocation.
    var failed: Set<Endpoint> = []
    /// The token of the port EVEN-PORT's R bit holds for this allocation.
    var reservationToken: UInt64?
    /// The ADDRESS-ERROR-CODE for IPv6 when that relayed address could not be had.
    var ipv6Error: Int?

    /// Whether the endpoint being bound is the first (the requested family's).
    var bindingPrimary: Bool { bound.isEmpty }
}
