import BatonSupport
import Conversations
import Foundation
import HandoffPersistence
import ScoringModelFormat

/// Tracker mentions as engagement (issue 18): each captured interaction that mentions a tracker
/// becomes one `engagement` event of type `<tracker>_mention` at the interaction's time (its
/// capture time when the source gives none). Through the engine it is journaled in the lead's
/// timeline and rescores the lead like any engagement, so a model column named after it counts
/// it by ``EngagementDecay``'s name rule: `competitors_mention` feeds `competitor_mentions`
/// (a plain count, or decayed with `half_life_days`), point in time like every engagement (an
/// interaction counts from its own time, never before it), and the training export sees the
/// same counts the scorer saw. One event per interaction and tracker, however many times the
/// phrase was said: "mentioned in two conversations", not "said eleven times in one call".
///
/// The event id is `mention-` and 32 hex digits of SHA-256 of the lead, the interaction's content
/// hash and the tracker, so capturing the same interaction again (or importing it from another
/// file) applies nothing twice.
package enum TrackerMentions {
    /// The engagement type of a mention of `tracker`.
    package static func eventType(tracker: String) -> String { tracker + "_mention" }

    /// The mention events of one interaction's records (see the type's discussion), in tracker order.
    package static func events(_ record: InteractionRecord, hits: [TrackerHitRecord]) -> [InboundEvent] {
        var phrases: [String: [String]] = [:]
        for hit in hits where !(phrases[hit.tracker]?.contains(hit.phrase) ?? false) { phrases[hit.tracker, default: []].append(hit.phrase) }
        let at = record.occurredAt ?? record.recordedAt
        return phrases.keys.sorted().map { tracker in
            let digest = Checksum.hash(Array("\(record.leadID)\u{0}\(record.contentSHA256)\u{0}\(tracker)".utf8)).hex
            let label = ([record.kind] + (record.subject.map { ["\"\($0)\""] } ?? [])).joined(separator: " ")
            let said = phrases[tracker, default: []].joined(separator: ", ")
            return InboundEvent(
                eventID: "mention-" + String(digest.prefix(32)), kind: .engagement, occurredAt: at, leadID: record.leadID,
                body: .engagement(.init(eventType: eventType(tracker: tracker), content: String("\(label): \(said)".prefix(300)))))
        }
    }
}
