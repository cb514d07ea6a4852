/// The hello extensions this endpoint speaks (RFC 5246 §7.4.1.4); others are skipped.
struct DTLSHelloExtensions: Equatable {
    /// supported_groups (10, RFC 8422 §5.1.1).
    var supportedGroups: [UInt16]?
    /// ec_point_formats (11, RFC 8422 §5.1.2).
    var pointFormats: [UInt8]?
    /// signature_algorithms (13, RFC 5246 §7.4.1.4.1).
    var signatureAlgorithms: [UInt16]?
    /// use_srtp (14, RFC 5764 §4.1.1): protection profiles; the MKI is always empty here.
    var srtpProfiles: [UInt16]?
    /// extended_master_secret (23, RFC 7627 §5.1): empty.
    var extendedMasterSecret = false
    /// renegotiation_info (0xFF01, RFC 5746 §3.2): the renegotiated_connection field,
    /// empty on an initial handshake.
    var renegotiationInfo: [UInt8]?

    enum Kind: UInt16 {
        case supportedGroups = 10, pointFormats = 11, signatureAlgorithms = 13, useSRTP = 14
        case extendedMasterSecret = 23, renegotiationInfo = 0xFF01
    }

    /// The extensions block with its 2-byte length (empty when there is none).
    var encoded: [UInt8] {
        var body: [UInt8] = []
        func add(_ kind: Kind, _ data: [UInt8]) {
            body.appendInteger(kind.rawValue, width: 2)
            body.appendVector(data, lengthWidth: 2)
        }
        /// A vector of bytes with a 1-byte length, or of 16-bit values with a 2-byte length.
        func vector(_ bytes: [UInt8]) -> [UInt8] { [UInt8(bytes.count)] + bytes }
        func vector(_ values: [UInt16]) -> [UInt8] {
            var data: [UInt8] = []
            data.appendUInt16List(values)
            return data
        }
        if let groups = supportedGroups { add(.supportedGroups, vector(groups)) }
        if let formats = pointFormats { add(.pointFormats, vector(formats)) }
        if let algorithms = signatureAlgorithms { add(.signatureAlgorithms, vector(algorithms)) }
        if let profiles = srtpProfiles { add(.useSRTP, vector(profiles) + [0]) }  // srtp_mki: empty
        if extendedMasterSecret { add(.extendedMasterSecret, []) }
        if let info = renegotiationInfo { add(.renegotiationInfo, vector(info)) }
        guard !body.isEmpty else { return [] }
        var block: [UInt8] = []
        block.appendVector(body, lengthWidth: 2)
        return block
    }

    /// Reads the extensions block at the end of a hello (absent when nothing is left).
    /// A duplicate extension or a malformed known one throws `.decodeError`.
    init(decoding reader: inout DTLSWireReader) throws(DTLSError) {
        guard !reader.isAtEnd else { return }
        var block = DTLSWireReader(try reader.vector(lengthWidth: 2, 0...65_535, "extensions"))
        try reader.expectEnd("the extensions")
        var seen: Set<UInt16> = []
        while !block.isAtEnd {
            let type = try block.uint16()
            var data = DTLSWireReader(try block.vector(lengthWidth: 2, 0...65_535, "extension \(type)"))
            guard seen.insert(type).inserted else { throw .decodeError("extension \(type) appears twice") }
            switch Kind(rawValue: type) {
            case .supportedGroups:
                supportedGroups = try data.uint16List(2...65_534, "supported_groups")
            case .pointFormats:
                pointFormats = Array(try data.vector(lengthWidth: 1, 1...255, "ec_point_formats"))
            case .signatureAlgorithms:
                signatureAlgorithms = try data.uint16List(2...65_534, "signature_algorithms")
            case .useSRTP:
                srtpProfiles = try data.uint16List(2...65_534, "use_srtp")
                _ = try data.vector(lengthWidth: 1, 0...255, "srtp_mki")
            case .extendedMasterSecret:
                extendedMasterSecret = true
            case .renegotiationInfo:
                renegotiationInfo = Array(try data.vector(lengthWidth: 1, 0...255, "renegotiation_info"))
            case nil:
                continue
            }
            try data.expectEnd("extension \(type)")
        }
    }

    init() {}
}
