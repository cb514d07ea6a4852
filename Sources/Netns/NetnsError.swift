/// Why a network-namespace lab could not be built or run.
public enum NetnsError: Error, Equatable, CustomStringConvertible {
    /// Not root, or the kernel refused to create a namespace (no CAP_SYS_ADMIN).
    case notPermitted(String)
    /// `ip` or `nft` is not installed.
    case toolMissing(String)
    /// A command of the lab's setup failed.
    case commandFailed(command: [String], status: Int32, output: String)
    /// A program run inside the lab did not finish in time.
    case timedOut(command: [String], seconds: Int)
    /// A program's output was not what was expected.
    case unexpectedOutput(command: [String], output: String)
    /// The lab was torn down (an interrupt) while it was being built.
    case tornDown

    public var description: String {
        switch self {
        case .notPermitted(let why): "network namespaces are not available: \(why)"
        case .toolMissing(let tool): "\(tool) is not installed (Debian: apt-get install iproute2 nftables)"
        case .commandFailed(let command, let status, let output):
            "\(command.joined(separator: " ")) failed (exit \(status)): \(output.trimmingSuffixNewlines)"
        case .timedOut(let command, let seconds): "\(command.joined(separator: " ")) did not finish within \(seconds) s"
        case .unexpectedOutput(let command, let output): "\(command.joined(separator: " ")) printed \(output.trimmingSuffixNewlines)"
        case .tornDown: "the lab was torn down while it was being built"
        }
    }
}

extension String {
    var trimmingSuffixNewlines: String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}
