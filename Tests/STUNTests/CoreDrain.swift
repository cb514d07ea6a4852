import NetTypes

/// Everything a core produced after one input: the driver loop of the tests.
struct Drained<Event> {
    var transmits: [Datagram] = []
    var events: [Event] = []
    var deadline = Instant.distantFuture
}

extension SansIOCore {
    /// Polls until `.timeout`, collecting transmits and events.
    mutating func drain() -> Drained<Event> {
        var result = Drained<Event>()
        while true {
            switch pollOutput() {
            case .transmit(let datagram): result.transmits.append(datagram)
            case .event(let event): result.events.append(event)
            case .timeout(let deadline): result.deadline = deadline; return result
            }
        }
    }
}
