import Foundation
import ScoringModelFormat

/// How a rep wants alerts (`reps[].alerts` in the playbook): which of the service's alert
/// channels, in order (each tried after the one before dead-letters), when push channels stay
/// silent (quiet hours, in the rep's time zone), and which hand-off priorities may push at all.
///
/// ```yaml
/// alerts:
///   channels: [ana-phone, ana-mail]        # keys of the service's alert_channels
///   quiet_hours: {from: "21:00", to: "07:00"}
///   push: [high]                           # default: every priority
/// ```
/// The channel names are checked against the service's configuration when `baton serve` starts.
package struct AlertPreferences: Sendable, Hashable {
    /// Keys of the service's `alert_channels`, in the order they are tried.
    package var channels: [String]
    /// Minutes after local midnight: push channels are skipped from `from` (inclusive) to `to`
    /// (exclusive); `from` > `to` spans midnight.
    package var quietHours: (from: Int, to: Int)?
    /// The priorities that may go to a push channel; nil is every one.
    package var push: Set<HandoffPriority>?

    package init(channels: [String], quietHours: (from: Int, to: Int)? = nil, push: Set<HandoffPriority>? = nil) {
        self.channels = channels
        self.quietHours = quietHours
        self.push = push
    }

    package static func == (a: Self, b: Self) -> Bool {
        a.channels == b.channels && a.quietHours?.from == b.quietHours?.from && a.quietHours?.to == b.quietHours?.to && a.push == b.push
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(channels)
        hasher.combine(quietHours?.from)
        hasher.combine(quietHours?.to)
        hasher.combine(push)
    }

    /// Whether `instant` falls in the quiet hours, read in `timeZone`.
    package func isQuiet(at instant: Date, in timeZone: TimeZone) -> Bool {
        guard let quiet = quietHours else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: instant)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        return quiet.from < quiet.to ? (minute >= quiet.from && minute < quiet.to) : (minute >= quiet.from || minute < quiet.to)
    }

    /// When the quiet hours around `instant` end (the next local `to`), or nil when not quiet.
    package func quietEnd(after instant: Date, in timeZone: TimeZone) -> Date? {
        guard let quiet = quietHours, isQuiet(at: instant, in: timeZone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.nextDate(
            after: instant, matching: DateComponents(hour: quiet.to / 60, minute: quiet.to % 60), matchingPolicy: .nextTime)
    }

    static let keys = ["channels", "quiet_hours", "push"]
    static let quietKeys = ["from", "to"]

    static func read(_ entry: YAMLEntry, reader: PlaybookReader) throws(PlaybookError) -> AlertPreferences {
        let fields = try reader.entries(entry, allowed: keys)
        guard let channelsEntry = reader.given(fields, "channels") else {
            throw reader.missing("channels", in: entry, hint: "List the alert_channels keys to try in order, e.g. `channels: [ana-phone, ana-mail]`.")
        }
        let channels = try reader.texts(channelsEntry)
        guard !channels.isEmpty else { throw reader.invalid(channelsEntry, "no channel; list at least one alert_channels key") }
        guard Set(channels).count == channels.count else { throw reader.invalid(channelsEntry, "a channel is listed twice; list each once") }
        var quiet: (Int, Int)?
        if let quietEntry = reader.given(fields, "quiet_hours") {
            let times = try reader.entries(quietEntry, allowed: quietKeys)
            guard let fromEntry = times["from"], let toEntry = times["to"] else {
                throw reader.missing(
                    times["from"] == nil ? "from" : "to", in: quietEntry, hint: "Give both, e.g. `{from: \"21:00\", to: \"07:00\"}`.")
            }
            let fromText = try reader.text(fromEntry), toText = try reader.text(toEntry)
            guard let from = WorkingHours.minutes(fromText), from < 1440 else {
                throw reader.invalid(fromEntry, "`\(fromText)` is not a time of day; write HH:MM in quotes, e.g. \"21:00\"")
            }
            guard let to = WorkingHours.minutes(toText), to < 1440 else {
                throw reader.invalid(toEntry, "`\(toText)` is not a time of day; write HH:MM in quotes, e.g. \"07:00\"")
            }
            guard from != to else { throw reader.invalid(toEntry, "quiet hours from \(fromText) to \(toText) are empty; give two different times") }
            quiet = (from, to)
        }
        var push: Set<HandoffPriority>?
        if let pushEntry = reader.given(fields, "push") {
            var set = Set<HandoffPriority>()
            for name in try reader.texts(pushEntry) {
                guard let priority = HandoffPriority(rawValue: name) else {
                    throw reader.invalid(pushEntry, "`\(name)` is not a priority; use high or standard")
                }
                set.insert(priority)
            }
            push = set
        }
        return AlertPreferences(channels: channels, quietHours: quiet, push: push)
    }
}
