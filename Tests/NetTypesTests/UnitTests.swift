import Testing
@testable import NetTypes

@Suite struct UnitTests {
    @Test func durations() throws {
        #expect(try Units.duration("20ms") == .milliseconds(20))
        #expect(try Units.duration("1.5s") == .milliseconds(1500))
        #expect(try Units.duration("250us") == .microseconds(250))
        #expect(try Units.duration("7ns") == .nanoseconds(7))
        #expect(try Units.duration("2m") == .seconds(120))
        #expect(try Units.duration("1h") == .seconds(3600))
        #expect(try Units.duration("0") == .zero)
        #expect(Duration.milliseconds(1500).description == "1.5s")
        #expect(Duration.milliseconds(20).description == "20ms")
        #expect(Duration.seconds(3).description == "3s")
        #expect(Duration.microseconds(1_500).description == "1.5ms")
        #expect(Duration.nanoseconds(1_234_567).description == "1234.567us")
        // Durations near the limits print without overflowing.
        #expect(Duration(nanoseconds: .max).description == "9223372036854775.807us")
        #expect(Duration(nanoseconds: .min + 1).description == "-9223372036854775.807us")
        #expect(Duration.milliseconds(-1500).description == "-1.5s")
    }

    @Test func bitratesAndSizes() throws {
        #expect(try Bitrate(parsing: "2.5Mbps").bitsPerSecond == 2_500_000)
        #expect(try Bitrate(parsing: "500kbps").bitsPerSecond == 500_000)
        #expect(try Bitrate(parsing: "1Gbps").bitsPerSecond == 1_000_000_000)
        #expect(try Bitrate(parsing: "64000bps").bitsPerSecond == 64_000)
        #expect(Bitrate.mbps(2.5).description == "2.5Mbps")
        #expect(try ByteCount(parsing: "64KB").bytes == 64_000)
        #expect(try ByteCount(parsing: "64KiB").bytes == 65_536)
        #expect(try ByteCount(parsing: "1500B").bytes == 1500)
        #expect(try Units.percentage("1%") == 0.01)
        #expect(try Units.percentage("0.5%") == 0.005)
    }

    @Test func serializationDelayArithmetic() {
        // 1200 bytes at 10 Mbps: 9600 bits / 1e7 bit/s = 960 us.
        #expect(Bitrate.mbps(10).transmissionTime(bytes: 1200) == .microseconds(960))
        #expect(Bitrate.kbps(500).transmissionTime(bytes: 1500) == .milliseconds(24))
    }

    @Test(arguments: [
        ("20", QuantityKind.duration, "missing unit"),
        ("20 parsecs", .duration, "unknown unit 'parsecs'"),
        ("-5ms", .duration, "must not be negative"),
        ("ms", .duration, "expected a number"),
        ("", .duration, "empty value"),
        ("2.5Mbit", .bitrate, "unknown unit 'Mbit'"),
        ("5", .percentage, "missing '%'"),
        ("150%", .percentage, "must not exceed 100%"),
        ("64XB", .byteCount, "unknown unit 'XB'"),
        ("1e30s", .duration, "scientific notation is not supported"),
        ("2.5E+6bps", .bitrate, "scientific notation is not supported"),
        ("1e-2%", .percentage, "scientific notation is not supported"),
    ])
    func badUnitsAreTypedErrors(text: String, kind: QuantityKind, reason: String) {
        do {
            switch kind {
            case .duration: _ = try Units.duration(text)
            case .bitrate: _ = try Bitrate(parsing: text)
            case .percentage: _ = try Units.percentage(text)
            case .byteCount: _ = try ByteCount(parsing: text)
            }
            Issue.record("'\(text)' parsed")
        } catch {
            guard case .invalidQuantity(let t, let k, let r) = error else { Issue.record("wrong case \(error)"); return }
            #expect(t == text)
            #expect(k == kind)
            #expect(r.contains(reason), "\(r)")
            #expect(error.description.contains("examples"))
        }
    }

    @Test func instantArithmetic() {
        let t = Instant.zero + .milliseconds(5)
        #expect(t - Instant.zero == .milliseconds(5))
        #expect(Instant.distantFuture + .seconds(1) == .distantFuture)
        #expect(t.seconds == 0.005)
    }
}
