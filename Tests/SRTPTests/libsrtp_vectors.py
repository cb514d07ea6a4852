"""Protects and unprotects packets with libsrtp (through pylibsrtp) for icelab's SRTP
interop test (Tests/SRTPTests/LibSRTPInteropTests.swift).

Reads one JSON object from the file named by its argument:
  {"profile": "aes128_cm_sha1_80" | "aead_aes_128_gcm",
   "key": HEX master key || master salt,
   "rtcp_encrypted": true | false   (optional, default true: the E-bit of SRTCP),
   "operations": [{"op": "protect" | "unprotect" | "protect_rtcp" | "unprotect_rtcp",
                   "packet": HEX}, ...]}
Operations run in order: the protect ones on one outbound session, the unprotect ones
on one inbound session, both keyed with "key". Prints one JSON object:
  {"results": [HEX or "error: ..." per operation]}
"""
import json
import sys

from pylibsrtp import Error, Policy, Session, ffi

PROFILES = {
    "aes128_cm_sha1_80": Policy.SRTP_PROFILE_AES128_CM_SHA1_80,
    "aead_aes_128_gcm": Policy.SRTP_PROFILE_AEAD_AES_128_GCM,
}


# srtp_sec_serv_t of libsrtp's srtp.h: authentication only (SRTCP with the E-bit clear).
SEC_SERV_AUTH = 2


def session(key, profile, ssrc_type, rtcp_encrypted):
    policy = Policy(key=key, ssrc_type=ssrc_type, srtp_profile=profile)
    if not rtcp_encrypted:
        # pylibsrtp does not expose the security services; srtp.h's srtp_crypto_policy_t
        # is six ints, sec_serv the last.
        fields = ffi.cast("int *", ffi.addressof(policy._policy.rtcp))
        fields[5] = SEC_SERV_AUTH
    return Session(policy=policy)


def main():
    with open(sys.argv[1]) as request_file:
        request = json.load(request_file)
    profile = PROFILES[request["profile"]]
    key = bytes.fromhex(request["key"])
    rtcp_encrypted = request.get("rtcp_encrypted", True)
    outbound = session(key, profile, Policy.SSRC_ANY_OUTBOUND, rtcp_encrypted)
    inbound = session(key, profile, Policy.SSRC_ANY_INBOUND, rtcp_encrypted)
    calls = {
        "protect": outbound.protect,
        "protect_rtcp": outbound.protect_rtcp,
        "unprotect": inbound.unprotect,
        "unprotect_rtcp": inbound.unprotect_rtcp,
    }
    results = []
    for operation in request["operations"]:
        try:
            results.append(calls[operation["op"]](bytes.fromhex(operation["packet"])).hex())
        except Error as error:
            results.append("error: %s" % error)
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
