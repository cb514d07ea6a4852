import NetTypes
import Testing
@testable import Simulator

/// `AddressSet`: membership by binary search must agree with a hashed set for any
/// sequence of inserts and removes, across both families.
@Suite struct AddressSetTests {
    @Test func agreesWithSetUnderRandomEdits() {
        var rng = Xoshiro256(seed: 7)
        let pool: [IPAddress] = (0..<24).map { (i: Int) -> IPAddress in
            if i % 3 == 0 { return .v6(IPv6Address(high: 0x2001_0db8_0000_0000, low: UInt64(i))) }
            return .v4(IPv4Address(10, 0, UInt8(i % 5), UInt8(i)))
        }
        var sorted = AddressSet()
        var reference = Set<IPAddress>()
        for _ in 0..<2000 {
            let address = pool[Int(rng.next() % UInt64(pool.count))]
            if rng.next() % 3 == 0 {
                sorted.remove(address)
                reference.remove(address)
            } else {
                sorted.insert(address)
                reference.insert(address)
            }
            #expect(sorted.sorted == reference.sorted())
        }
        for address in pool { #expect(sorted.contains(address) == reference.contains(address)) }
    }

    @Test func buildsFromASequenceWithDuplicates() {
        let a = IPAddress.v4(IPv4Address(192, 0, 2, 1))
        let b = IPAddress.v4(IPv4Address(192, 0, 2, 2))
        let set = AddressSet([b, a, b])
        #expect(set.sorted == [a, b])
        #expect(set.contains(a) && !set.contains(.v4(IPv4Address(192, 0, 2, 3))))
    }
}
