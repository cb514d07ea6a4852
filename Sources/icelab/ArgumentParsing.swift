import ArgumentParser
import NetTypes

/// `USER:PASS`, split at the last colon (ICE usernames contain colons).
struct Credential: ExpressibleByArgument {
    let username: String
    let password: String

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), colon != argument.startIndex else { return nil }
        username = String(argument[..<colon])
        password = String(argument[argument.index(after: colon)...])
    }
}
