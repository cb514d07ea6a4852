import ArgumentParser
import Foundation
import Live
import Signaling
import TURN

/// `icelab turn-credentials`: a time-limited TURN REST username and password
/// (draft-uberti-behave-turn-rest-00 §2.2) for a server run with `--auth-secret`, as the
/// web service that hands them to browsers would compute them.
struct TURNCredentialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turn-credentials",
        abstract: "Print a time-limited TURN REST username and password (for turn-server --auth-secret).")

    @Option(help: "The shared secret the server was given with --auth-secret.")
    var secret: String

    @Option(help: "Seconds the credentials stay valid from now.")
    var ttl: Int64 = 86_400

    @Option(help: "The user the username names (quotas count it); none: the expiry alone.")
    var user: String?

    @Option(name: .customLong("url"), help: "TURN URL for the iceServers entry, e.g. turn:192.0.2.1:3478?transport=udp (repeatable).")
    var urls: [String] = []

    @Flag(help: "Print a WebRTC RTCIceServer entry as JSON instead of two lines.")
    var json = false

    func validate() throws {
        if secret.isEmpty { throw ValidationError("--secret must not be empty") }
        if !(1...(10 * 365 * 86_400)).contains(ttl) { throw ValidationError("--ttl must be between 1 and \(10 * 365 * 86_400) seconds") }
        if let user, user.isEmpty { throw ValidationError("--user must not be empty") }
    }

    func run() throws {
        let credential = TURNRESTCredential(expiry: Int64(Date().timeIntervalSince1970) + ttl, user: user)
        let password = credential.password(secret: secret)
        if json {
            // The RTCIceServer dictionary of WebRTC (W3C webrtc §4.2.4): urls, username, credential.
            print(JSONLine.encode([.init("urls", .array(urls.map(JSONLine.Value.string))), .init("username", .string(credential.username)),
                                   .init("credential", .string(password))]))
        } else {
            print("username: \(credential.username)")
            print("password: \(password)")
        }
    }
}
