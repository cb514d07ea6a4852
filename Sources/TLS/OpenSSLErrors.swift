import COpenSSL

/// The thread's OpenSSL error queue. Every operation clears it before calling OpenSSL
/// and reads (and so empties) it after a failure, so one session's errors never show up
/// as another's on the same thread.
enum OpenSSLErrors {
    /// Empties the queue before a call whose failure will be read.
    static func clear() { ERR_clear_error() }

    /// The reason of the earliest queued error (OpenSSL's text, e.g. "wrong version
    /// number"), or `fallback` when the queue is empty; the queue is left empty.
    static func drain(or fallback: String) -> String {
        var reason: String?
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if reason == nil { reason = text(of: code) }
        }
        return reason ?? fallback
    }

    static func text(of code: UInt) -> String {
        if let reason = ERR_reason_error_string(code) { return String(cString: reason) }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Reads (and removes) everything pending in a memory BIO.
func drainBIO(_ bio: OpaquePointer) -> [UInt8] {
    let pending = Int(BIO_ctrl_pending(bio))
    guard pending > 0 else { return [] }
    var bytes = [UInt8](repeating: 0, count: pending)
    let read = bytes.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32(pending)) }
    if read < pending { bytes.removeSubrange(max(Int(read), 0)...) }
    return bytes
}
