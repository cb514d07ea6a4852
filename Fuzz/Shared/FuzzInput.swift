#if canImport(Glibc)
import Glibc
#endif

/// The input format of the fuzz targets that feed a core a sequence of packets: a mode
/// byte picking the victim, then each packet as a 2-byte big-endian length and its bytes
/// (a short last one takes what is left). Compiled into each such target by its build.sh.
enum FuzzInput {
    static func datagrams(_ bytes: ArraySlice<UInt8>) -> [[UInt8]] {
        var found: [[UInt8]] = [], index = bytes.startIndex
        while index < bytes.endIndex {
            guard index + 2 <= bytes.endIndex else { found.append(Array(bytes[index...])); break }
            let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
            let end = min(bytes.endIndex, index + 2 + length)
            found.append(Array(bytes[(index + 2)..<end]))
            index = end
        }
        return found
    }

    static func encode(mode: UInt8, _ datagrams: [[UInt8]]) -> [UInt8] {
        var bytes = [mode]
        for datagram in datagrams { bytes += [UInt8(datagram.count >> 8), UInt8(datagram.count & 0xFF)] + datagram }
        return bytes
    }

    /// Writes each seed to DIRECTORY/NAME (from LLVMFuzzerInitialize, when the target's
    /// seeds variable names a directory).
    static func write(_ seeds: [(String, [UInt8])], to directory: String) {
        for (name, seed) in seeds {
            guard let file = fopen(directory + "/" + name, "w") else { continue }
            _ = seed.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
        }
    }
}
