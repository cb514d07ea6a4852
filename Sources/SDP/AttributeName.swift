/// Names of the attributes that have no value type of their own (flags and single values).
public enum AttributeName {
    public static let iceUfrag = "ice-ufrag"
    public static let icePwd = "ice-pwd"
    public static let iceOptions = "ice-options"
    public static let iceLite = "ice-lite"
    public static let endOfCandidates = "end-of-candidates"
    public static let mid = "mid"
    public static let rtcpMux = "rtcp-mux"
    public static let rtcpMuxOnly = "rtcp-mux-only"
    public static let rtcpReducedSize = "rtcp-rsize"
    public static let extmapAllowMixed = "extmap-allow-mixed"
    public static let sctpPort = "sctp-port"
    public static let maxMessageSize = "max-message-size"
}
