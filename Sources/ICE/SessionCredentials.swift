import STUN

/// The credentials of one ICE session (they change on restart): what USERNAME of
/// checks carries and which keys sign and verify them.
struct SessionCredentials {
    let local: ICECredentials
    /// Verifies requests to us and signs our responses (our password).
    let localAuthenticator: STUNAuthenticator
    var remote: ICECredentials?
    /// Signs our requests and verifies their responses (the peer's password).
    var remoteAuthenticator: STUNAuthenticator?

    init(local: ICECredentials) {
        self.local = local
        localAuthenticator = STUNAuthenticator(key: .shortTerm(password: local.password))
    }

    mutating func setRemote(_ credentials: ICECredentials) {
        remote = credentials
        remoteAuthenticator = STUNAuthenticator(key: .shortTerm(password: credentials.password))
    }

    /// USERNAME of a request we send: `remoteUfrag:localUfrag` (§7.2.2).
    var outgoingUsername: String? { remote.map { "\($0.ufrag):\(local.ufrag)" } }

    /// Whether USERNAME of a received request names us (`localUfrag:...`, §7.3).
    func accepts(username: String) -> Bool { username.hasPrefix(local.ufrag + ":") }
}
