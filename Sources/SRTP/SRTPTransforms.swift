/// The SRTP and SRTCP transforms of one direction and its checked configuration: what an
/// `SRTPSender` or `SRTPReceiver` protects or unprotects with.
struct SRTPTransforms {
    let profile: SRTPProfile
    let configuration: SRTPConfiguration
    let rtp: SRTPTransform
    let rtcp: SRTPTransform

    /// The transforms of `masterKey`'s session keys (RFC 3711 §4.3); `sealing` for a
    /// sender's, otherwise a receiver's.
    init(masterKey: SRTPMasterKey, configuration: SRTPConfiguration, sealing: Bool) throws(SRTPError) {
        try self.init(profile: masterKey.profile, rtpKeys: SRTPSessionKeys(deriving: .rtp, from: masterKey),
                      rtcpKeys: SRTPSessionKeys(deriving: .rtcp, from: masterKey), configuration: configuration, sealing: sealing)
    }

    /// Transforms of session keys given directly, as the RFC test vectors give them.
    init(profile: SRTPProfile, rtpKeys: SRTPSessionKeys, rtcpKeys: SRTPSessionKeys,
         configuration: SRTPConfiguration = SRTPConfiguration(), sealing: Bool) throws(SRTPError) {
        try configuration.validate()
        self.profile = profile
        self.configuration = configuration
        rtp = try SRTPTransform(profile: profile, keys: rtpKeys, sealing: sealing)
        rtcp = try SRTPTransform(profile: profile, keys: rtcpKeys, sealing: sealing)
    }
}
