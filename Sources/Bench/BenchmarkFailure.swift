/// A benchmark whose workload did not do what it measures (a handshake that did not
/// complete, a packet that was not protected): its figure would be meaningless.
public struct BenchmarkFailure: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
