/// `--shard auto`: the slice of a sweep a batch engine's array task runs, read from the
/// variables the engine sets (docs/scaling.md).
///
/// - Kubernetes Indexed Jobs set `JOB_COMPLETION_INDEX` (0-based) in every pod; the
///   number of completions is not exposed to the pod, so the Job's manifest passes it as
///   `JOB_COMPLETIONS` (the same number as `spec.completions`).
/// - Slurm job arrays set `SLURM_ARRAY_TASK_ID` and `SLURM_ARRAY_TASK_COUNT`, and
///   `SLURM_ARRAY_TASK_MIN` / `SLURM_ARRAY_TASK_STEP`: an array `--array=1-8` runs tasks
///   1…8, which become shards 0…7. Arrays with a step other than 1 are refused: their
///   task ids do not cover every shard.
public enum ShardEnvironment {
    /// Why no shard could be read from the environment.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The shard the environment describes.
    public static func shard(from environment: [String: String]) throws(Failure) -> SweepPlan.Shard {
        if let index = environment["JOB_COMPLETION_INDEX"] {
            guard let count = environment["JOB_COMPLETIONS"] else {
                throw Failure(description: "--shard auto: JOB_COMPLETION_INDEX is set but JOB_COMPLETIONS is not; set it in the Job's pod template to spec.completions")
            }
            return try make(index: integer(index, "JOB_COMPLETION_INDEX"), count: integer(count, "JOB_COMPLETIONS"))
        }
        if let task = environment["SLURM_ARRAY_TASK_ID"] {
            guard let count = environment["SLURM_ARRAY_TASK_COUNT"] else {
                throw Failure(description: "--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")
            }
            if let step = environment["SLURM_ARRAY_TASK_STEP"], try integer(step, "SLURM_ARRAY_TASK_STEP") != 1 {
                throw Failure(description: "--shard auto: the Slurm array has step \(step); use a contiguous array such as --array=0-7")
            }
            let minimum = try environment["SLURM_ARRAY_TASK_MIN"].map { value throws(Failure) in try integer(value, "SLURM_ARRAY_TASK_MIN") } ?? 0
            return try make(index: integer(task, "SLURM_ARRAY_TASK_ID") - minimum, count: integer(count, "SLURM_ARRAY_TASK_COUNT"))
        }
        throw Failure(description: "--shard auto: neither a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, JOB_COMPLETIONS) nor a Slurm job array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT) is in the environment")
    }

    private static func integer(_ text: String, _ name: String) throws(Failure) -> Int {
        guard let value = Int(text) else { throw Failure(description: "--shard auto: \(name) is '\(text)', not a whole number") }
        return value
    }

    private static func make(index: Int, count: Int) throws(Failure) -> SweepPlan.Shard {
        guard let shard = SweepPlan.Shard(index: index, count: count) else {
            throw Failure(description: "--shard auto: the environment gives shard \(index) of \(count); it needs 0 ≤ index < count")
        }
        return shard
    }
}
