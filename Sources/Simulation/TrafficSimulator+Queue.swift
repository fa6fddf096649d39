import Foundation
import HandoffFlow

/// One event waiting to be delivered by the simulator.
struct PendingEvent {
    /// Delivery instant: the event's own time, or for a retry the time it is sent again.
    let at: Date
    /// Tie-break: the order it was scheduled in.
    let seq: Int
    let event: InboundEvent
    /// A second delivery of an event already applied.
    let retry: Bool
    /// The sales case it belongs to (nil for marketing events and retries).
    let caseID: Int?
}

/// A binary min-heap of pending events by `(at, seq)`.
struct PendingQueue {
    private var heap: [PendingEvent] = []
    private var nextSeq = 0

    var isEmpty: Bool { heap.isEmpty }
    var first: PendingEvent? { heap.first }

    mutating func push(at: Date, event: InboundEvent, retry: Bool = false, caseID: Int? = nil) {
        heap.append(PendingEvent(at: at, seq: nextSeq, event: event, retry: retry, caseID: caseID))
        nextSeq += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> PendingEvent? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && Self.before(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && Self.before(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }

    static func before(_ a: PendingEvent, _ b: PendingEvent) -> Bool {
        (a.at, a.seq) < (b.at, b.seq)
    }
}
