import NetTypes
import Records
import Simulator

/// The timestamped events of one run, in order: what sessions, servers and the timeline
/// report while the simulation runs.
public final class EventLog {
    private unowned let simulation: Simulation
    public private(set) var records: [TimelineRecord] = []

    init(simulation: Simulation) {
        self.simulation = simulation
    }

    func add(session: String?, source: String, kind: String, _ detail: String) {
        records.append(TimelineRecord(time: simulation.now - .zero, session: session, source: source, kind: kind, detail: detail))
    }
}
