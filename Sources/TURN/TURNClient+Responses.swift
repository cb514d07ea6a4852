import NetTypes
import STUN

extension TURNClient {
    /// How one request ended: retry (credentials, nonce, redirect), success or failure.
    mutating func handleTransaction(_ event: STUNTransactionEvent, now: Instant) {
        guard let request = requests.removeValue(forKey: event.id) else { return }
        switch event {
        case .success(_, let response, _, _):
            succeeded(request.purpose, response.message, now: now)
        case .errorResponse(_, let code, let response, _):
            if retried(request, code, response.message, now: now) { return }
            failed(request.purpose, .error(code), now: now)
        case .timeout:
            failed(request.purpose, .timeout, now: now)
        }
    }

    /// Sends `request` again when the error asks for it (RFC 8489 §9.2.5, RFC 8656 §7.2):
    /// 401 to an unauthenticated request, 438 with a fresh nonce (three times at most),
    /// 300 to an Allocate with ALTERNATE-SERVER.
    private mutating func retried(_ request: Request, _ code: STUNErrorCode, _ response: STUNMessage, now: Instant) -> Bool {
        let realm = response.first { if case .realm(let r) = $0 { r } else { nil } }
        let nonce = response.first { if case .nonce(let n) = $0 { n } else { nil } }
        var nonceRetries = request.nonceRetries
        switch code.code {
        case 401 where !request.authenticated, 438 where request.nonceRetries < 3:
            guard let nonce, let realm = realm ?? credentials?.realm else { return false }
            if code.code == 438 { nonceRetries += 1 }
            if let current = credentials, current.realm == realm {
                credentials?.nonce = nonce
            } else {
                guard let key = STUNKey.longTerm(username: configuration.username, realm: realm, password: configuration.password)
                else { return false }
                credentials = Credentials(realm: realm, nonce: nonce, authenticator: STUNAuthenticator(key: key))
            }
        case 300:
            guard case .allocate = request.purpose, redirects < configuration.maxRedirects,
                  let alternate = response.first({ if case .alternateServer(let e) = $0 { e } else { nil } }) else { return false }
            redirects += 1
            redirectStream(now: now)
            configuration.server = alternate
            credentials = nil
        default:
            return false
        }
        start(request.purpose, request.attributes, now: now, nonceRetries: nonceRetries)
        return true
    }

    private mutating func succeeded(_ purpose: Purpose, _ response: STUNMessage, now: Instant) {
        switch purpose {
        case .allocate:
            guard state == .allocating else { return }
            let relayed = response.attributes.compactMap { if case .xorRelayedAddress(let e) = $0 { e } else { nil } }
            guard !relayed.isEmpty else { return failed(purpose, .badResponse("no XOR-RELAYED-ADDRESS"), now: now) }
            let lifetime = lifetime(of: response)
            var refused: [AddressFamily: STUNErrorCode] = [:]
            for case .addressErrorCode(let family, let error) in response.attributes { refused[family] = error }
            let granted = TURNAllocation(relayed: relayed, mapped: response.mappedAddress, lifetime: lifetime,
                                         refusedFamilies: refused, server: configuration.server)
            allocation = granted
            state = .allocated
            schedule(lifetime, now: now)
            outputs.append(.event(.allocated(granted)))
        case .refresh(let requested):
            if requested == 0 { return close(with: .deallocated) }
            guard state == .allocated else { return }
            refreshPending = false
            let lifetime = lifetime(of: response)
            allocation?.lifetime = lifetime
            schedule(lifetime, now: now)
            outputs.append(.event(.refreshed(lifetime: lifetime)))
        case .permission(let peers):
            guard state == .allocated else { return }
            for peer in peers { permissionInstalled(peer, now: now) }
        case .channelBind(let number, let peer):
            guard state == .allocated, var channel = channels[peer], channel.number == number else { return }
            channel.bound = true
            channel.pending = false
            channel.refreshAt = now + configuration.channelRefreshInterval
            channels[peer] = channel
            outputs.append(.event(.channelBound(peer: peer, channel: number)))
        }
    }

    private mutating func failed(_ purpose: Purpose, _ failure: TURNClientFailure, now: Instant) {
        switch purpose {
        case .allocate:
            guard state == .allocating else { return }
            close(with: .allocationFailed(failure))
        case .refresh(let requested):
            if requested == 0 { return close(with: .deallocated) }
            guard state == .allocated else { return }
            refreshPending = false
            if failure == .error(STUNErrorCode(437)) { return expire() }
            // Try again shortly; the allocation expires if the server stays unreachable.
            refreshAt = min(now + .seconds(5), expires)
        case .permission(let peers):
            guard state == .allocated else { return }
            for peer in peers {
                guard let permission = permissions.removeValue(forKey: peer) else { continue }
                droppedData += permission.queue.count
                outputs.append(.event(.permissionFailed(peer, failure)))
            }
        case .channelBind(let number, let peer):
            guard state == .allocated, channels[peer]?.number == number else { return }
            channels[peer] = nil
            peerOfChannel[number] = nil
            outputs.append(.event(.channelBindFailed(peer: peer, failure)))
        }
    }

    /// Marks `peer`'s permission installed and sends the data that waited for it.
    private mutating func permissionInstalled(_ peer: IPAddress, now: Instant) {
        guard var permission = permissions[peer] else { return }
        let waiting = permission.queue
        permission.installed = true
        permission.pending = false
        permission.queue = []
        permission.refreshAt = now + configuration.permissionRefreshInterval
        permissions[peer] = permission
        outputs.append(.event(.permissionCreated(peer)))
        for item in waiting { send(item.bytes, to: item.peer, now: now) }
    }

    /// LIFETIME of a response; the RFC default (600 s) if the server left it out.
    private func lifetime(of response: STUNMessage) -> Duration {
        let seconds: UInt32 = response.first { if case .lifetime(let s) = $0 { s } else { nil } } ?? 600
        return .seconds(Int64(seconds))
    }

    /// Expiry and refresh time of an allocation granted `lifetime` at `now`.
    private mutating func schedule(_ lifetime: Duration, now: Instant) {
        expires = now + lifetime
        refreshAt = expires - min(configuration.refreshMargin, lifetime / 2)
    }
}
