import NetTypes

/// A set of IP addresses kept as a sorted array: membership is a binary search. Nodes
/// and NATs hold a few addresses and test one per packet, where hashing would cost more
/// than the search.
struct AddressSet: Sendable {
    private(set) var sorted: [IPAddress] = []

    init() {}

    init(_ addresses: some Sequence<IPAddress>) {
        for address in addresses { insert(address) }
    }

    func contains(_ address: IPAddress) -> Bool {
        let i = position(of: address)
        return i < sorted.count && sorted[i] == address
    }

    mutating func insert(_ address: IPAddress) {
        let i = position(of: address)
        if i == sorted.count || sorted[i] != address { sorted.insert(address, at: i) }
    }

    mutating func remove(_ address: IPAddress) {
        let i = position(of: address)
        if i < sorted.count && sorted[i] == address { sorted.remove(at: i) }
    }

    /// Where `address` is or would be inserted.
    private func position(of address: IPAddress) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < address { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
