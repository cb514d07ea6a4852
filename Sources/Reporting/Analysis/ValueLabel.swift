/// Short labels for swept values in charts: a whole NAT written as a mapping
/// (`{mapping=endpoint-independent,filtering=address-dependent}`) becomes `EIM/ADF`,
/// `{preset=full-cone}` becomes `full-cone` (also without the braces, as databases of
/// earlier versions label them); other values stay as they are.
enum ValueLabel {
    static let dependence = ["endpoint-independent": "EI", "address-dependent": "AD", "address-and-port-dependent": "APD"]

    static func short(_ value: String) -> String {
        let braced = value.hasPrefix("{") && value.hasSuffix("}") && value.count >= 2
        let body = braced ? value.dropFirst().dropLast() : Substring(value)
        let pairs = body.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
        guard !pairs.isEmpty, pairs.allSatisfy({ $0.count == 2 }) else { return value }
        var fields: [String: String] = [:]
        for pair in pairs { fields[pair[0]] = pair[1] }
        if fields.count == 1, let preset = fields["preset"] { return preset }
        if fields.count == 2, let m = fields["mapping"].flatMap({ dependence[$0] }), let f = fields["filtering"].flatMap({ dependence[$0] }) {
            return "\(m)M/\(f)F"
        }
        return value
    }

    /// The legend for the abbreviations, when any label was shortened.
    static let legend = "EIM/ADF etc.: endpoint-independent (EI), address-dependent (AD) or address-and-port-dependent (APD) mapping (M) / filtering (F), RFC 4787."
}
