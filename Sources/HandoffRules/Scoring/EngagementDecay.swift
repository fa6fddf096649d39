import Foundation

/// Time decay of engagement: an old webinar counts less than yesterday's pricing-page visit.
///
/// A numeric engagement feature whose spec carries `half_life_days: h` is computed from the
/// lead's events when the lead has any (a lead without events, such as a CSV row, uses its field
/// value as given). At scoring time `t`, each event of a matching type that happened at `tₑ ≤ t`
/// contributes `0.5^(ageₑ / h)` with `ageₑ = (t − tₑ) / 86 400 s` in days:
///
///     value = Σₑ 0.5^((t − tₑ) / h)
///
/// so an event today counts 1, one `h` days old counts ½, one `2h` days old ¼. The feature's
/// transform (e.g. `log1p`) applies to this value, exactly as to a count read from a CSV.
/// Events after `t` are not yet known at `t` and do not count.
///
/// **Mapping rule.** An event type feeds the feature whose column name is equal after both are
/// normalised: lower-cased, `-` and spaces read as `_`, and a trailing `s` dropped from every
/// `_`-separated word. So `demo_request`, `Demo Request` and `demo-requests` all feed
/// `demo_requests`; `webinar_attended` feeds `webinars_attended`; `pricing_page_view` feeds
/// `pricing_page_views`.
public enum EngagementDecay {
    /// Seconds in one day of age.
    public static let secondsPerDay = 86_400.0

    /// The weight of one event `ageDays` old under half-life `halfLifeDays`: `0.5^(age / h)`, in (0, 1].
    /// - Precondition: `halfLifeDays > 0`, `ageDays ≥ 0`.
    public static func weight(ageDays: Double, halfLifeDays: Double) -> Double {
        precondition(halfLifeDays > 0 && ageDays >= 0, "half-life must be positive and age non-negative")
        return pow(0.5, ageDays / halfLifeDays)
    }

    /// The name both event types and feature columns are compared by (see the mapping rule).
    public static func normalizedName(_ name: String) -> String {
        name.utf8.allSatisfy({ $0 < 0x80 }) ? asciiNormalizedName(name) : unicodeNormalizedName(name)
    }

    /// ``normalizedName(_:)`` for any text, by characters.
    static func unicodeNormalizedName(_ name: String) -> String {
        let lowered = name.lowercased().map { $0 == "-" || $0 == " " ? "_" : $0 }
        return String(lowered).split(separator: "_", omittingEmptySubsequences: true)
            .map { word in word.count > 1 && word.hasSuffix("s") ? String(word.dropLast()) : String(word) }
            .joined(separator: "_")
    }

    /// ``normalizedName(_:)`` for ASCII text, on its bytes: the same words and the same result
    /// (ASCII lower-casing is byte-wise; the only multi-byte ASCII character, "\r\n", cannot end
    /// in `s`), without the `Character` and `String` values per word. A replay normalises every
    /// event type for every feature of every score; this was 5 % of it.
    static func asciiNormalizedName(_ name: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        var word: [UInt8] = []
        func flush() {
            guard !word.isEmpty else { return }
            if !out.isEmpty { out.append(0x5F) }
            out += word.count > 1 && word.last == 0x73 ? word.dropLast() : word[...]
            word.removeAll(keepingCapacity: true)
        }
        for byte in name.utf8 {
            switch byte {
            case 0x20, 0x2D, 0x5F: flush()
            case 0x41...0x5A: word.append(byte + 0x20)
            default: word.append(byte)
            }
        }
        flush()
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether an event of type `eventType` feeds the feature `column`.
    public static func feeds(eventType: String, column: String) -> Bool {
        normalizedName(eventType) == normalizedName(column)
    }

    /// The events that feed `column` and happened no later than `time`, oldest first (ties keep input order).
    public static func matchingEvents(_ events: [EngagementEvent], column: String, at time: Date) -> [EngagementEvent] {
        let key = normalizedName(column)
        return events.enumerated()
            .filter { $0.element.occurredAt <= time && normalizedName($0.element.type) == key }
            .sorted { ($0.element.occurredAt, $0.offset) < ($1.element.occurredAt, $1.offset) }
            .map(\.element)
    }

    /// `Σ 0.5^(age / h)` over the events feeding `column` up to `time`, summed oldest first.
    public static func decayedValue(events: [EngagementEvent], column: String, halfLifeDays: Double, at time: Date) -> Double {
        matchingEvents(events, column: column, at: time).reduce(0.0) { sum, event in
            sum + weight(ageDays: time.timeIntervalSince(event.occurredAt) / secondsPerDay, halfLifeDays: halfLifeDays)
        }
    }
}
