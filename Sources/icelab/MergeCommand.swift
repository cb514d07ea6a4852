import ArgumentParser
import Results

/// `icelab merge`: combines shard databases of a sweep into one.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge result databases (e.g. the shards of a sweep run with --shard I/N) into one.")

    @Option(help: "The database to merge into (created if missing).")
    var db = "results.sqlite"

    @Argument(help: "Databases to merge from.")
    var shards: [String]

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("name at least one database to merge from") }
        if shards.contains(db) { throw ValidationError("--db cannot also be a source") }
    }

    func run() throws {
        do {
            let store = try ResultStore(path: db)
            for shard in shards {
                let copied = try store.merge(from: shard)
                log("merge: \(copied) run\(copied == 1 ? "" : "s") from \(shard)")
            }
        } catch {
            throw UsageError(error.description)
        }
    }
}
