import ArgumentParser
import Foundation
import NetTypes
import Scenario

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

/// `--shard I/N`, or `--shard auto`: the slice a Kubernetes Indexed Job's pod or a Slurm
/// array task runs, read from its environment (`ShardEnvironment`, docs/scaling.md).
func parseShard(_ text: String) throws -> SweepPlan.Shard {
    if text == "auto" {
        do throws(ShardEnvironment.Failure) {
            return try ShardEnvironment.shard(from: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
    }
    guard let shard = SweepPlan.Shard(parsing: text) else { throw ValidationError("--shard is I/N with 0 ≤ I < N, or auto, found '\(text)'") }
    return shard
}
