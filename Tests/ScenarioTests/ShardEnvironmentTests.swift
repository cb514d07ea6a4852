import Testing
@testable import Scenario

/// `--shard auto`: the slice read from a Kubernetes Indexed Job's or a Slurm array task's
/// environment, and the failures named.
@Suite struct ShardEnvironmentTests {
    @Test func kubernetesIndexedJob() throws {
        let shard = try ShardEnvironment.shard(from: ["JOB_COMPLETION_INDEX": "3", "JOB_COMPLETIONS": "8"])
        #expect(shard == SweepPlan.Shard(parsing: "3/8"))
    }

    @Test func slurmArrayCountsFromItsFirstTask() throws {
        #expect(try ShardEnvironment.shard(from: ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "4"]) == SweepPlan.Shard(parsing: "0/4"))
        let shifted = ["SLURM_ARRAY_TASK_ID": "8", "SLURM_ARRAY_TASK_COUNT": "8", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_STEP": "1"]
        #expect(try ShardEnvironment.shard(from: shifted) == SweepPlan.Shard(parsing: "7/8"))
    }

    @Test(arguments: [
        ([:], "neither a Kubernetes Indexed Job"),
        (["JOB_COMPLETION_INDEX": "1"], "JOB_COMPLETIONS is not"),
        (["JOB_COMPLETION_INDEX": "x", "JOB_COMPLETIONS": "2"], "JOB_COMPLETION_INDEX is 'x'"),
        (["JOB_COMPLETION_INDEX": "2", "JOB_COMPLETIONS": "2"], "shard 2 of 2"),
        (["SLURM_ARRAY_TASK_ID": "1"], "SLURM_ARRAY_TASK_COUNT is not"),
        (["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "2", "SLURM_ARRAY_TASK_STEP": "2"], "step 2"),
    ] as [([String: String], String)])
    func failuresSayWhy(environment: [String: String], message: String) {
        do {
            let shard = try ShardEnvironment.shard(from: environment)
            Issue.record("accepted as \(shard)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}
