import NetTypes

/// A local endpoint the driver has bound a socket on, for one component: the base of a
/// host candidate. Datagrams the agent emits leave from these (or go through a relay).
public struct ICEHostBase: Hashable, Sendable {
    public var endpoint: Endpoint
    public var component: Int

    public init(endpoint: Endpoint, component: Int) {
        self.endpoint = endpoint
        self.component = component
    }
}
