import NetTypes
import Testing
@testable import Simulator

@Suite struct EventLoopTests {
    final class Log: EventHandler {
        var seen: [(Int64, Int64)] = []
        let simulation: Simulation
        init(_ simulation: Simulation) { self.simulation = simulation }
        override func handleEvent(kind: UInt32, arg: Int64) { seen.append((simulation.now.nanoseconds, arg)) }
    }

    @Test func heapPopsInTimeOrderAndFIFOAmongEqualTimes() {
        var queue = EventQueue()
        defer { queue.deallocate() }
        var random = Xoshiro256(seed: 3)
        var pushed: [(Int64, UInt64)] = []
        for seq in 0..<5000 {   // beyond the initial capacity: growth is exercised
            let time = Int64(random.next() % 50)   // many ties
            queue.push(ScheduledEvent(time: time, seq: UInt64(seq), target: 0, kind: 0, arg: Int64(seq)))
            pushed.append((time, UInt64(seq)))
        }
        var popped: [(Int64, UInt64)] = []
        while let e = queue.pop() { popped.append((e.time, e.seq)) }
        let expected = pushed.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        #expect(popped.map(\.0) == expected.map(\.0))
        #expect(popped.map(\.1) == expected.map(\.1))
    }

    /// Handlers that log their events and schedule more at random times (many ties,
    /// often earlier than what they scheduled before), and cancel some.
    final class Scripted: EventHandler {
        final class World {
            var log: [(time: Int64, handler: Int32, arg: Int64)] = []
            var random = Xoshiro256(seed: 11)
            var handlers: [Scripted] = []
            var ids: [EventID] = []
            var next: Int64 = 0
        }
        let simulation: Simulation
        let world: World
        let lanes: Bool
        var id: Int32 = -1
        init(_ simulation: Simulation, world: World, lanes: Bool) {
            self.simulation = simulation
            self.world = world
            self.lanes = lanes
            super.init()
            id = simulation.register(self)
            if lanes && id % 2 == 0 { simulation.addLane(for: id) }
        }
        func schedule(after delay: Int64) {
            world.next += 1
            let time = simulation.now + .nanoseconds(delay)
            // Handlers with even ids have a lane when `lanes` is on; the others schedule
            // in order too, which without a lane is the plain heap.
            let event = lanes
                ? simulation.handle.scheduleInOrder(at: time, target: id, arg: world.next)
                : simulation.handle.schedule(at: time, target: id, arg: world.next)
            world.ids.append(event)
        }
        override func handleEvent(kind: UInt32, arg: Int64) {
            world.log.append((simulation.now.nanoseconds, id, arg))
            for _ in 0..<Int(world.random.next() % 3) {
                let target = world.handlers[Int(world.random.next() % UInt64(world.handlers.count))]
                target.schedule(after: Int64(world.random.next() % 20))
            }
            if world.random.next() % 7 == 0, !world.ids.isEmpty {
                simulation.cancel(world.ids[Int(world.random.next() % UInt64(world.ids.count))])
            }
        }
        override func eventCancelled(kind: UInt32, arg: Int64) { world.log.append((-1, id, arg)) }
    }

    @Test func lanesKeepTheOrderOfTheHeap() {
        func run(lanes: Bool) -> ([(time: Int64, handler: Int32, arg: Int64)], [Int]) {
            let simulation = Simulation(seed: 1)
            let world = Scripted.World()
            world.handlers = (0..<6).map { _ in Scripted(simulation, world: world, lanes: lanes) }
            for handler in world.handlers { for _ in 0..<40 { handler.schedule(after: Int64(world.random.next() % 50)) } }
            var pending: [Int] = []
            while simulation.runUntilIdle(maxEvents: 500) == false && world.log.count < 20_000 {
                pending.append(simulation.pendingEvents)
            }
            return (world.log, pending)
        }
        let (heap, heapPending) = run(lanes: false)
        let (laned, lanedPending) = run(lanes: true)
        #expect(heap.count > 5000)
        #expect(laned.map(\.time) == heap.map(\.time))
        #expect(laned.map(\.handler) == heap.map(\.handler))
        #expect(laned.map(\.arg) == heap.map(\.arg))
        #expect(lanedPending == heapPending)
    }

    @Test func eventPayloadSurvivesPacking() {
        let e = ScheduledEvent(time: 5, seq: 123_456_789, target: 0xABCDE, kind: 200, arg: -42)
        #expect(e.seq == 123_456_789)
        #expect(e.target == 0xABCDE)
        #expect(e.kind == 200)
        #expect(e.arg == -42)
        let big = ScheduledEvent(time: 5, seq: 1, target: 1, kind: 1, arg: (1 << 54) + 7)
        #expect(big.arg == (1 << 54) + 7)
    }

    @Test func runUntilStopsAtTheLimitAndAdvancesTheClock() {
        let simulation = Simulation(seed: 1)
        let log = Log(simulation)
        let id = simulation.register(log)
        for (t, arg) in [(30, 3), (10, 1), (20, 2), (20, 22), (40, 4)] {
            simulation.schedule(at: Instant(nanoseconds: Int64(t)), target: id, arg: Int64(arg))
        }
        simulation.run(until: Instant(nanoseconds: 25))
        #expect(log.seen.map(\.1) == [1, 2, 22])
        #expect(simulation.now == Instant(nanoseconds: 25))
        simulation.runUntilIdle()
        #expect(log.seen.map(\.1) == [1, 2, 22, 3, 4])
        #expect(simulation.eventsProcessed == 5)
        // The past cannot be scheduled: an event for t=1 now runs at now.
        simulation.schedule(at: Instant(nanoseconds: 1), target: id, arg: 9)
        simulation.runUntilIdle()
        #expect(log.seen.last! == (40, 9))
    }

    @Test func cancelledEventsDoNotRun() {
        let simulation = Simulation(seed: 1)
        var ran: [String] = []
        let a = simulation.schedule(at: .zero + .milliseconds(1)) { _ in ran.append("a") }
        simulation.schedule(at: .zero + .milliseconds(2)) { _ in ran.append("b") }
        let c = simulation.schedule(at: .zero + .milliseconds(3)) { _ in ran.append("c") }
        simulation.cancel(a)
        simulation.cancel(c)
        simulation.runUntilIdle()
        #expect(ran == ["b"])
        // Slots of cancelled closures are reused, not leaked.
        simulation.schedule(after: .milliseconds(1)) { _ in ran.append("d") }
        simulation.runUntilIdle()
        #expect(ran == ["b", "d"])
    }

    @Test func timerRearmReplacesTheDeadline() {
        let simulation = Simulation(seed: 1)
        var fired: [Instant] = []
        let timer = SimTimer(simulation: simulation) { fired.append($0) }
        timer.arm(at: .zero + .milliseconds(10))
        timer.arm(at: .zero + .milliseconds(5))
        simulation.runUntilIdle()
        #expect(fired == [.zero + .milliseconds(5)])
        timer.arm(at: .zero + .milliseconds(20))
        timer.disarm()
        simulation.runUntilIdle()
        #expect(fired.count == 1)
        timer.arm(at: .zero + .milliseconds(30))
        timer.arm(at: .distantFuture)
        simulation.runUntilIdle()
        #expect(fired.count == 1 && timer.deadline == nil)
    }
}
