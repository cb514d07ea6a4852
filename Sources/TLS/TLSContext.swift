import COpenSSL

/// One OpenSSL `SSL_CTX` built from a `TLSConfiguration`: the certificate and key, trust
/// anchors, versions, ALPN and options, shared by many `TLSSession`s. Building one parses
/// and checks keys, so build it once per configuration (per server, per client setup).
///
/// Thread-safe after init (`@unchecked Sendable`): sessions only read it, which OpenSSL
/// allows from any thread. It is configured so that no state passes between sessions:
/// session tickets are off (RFC 8446 §4.6.1 tickets and RFC 5077 tickets carry wall-clock
/// time and would tie one connection's bytes to another's), and so is the session cache.
public final class TLSContext: @unchecked Sendable {
    /// The configuration the context was built from.
    public let configuration: TLSConfiguration
    /// The `SSL_CTX`.
    let pointer: OpaquePointer
    /// The server's ALPN preference list in wire format (RFC 7301 §3.1), read by the
    /// selection callback through its `arg` pointer for the context's lifetime.
    private let alpnWire: UnsafeMutableBufferPointer<UInt8>

    /// Builds the context. Throws `.invalidConfiguration` for a server without an
    /// identity or an ALPN name that is empty or longer than 255 bytes.
    public init(_ configuration: TLSConfiguration) throws(TLSError) {
        self.configuration = configuration
        var wire: [UInt8] = []
        for name in configuration.alpn {
            let bytes = Array(name.utf8)
            guard (1...255).contains(bytes.count) else { throw .invalidConfiguration("ALPN name \"\(name)\" must be 1 to 255 bytes") }
            wire.append(UInt8(bytes.count))
            wire += bytes
        }
        if configuration.role == .server && configuration.identity == nil {
            throw .invalidConfiguration("a server needs an identity (certificate and key)")
        }
        OpenSSLErrors.clear()
        let method = configuration.role == .server ? TLS_server_method() : TLS_client_method()
        guard let pointer = SSL_CTX_new(method) else { throw .internalError(OpenSSLErrors.drain(or: "SSL_CTX_new")) }
        self.pointer = pointer
        alpnWire = .allocate(capacity: wire.count + 1)  // NUL-terminated for the callback
        _ = alpnWire.initialize(from: wire + [0])
        let alpnCount = wire.count
        try configure(wireLength: alpnCount)
    }

    private func configure(wireLength: Int) throws(TLSError) {
        let configuration = self.configuration
        _ = SSL_CTX_set_options(pointer, icelab_ssl_op_no_ticket() | icelab_ssl_op_no_renegotiation())
        _ = SSL_CTX_set_num_tickets(pointer, 0)
        icelab_ssl_ctx_disable_session_cache(pointer)
        guard configuration.minimumVersion <= configuration.maximumVersion else {
            throw .invalidConfiguration("the minimum version is above the maximum")
        }
        func number(_ version: TLSConfiguration.Version) -> Int32 { version == .tls13 ? TLS1_3_VERSION : TLS1_2_VERSION }
        guard icelab_ssl_ctx_set_version_range(pointer, number(configuration.minimumVersion), number(configuration.maximumVersion)) == 1 else {
            throw .internalError(OpenSSLErrors.drain(or: "cannot set the protocol versions"))
        }
        if let identity = configuration.identity {
            guard SSL_CTX_use_certificate(pointer, identity.certificate.x509) == 1,
                  SSL_CTX_use_PrivateKey(pointer, identity.key) == 1 else {
                throw .invalidConfiguration(OpenSSLErrors.drain(or: "the identity was refused"))
            }
            for certificate in identity.chain where icelab_ssl_ctx_add1_chain_cert(pointer, certificate.x509) != 1 {
                throw .invalidConfiguration(OpenSSLErrors.drain(or: "a chain certificate was refused"))
            }
        }
        if configuration.role == .client {
            if configuration.verifyPeer {
                SSL_CTX_set_verify(pointer, SSL_VERIFY_PEER, nil)
                let store = SSL_CTX_get_cert_store(pointer)
                _ = X509_STORE_set_flags(store, UInt(X509_V_FLAG_PARTIAL_CHAIN))
                for anchor in configuration.trusted where X509_STORE_add_cert(store, anchor.x509) != 1 {
                    throw .invalidConfiguration(OpenSSLErrors.drain(or: "a trust anchor was refused"))
                }
            }
            if wireLength > 0 && SSL_CTX_set_alpn_protos(pointer, alpnWire.baseAddress, UInt32(wireLength)) != 0 {
                throw .internalError(OpenSSLErrors.drain(or: "cannot set ALPN"))
            }
        } else if wireLength > 0 {
            SSL_CTX_set_alpn_select_cb(pointer, { _, out, outLength, offered, offeredLength, arg in
                // RFC 7301 §3.2: the server's preference wins; no common name is fatal.
                guard let arg, let offered else { return SSL_TLSEXT_ERR_ALERT_FATAL }
                let preferences = arg.assumingMemoryBound(to: UInt8.self)
                var wireLength = 0
                while preferences[wireLength] != 0 { wireLength += 1 + Int(preferences[wireLength]) }
                var selected: UnsafeMutablePointer<UInt8>?
                var selectedLength: UInt8 = 0
                guard SSL_select_next_proto(&selected, &selectedLength, preferences, UInt32(wireLength),
                                            offered, offeredLength) == OPENSSL_NPN_NEGOTIATED else {
                    return SSL_TLSEXT_ERR_ALERT_FATAL
                }
                out?.pointee = UnsafePointer(selected)
                outLength?.pointee = selectedLength
                return SSL_TLSEXT_ERR_OK
            }, UnsafeMutableRawPointer(alpnWire.baseAddress))
        }
        OpenSSLErrors.clear()
    }

    deinit {
        SSL_CTX_free(pointer)
        alpnWire.deallocate()
    }
}
