import NetTypes
import Testing
@testable import TCP

/// The slice-based buffers of the data path against plain byte arrays: the chunk queue
/// of the send and receive buffers, the in-place growth of the reassembly queue, and the
/// inline option bytes against the option values.
@Suite struct TCPBufferTests {
    @Test(arguments: [512, 64 << 10])
    func chunkQueueMatchesAnArray(gatherLimit: Int) {
        var rng = Xoshiro256(seed: UInt64(gatherLimit))
        var queue = TCPChunkQueue(gatherLimit: gatherLimit)
        var model: [UInt8] = []
        var next: UInt8 = 0
        for _ in 0..<3000 {
            switch rng.next() % 4 {
            case 0, 1:
                let size = rng.next() % 3 == 0 ? Int(rng.next() % 200_000) : Int(rng.next() % 2000)
                let base = (0..<size + 10).map { _ in next &+= 1; return next }
                let cut = Int(rng.next() % 10)
                let data = base[cut..<cut + size]
                queue.append(data)
                model += data
            case 2:
                let n = Int(rng.next() % UInt64(model.count + 100))
                let taken = queue.takeFirst(n)
                #expect(taken == Array(model.prefix(n)))
                model.removeFirst(min(n, model.count))
            default:
                let n = Int(rng.next() % UInt64(model.count + 100))
                queue.removeFirst(n)
                model.removeFirst(min(n, model.count))
            }
            #expect(queue.count == model.count)
            let offset = Int(rng.next() % UInt64(model.count + 10))
            let length = Int(rng.next() % 3000)
            let expected = offset < model.count ? Array(model[offset..<min(model.count, offset + length)]) : []
            #expect(Array(queue.slice(at: offset, length: length)) == expected)
        }
    }

    @Test func reassemblyKeepsTheFirstCopyOfEveryOctet() {
        var rng = Xoshiro256(seed: 7)
        let base = TCPSequence(0xFFFF_0000)  // wraps around zero
        for _ in 0..<50 {
            var queue = TCPReassemblyQueue()
            var model = [UInt8?](repeating: nil, count: 20_000)
            for round in 1...60 {
                let start = Int(rng.next() % 18_000)
                let length = 1 + Int(rng.next() % 1500)
                let bytes = [UInt8](repeating: UInt8(round), count: length)
                queue.insert(bytes[...], at: base + start)
                for i in start..<start + length where model[i] == nil { model[i] = UInt8(round) }
            }
            var rebuilt = [UInt8?](repeating: nil, count: 20_000)
            for run in queue.runs {
                for (i, byte) in run.bytes.enumerated() { rebuilt[run.start - base + i] = byte }
            }
            #expect(rebuilt == model)
            #expect(queue.count == model.compactMap { $0 }.count)
            // Runs are sorted and never touch (merged where they do).
            for (a, b) in zip(queue.runs, queue.runs.dropFirst()) { #expect(a.end < b.start) }
            // Taking from inside the first run hands over its octets from there on.
            guard let first = queue.runs.first else { continue }
            let next = first.start + first.data.count / 2
            let held = queue.count
            let taken = queue.takeContiguous(at: next)
            #expect(taken.map { Array($0.slice(at: 0, length: $0.count)) } == model[(next - base)..<(first.end - base)].map { $0! })
            #expect(queue.count == held - first.data.count)
        }
    }

    @Test func optionBytesAgreeWithTheOptionValues() throws {
        let lists: [[TCPOption]] = [
            [],
            [.maximumSegmentSize(1460), .sackPermitted, .timestamps(value: 7, echoReply: 9), .noOperation, .windowScale(7)],
            [.noOperation, .noOperation, .timestamps(value: 1, echoReply: 2), .noOperation, .noOperation,
             .sack([TCPSACKBlock(start: TCPSequence(10), end: TCPSequence(20)), TCPSACKBlock(start: TCPSequence(30), end: TCPSequence(40))])],
            [.unknown(kind: 30, data: [1, 2, 3]), .endOfOptionList],
        ]
        for list in lists {
            let bytes = TCPOptionBytes(list)
            var encoded: [UInt8] = []
            for option in list { option.encode(into: &encoded) }
            #expect(bytes.bytes == encoded)
            #expect(bytes.options == list)
            #expect(try TCPOptionBytes(validating: encoded[...]) == bytes)
            var mss: UInt16?
            var blocks: [TCPSACKBlock] = []
            var timestamps: (UInt32, UInt32)?
            for option in list {
                switch option {
                case .maximumSegmentSize(let value): mss = mss ?? value
                case .sack(let found): if blocks.isEmpty { blocks = found }
                case .timestamps(let value, let echo): timestamps = timestamps ?? (value, echo)
                default: break
                }
            }
            #expect(bytes.maximumSegmentSize == mss)
            #expect(bytes.isSACKPermitted == list.contains(.sackPermitted))
            #expect(bytes.sackBlocks == blocks)
            let ts = bytes.timestamps
            #expect(ts?.value == timestamps?.0 && ts?.echoReply == timestamps?.1)
        }
        // What follows an end-of-option-list is padding, not kept.
        #expect(try TCPOptionBytes(validating: [1, 0, 9, 9][...]).options == [.noOperation, .endOfOptionList])
        #expect(throws: TCPDecodeError.wrongOptionLength(kind: 8, length: 6)) {
            try TCPOptionBytes(validating: [8, 6, 0, 0, 0, 0][...])
        }
    }
}
