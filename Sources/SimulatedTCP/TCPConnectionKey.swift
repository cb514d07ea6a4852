import NetTypes

/// What identifies a connection on a host: its local and remote endpoints.
struct TCPConnectionKey: Hashable {
    var local: Endpoint
    var remote: Endpoint
}
