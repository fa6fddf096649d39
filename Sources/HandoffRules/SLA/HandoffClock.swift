import Foundation

/// The source of "now" for the hand-off flow. The SLA machines and the router never read the
/// system time themselves: they take an instant, and callers get it from a clock, so tests and
/// replays run on simulated time.
package protocol HandoffClock: Sendable {
    /// The current instant.
    var now: Date { get }
}

/// The wall clock (`Date()`), for production.
package struct SystemClock: HandoffClock {
    package init() {}
    package var now: Date { Date() }
}

/// A clock that moves only when told to, for tests and event-log replays.
///
/// Shared by reference so a test can hand it to a component and advance it afterwards; a lock
/// makes it safe to read from several tasks.
package final class ManualClock: HandoffClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    /// A clock that reads `start` until advanced.
    package init(_ start: Date) { current = start }

    package var now: Date { lock.withLock { current } }

    /// Moves the clock forward by `seconds` (≥ 0: time never runs backwards).
    package func advance(by seconds: TimeInterval) {
        precondition(seconds >= 0 && seconds.isFinite, "ManualClock only moves forward by a finite amount")
        lock.withLock { current += seconds }
    }

    /// Sets the clock to `instant`, which must not be earlier than the current reading.
    package func set(to instant: Date) {
        lock.withLock {
            precondition(instant >= current, "ManualClock only moves forward")
            current = instant
        }
    }
}
