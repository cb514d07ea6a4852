/// Why a report cannot be generated.
public enum ReportError: Error, CustomStringConvertible, Sendable {
    case noSweeps(path: String)
    case noSuchSweep(Int64, path: String)

    public var description: String {
        switch self {
        case .noSweeps(let path): "\(path) holds no sweeps (run `icelab run SCENARIO --db \(path)` first)"
        case .noSuchSweep(let id, let path): "\(path) has no sweep \(id)"
        }
    }
}
