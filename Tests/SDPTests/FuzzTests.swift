import NetTypes
import SDP
import Testing

/// Feeds mutated browser SDPs to the parser: it must return or throw, never trap, and
/// whatever parses must serialize to text that parses to the same description.
@Suite struct FuzzTests {
    static let alphabet = Array("0123456789 :/=.-+abcmotvsx\r\n\u{00e9}\u{0301}".unicodeScalars)

    static func mutate(_ bytes: [Unicode.Scalar], _ rng: inout Xoshiro256) -> String {
        var s = bytes
        for _ in 0..<Int.random(in: 1...4, using: &rng) where !s.isEmpty {
            let i = Int.random(in: 0..<s.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: s[i] = alphabet.randomElement(using: &rng)!
            case 1: s.remove(at: i)
            case 2: s.insert(alphabet.randomElement(using: &rng)!, at: i)
            default:
                let j = Int.random(in: i..<min(s.count, i + 200), using: &rng)
                s.removeSubrange(i..<j)
            }
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: s)
        return text
    }

    @Test func mutatedFixturesNeverTrap() throws {
        var rng = Xoshiro256(seed: 2024)
        var parsed = 0, rejected = 0
        let inputs = try Fixture.names.map { Array(try Fixture.text($0).unicodeScalars) }
        for round in 0..<400 {
            let text = Self.mutate(inputs[round % inputs.count], &rng)
            do throws(SDPParseError) {
                let description = try SessionDescription(parsing: text)
                #expect((try? SessionDescription(parsing: description.serialized())) == description)
                parsed += 1
            } catch {
                #expect(error.line != nil)
                rejected += 1
            }
        }
        #expect(parsed > 0 && rejected > 0)
    }

    @Test func randomBytesNeverTrap() {
        var rng = Xoshiro256(seed: 7)
        for _ in 0..<2000 {
            let scalars = (0..<Int.random(in: 0..<64, using: &rng)).map { _ in Self.alphabet.randomElement(using: &rng)! }
            _ = try? SessionDescription(parsing: "v=0\r\n" + Self.mutate(scalars, &rng))
            var candidate = ""
            candidate.unicodeScalars.append(contentsOf: scalars)
            _ = try? ICECandidate(parsing: candidate)
        }
    }
}
