import STUN

/// The credentials of one ICE session (they change on restart): what USERNAME of
/// checks carries and which keys sign and verify them. The USERNAME texts are made once
/// per session, not per check.
struct SessionCredentials {
    let local: ICECredentials
    /// Verifies requests to us and signs our responses (our password).
    let localAuthenticator: STUNAuthenticator
    private(set) var remote: ICECredentials?
    /// Signs our requests and verifies their responses (the peer's password).
    private(set) var remoteAuthenticator: STUNAuthenticator?
    /// USERNAME of a request we send: `remoteUfrag:localUfrag` (§7.2.2).
    private(set) var outgoingUsername: String?
    /// How USERNAME of a request to us begins: `localUfrag:` (§7.3).
    private let incomingPrefix: String

    init(local: ICECredentials) {
        self.local = local
        localAuthenticator = STUNAuthenticator(key: .shortTerm(password: local.password))
        incomingPrefix = local.ufrag + ":"
    }

    mutating func setRemote(_ credentials: ICECredentials) {
        remote = credentials
        remoteAuthenticator = STUNAuthenticator(key: .shortTerm(password: credentials.password))
        outgoingUsername = "\(credentials.ufrag):\(local.ufrag)"
    }

    /// Whether USERNAME of a received request names us (`localUfrag:...`, §7.3).
    func accepts(username: String) -> Bool { username.hasPrefix(incomingPrefix) }
}
