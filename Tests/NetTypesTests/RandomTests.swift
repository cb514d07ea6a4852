import Testing
@testable import NetTypes

@Suite struct RandomTests {
    @Test func sameSeedSameSequenceDifferentSeedsDiffer() {
        var a = Xoshiro256(seed: 42), b = Xoshiro256(seed: 42), c = Xoshiro256(seed: 43)
        let sa = (0..<100).map { _ in a.next() }
        let sb = (0..<100).map { _ in b.next() }
        let sc = (0..<100).map { _ in c.next() }
        #expect(sa == sb)
        #expect(sa != sc)
    }

    @Test func streamsAreIndependentOfEachOther() {
        var s1 = Xoshiro256.stream(seed: 7, id: 1), s2 = Xoshiro256.stream(seed: 7, id: 2)
        #expect(s1.next() != s2.next())
        var again = Xoshiro256.stream(seed: 7, id: 1)
        var s1b = Xoshiro256.stream(seed: 7, id: 1)
        #expect(again.next() == s1b.next())
    }

    @Test func unitIntervalIsUniform() {
        var rng = Xoshiro256(seed: 1)
        let n = 200_000
        var sum = 0.0
        var buckets = [Int](repeating: 0, count: 10)
        for _ in 0..<n {
            let u = rng.nextUnit()
            #expect(u >= 0 && u < 1)
            sum += u
            buckets[Int(u * 10)] += 1
        }
        #expect(abs(sum / Double(n) - 0.5) < 0.005)
        for b in buckets { #expect(abs(Double(b) / Double(n) - 0.1) < 0.005) }
    }
}
