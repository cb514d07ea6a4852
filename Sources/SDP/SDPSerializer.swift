extension SessionDescription: CustomStringConvertible {
    /// The description as SDP text: lines in RFC 8866 order, each ended by CRLF.
    public func serialized() -> String {
        var out = ""
        func line(_ type: Character, _ value: some StringProtocol) {
            out.append(type)
            out += "="
            out += value
            out += "\r\n"
        }
        line("v", "0")
        line("o", origin.description)
        line("s", sessionName)
        if let information { line("i", information) }
        if let uri { line("u", uri) }
        for e in emails { line("e", e) }
        for p in phones { line("p", p) }
        if let connection { line("c", connection.description) }
        for b in bandwidths { line("b", b.description) }
        for t in timings {
            line("t", "\(t.start) \(t.stop)")
            for r in t.repeats { line("r", r) }
        }
        if let timeZones { line("z", timeZones) }
        if let encryptionKey { line("k", encryptionKey) }
        for a in attributes { line("a", a.description) }
        for m in media {
            line("m", m.mediaLine)
            if let information = m.information { line("i", information) }
            for c in m.connections { line("c", c.description) }
            for b in m.bandwidths { line("b", b.description) }
            if let key = m.encryptionKey { line("k", key) }
            for a in m.attributes { line("a", a.description) }
        }
        return out
    }

    public var description: String { serialized() }
}
