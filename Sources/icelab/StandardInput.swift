import Dispatch

/// Standard input read off the cooperative thread pool (a blocking read there would
/// hold one of its few threads).
enum StandardInput {
    /// The next line without its newline; nil at end of input.
    static func readLine() async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: Swift.readLine()) }
        }
    }

    /// Returns once standard input is closed, skipping whatever is written to it.
    static func waitForEnd() async {
        while await readLine() != nil {}
    }
}
