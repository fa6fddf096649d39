import Foundation
import HandoffPersistence
import HandoffRules

/// Which configured channel an alert row goes to now, and where it falls back when it
/// dead-letters: a pure function of the row, the configuration, the target rep's preferences
/// (`reps[].alerts` in the playbook, ``AlertPreferences``) and the clock.
///
/// - Without preferences: `alert_channels[target]`, else `default_channel`; no fallback.
/// - With preferences: the first of the rep's `channels` that may take the alert now: a push
///   channel (`ntfy`) only for the priorities in `push` (a new high-priority hand-off is `high`,
///   every other alert `standard`) and outside the quiet hours (rep's time zone). When only a
///   push channel could take it and it is quiet, the row is held until the quiet hours end.
/// - A fallback row (id ending `/via-<channel>`, raised when the row before it dead-lettered)
///   goes to that channel; its own fallback is the next eligible channel after it in the list.
enum AlertChannelChoice: Equatable {
    case send(key: String?, channel: AlertChannel, fallback: String?)
    /// Quiet hours: try again at `until`.
    case hold(until: Date, reason: String)
    /// No channel can ever take it as configured (recorded as dead letter, fix and replay).
    case none(reason: String)

    static let viaMarker = "/via-"

    /// The channel key a fallback row names, if it is one.
    static func via(_ alertID: String) -> String? {
        guard let range = alertID.range(of: viaMarker, options: .backwards) else { return nil }
        let key = String(alertID[range.upperBound...])
        return key.isEmpty || key.contains("/") ? nil : key
    }

    /// The id of the row that falls back from `alertID` to channel `key`.
    static func fallbackID(_ alertID: String, to key: String) -> String {
        var base = alertID
        if via(alertID) != nil, let range = alertID.range(of: viaMarker, options: .backwards) { base = String(alertID[..<range.lowerBound]) }
        return base + viaMarker + key
    }

    static func isPush(_ channel: AlertChannel) -> Bool { channel.kind == .ntfy || channel.kind == .webpush }

    static func priority(kind: String) -> HandoffPriority { kind == "new-high-priority" ? .high : .standard }

    static func decide(
        _ alert: AlertRecord, channels: [String: AlertChannel], defaultChannel: AlertChannel?, rep: Rep?, at instant: Date
    ) -> AlertChannelChoice {
        let via = via(alert.id)
        guard let preferences = rep?.alerts, let rep else {
            if let via, let channel = channels[via] { return .send(key: via, channel: channel, fallback: nil) }
            if let channel = channels[alert.target] { return .send(key: alert.target, channel: channel, fallback: nil) }
            if let defaultChannel { return .send(key: nil, channel: defaultChannel, fallback: nil) }
            return .none(reason: "no alert channel for '\(alert.target)': add it under alert_channels or set default_channel")
        }
        let priority = priority(kind: alert.kind)
        let quiet = preferences.isQuiet(at: instant, in: rep.calendar.timeZone)
        func eligible(_ key: String) -> Bool {
            guard let channel = channels[key] else { return false }
            guard isPush(channel) else { return true }
            return (preferences.push?.contains(priority) ?? true) && !quiet
        }
        let chain = preferences.channels
        let start: Int
        if let via, let index = chain.firstIndex(of: via) {
            start = index
        } else if let index = chain.firstIndex(where: eligible) {
            start = index
        } else {
            let pushAllowed = chain.contains { key in channels[key].map(isPush) == true && (preferences.push?.contains(priority) ?? true) }
            if quiet, pushAllowed, let end = preferences.quietEnd(after: instant, in: rep.calendar.timeZone) {
                return .hold(until: end, reason: "held: quiet hours of rep '\(rep.id)' (reps[].alerts.quiet_hours)")
            }
            return .none(
                reason:
                    "none of rep '\(rep.id)''s alert channels (\(chain.joined(separator: ", "))) takes a \(priority.rawValue) alert: add a channel that is not a push, or the priority to reps[].alerts.push"
            )
        }
        let key = chain[start]
        guard let channel = channels[key] else { return .none(reason: "alert channel '\(key)' of rep '\(rep.id)' is not configured") }
        if isPush(channel), quiet, let end = preferences.quietEnd(after: instant, in: rep.calendar.timeZone) {
            return .hold(until: end, reason: "held: quiet hours of rep '\(rep.id)' (reps[].alerts.quiet_hours)")
        }
        let fallback = chain[(start + 1)...].first(where: eligible)
        return .send(key: key, channel: channel, fallback: fallback)
    }
}
