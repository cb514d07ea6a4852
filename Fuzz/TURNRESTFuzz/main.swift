/// libFuzzer entry point: any username (the bytes as UTF-8, as a STUN USERNAME decodes)
/// parses as a REST username or is refused, never traps; what parses has an expiry of at
/// most 19 digits, a non-empty quota user, and a password of 28 base64 characters (20
/// bytes of HMAC-SHA1); a username made from its parts parses back to them.
@_cdecl("LLVMFuzzerTestOneInput")
public func turnRESTFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let username = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let credential = TURNRESTCredential(username: username) else { return 0 }
    precondition(credential.expiry >= 0 && !credential.quotaUser.isEmpty, "a parsed username without expiry or user")
    let password = credential.password(secret: String(username.prefix(16)))
    precondition(password.utf8.count == 28 && password.hasSuffix("="), "a password that is not base64 of 20 bytes")
    let user = username.contains(":") ? credential.quotaUser : nil
    let rebuilt = TURNRESTCredential(expiry: credential.expiry, user: user)
    precondition(rebuilt.expiry == credential.expiry, "the expiry does not round-trip")
    precondition(user == nil ? rebuilt.quotaUser == rebuilt.username : rebuilt.quotaUser == credential.quotaUser, "the user does not round-trip")
    return 0
}
