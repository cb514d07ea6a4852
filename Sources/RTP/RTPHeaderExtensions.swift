/// The header extension block of an RTP packet (RFC 3550 §5.3.1) in the general
/// mechanism of RFC 8285: a list of (id, data) elements in the one-byte or two-byte form.
public struct RTPHeaderExtensions: Hashable, Sendable {
    /// The element header layout (RFC 8285 §4.2 and §4.3).
    public enum Form: Hashable, Sendable {
        /// Profile 0xBEDE: ids 1-14, 1-16 data bytes.
        case oneByte
        /// Profile 0x100X: ids 1-255, 0-255 data bytes; `appBits` are the profile's low 4 bits.
        case twoByte(appBits: UInt8)
    }

    /// One element: a local identifier negotiated in SDP (`a=extmap`) and its data.
    public struct Element: Hashable, Sendable {
        public var id: UInt8
        public var data: [UInt8]
        public init(id: UInt8, data: [UInt8]) { self.id = id; self.data = data }
    }

    public var form: Form
    public var elements: [Element]

    public init(form: Form = .oneByte, elements: [Element] = []) {
        self.form = form
        self.elements = elements
    }

    /// The data of element `id`, if present.
    public subscript(id: UInt8) -> [UInt8]? {
        get { elements.first { $0.id == id }?.data }
        set {
            if let index = elements.firstIndex(where: { $0.id == id }) {
                if let newValue { elements[index].data = newValue } else { elements.remove(at: index) }
            } else if let newValue {
                elements.append(Element(id: id, data: newValue))
            }
        }
    }

    /// The 16-bit profile value of the extension header.
    var profile: UInt16 {
        switch form {
        case .oneByte: return 0xBEDE
        case .twoByte(let bits): return 0x1000 | UInt16(bits & 0x0F)
        }
    }

    /// Whether every element fits the form's id and length ranges.
    public var isEncodable: Bool {
        elements.allSatisfy { e in
            switch form {
            case .oneByte: return (1...14).contains(e.id) && (1...16).contains(e.data.count)
            case .twoByte: return e.id >= 1 && e.data.count <= 255
            }
        }
    }

    /// Bytes of the encoded block: the 4-byte extension header and the padded elements.
    public var encodedSize: Int {
        let perElement = form == .oneByte ? 1 : 2
        let body = elements.reduce(0) { $0 + perElement + $1.data.count }
        return 4 + (body + 3) / 4 * 4
    }

    /// Appends the extension header (profile, length in words) and the elements padded
    /// with zero bytes to a 32-bit boundary.
    func encode(into out: inout [UInt8]) {
        precondition(isEncodable, "header extension elements out of range for \(form)")
        out.appendUInt16(profile)
        let lengthPosition = out.count
        out.appendUInt16(0)
        let start = out.count
        for e in elements {
            switch form {
            case .oneByte: out.append(e.id << 4 | UInt8(e.data.count - 1))
            case .twoByte: out.append(e.id); out.append(UInt8(e.data.count))
            }
            out.append(contentsOf: e.data)
        }
        out.padToWord()
        let words = UInt16((out.count - start) / 4)
        out[lengthPosition] = UInt8(words >> 8)
        out[lengthPosition + 1] = UInt8(truncatingIfNeeded: words)
    }

    /// Decodes the extension block that follows the fixed header and CSRCs. Profiles
    /// other than RFC 8285's are rejected; padding bytes (id 0) are skipped and, in the
    /// one-byte form, id 15 ends the parse (RFC 8285 §4.2).
    static func decode(_ reader: inout ByteReader) throws(RTPError) -> RTPHeaderExtensions {
        let profile = try reader.uint16()
        let words = Int(try reader.uint16())
        var block = ByteReader(try reader.read(words * 4))
        let form: Form
        if profile == 0xBEDE { form = .oneByte }
        else if profile & 0xFFF0 == 0x1000 { form = .twoByte(appBits: UInt8(profile & 0x0F)) }
        else { throw .invalidExtension("unknown profile 0x\(String(profile, radix: 16))") }
        var elements: [Element] = []
        parsing: while block.remaining > 0 {
            let first = try block.uint8()
            if first == 0 { continue }
            let id: UInt8, length: Int
            switch form {
            case .oneByte:
                id = first >> 4
                if id == 15 { break parsing }
                length = Int(first & 0x0F) + 1
            case .twoByte:
                id = first
                length = Int(try block.uint8())
            }
            elements.append(Element(id: id, data: Array(try block.read(length))))
        }
        return RTPHeaderExtensions(form: form, elements: elements)
    }
}
