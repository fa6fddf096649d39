import Foundation
import ScoringModelFormat

/// Why a hand-off ended without (or before) an opportunity, and where the lead goes next.
package struct DispositionCode: Sendable, Hashable {
    /// Where a dispositioned lead goes.
    package enum Destination: String, Sendable, Hashable, Codable {
        /// Back to marketing nurture, possibly with a re-engage date.
        case nurture
        /// Out of the funnel (not a buyer).
        case disqualified
    }

    /// Snake-case code, e.g. `bad_timing`.
    package let code: String
    /// Plain words for reports.
    package let label: String
    package let destination: Destination
    /// Calendar days after the disposition until marketing re-engages (`nil`: no date).
    package let reEngageAfterDays: Int?
    /// Whether the SLA's minimum contact attempts must be made first (always true for `unresponsive`).
    package let requiresMinimumAttempts: Bool
    /// One of the five standard codes.
    package let isStandard: Bool

    package init(
        code: String, label: String, destination: Destination, reEngageAfterDays: Int? = nil,
        requiresMinimumAttempts: Bool = false, isStandard: Bool = false
    ) {
        precondition(reEngageAfterDays.map { $0 >= 0 } ?? true, "re-engage days must be ≥ 0")
        self.code = code
        self.label = label
        self.destination = destination
        self.reEngageAfterDays = reEngageAfterDays
        self.requiresMinimumAttempts = requiresMinimumAttempts
        self.isStandard = isStandard
    }

    /// The standard codes and their default recycle rules.
    package static let standard: [DispositionCode] = [
        DispositionCode(code: "wrong_fit", label: "Wrong fit", destination: .disqualified, isStandard: true),
        DispositionCode(code: "no_budget", label: "No budget", destination: .nurture, reEngageAfterDays: 180, isStandard: true),
        DispositionCode(code: "bad_timing", label: "Bad timing", destination: .nurture, reEngageAfterDays: 90, isStandard: true),
        DispositionCode(
            code: "competitor_chosen", label: "Competitor chosen", destination: .nurture, reEngageAfterDays: 365,
            isStandard: true),
        DispositionCode(
            code: "unresponsive", label: "Unresponsive", destination: .nurture, reEngageAfterDays: 60,
            requiresMinimumAttempts: true, isStandard: true),
    ]
}

/// The result of a valid disposition: the lead's next stop and, for nurture, when marketing
/// should pick it up again.
package struct DispositionOutcome: Sendable, Hashable, Codable {
    package let code: String
    package let destination: DispositionCode.Destination
    /// When the disposition was recorded.
    package let at: Date
    /// The rep's local date `reEngageAfterDays` calendar days after the disposition.
    package let reEngageOn: LocalDate?
    /// Contact attempts made before the disposition.
    package let attempts: Int
}

/// The playbook's `dispositions:` section: the standard codes (whose recycle rules may be
/// changed) plus custom codes.
///
/// ```yaml
/// dispositions:
///   codes:
///     bad_timing: {to: nurture, re_engage_after_days: 120}      # changes a standard rule
///     student: {label: "Student, not a buyer", to: disqualified} # a custom code
///     gatekeeper_block: {to: nurture, re_engage_after_days: 30, requires_minimum_attempts: true}
/// ```
package struct DispositionPolicy: Sendable, Hashable {
    /// All valid codes: standard ones first (in their usual order), then custom ones by name.
    package let codes: [DispositionCode]

    /// Standard codes with the default rules, plus `custom` (codes must not repeat).
    package init(overrides: [DispositionCode] = []) {
        var result = DispositionCode.standard
        for code in overrides {
            if let i = result.firstIndex(where: { $0.code == code.code }) { result[i] = code } else { result.append(code) }
        }
        codes = result
    }

    /// The code called `code`, if valid.
    package func code(_ code: String) -> DispositionCode? { codes.first { $0.code == code } }

    /// Checks a disposition before it is recorded: the code must exist, and codes that need the
    /// minimum attempts (always `unresponsive`) need `attemptsMade ≥ minimumAttempts`.
    package func validate(code: String, attemptsMade: Int, minimumAttempts: Int) throws(DispositionError) -> DispositionCode {
        guard let found = self.code(code) else { throw .unknownCode(code, valid: codes.map(\.code)) }
        if found.requiresMinimumAttempts && attemptsMade < minimumAttempts {
            throw .tooFewAttempts(code: code, made: attemptsMade, required: minimumAttempts)
        }
        return found
    }

    /// Validates and applies the recycle rule. The re-engage date is counted in calendar days
    /// on the local date in `timeZone` (the rep's), so a clock change cannot shift it.
    package func outcome(
        code: String, attemptsMade: Int, minimumAttempts: Int, at instant: Date,
        timeZone: TimeZone
    ) throws(DispositionError) -> DispositionOutcome {
        let found = try validate(code: code, attemptsMade: attemptsMade, minimumAttempts: minimumAttempts)
        let reEngage =
            found.destination == .nurture
            ? found.reEngageAfterDays.map { LocalDate(instant, in: timeZone).adding(days: $0) } : nil
        return DispositionOutcome(
            code: found.code, destination: found.destination, at: instant, reEngageOn: reEngage,
            attempts: attemptsMade)
    }
}

extension DispositionPolicy {
    /// The keys of the `dispositions:` section.
    static let keys = ["codes"]

    /// Reads the `dispositions:` section: `codes:` overrides standard codes or adds custom ones.
    static func read(_ entry: YAMLEntry, reader: PlaybookReader) throws(PlaybookError) -> DispositionPolicy {
        let fields = try reader.entries(entry, allowed: keys)
        var overrides: [DispositionCode] = []
        if let codesEntry = reader.given(fields, "codes") {
            for (name, codeEntry) in try reader.orderedEntries(codesEntry, allowed: nil).sorted(by: { $0.name < $1.name }) {
                guard DispositionPolicy.isValidCode(name) else {
                    throw reader.invalid(
                        codeEntry, "`\(name)` is not a valid code; use lower-case letters, digits and underscores, starting with a letter")
                }
                overrides.append(try DispositionCode.read(codeEntry, code: name, reader: reader))
            }
        }
        return DispositionPolicy(overrides: overrides)
    }

    static func isValidCode(_ code: String) -> Bool {
        guard let first = code.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return code.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}

extension DispositionCode {
    /// The keys of one entry of `dispositions.codes`.
    static let keys = ["label", "to", "re_engage_after_days", "requires_minimum_attempts"]

    /// Reads one entry of `dispositions.codes`; a standard code keeps its defaults for keys not given.
    static func read(_ entry: YAMLEntry, code name: String, reader: PlaybookReader) throws(PlaybookError) -> DispositionCode {
        let fields = entry.isNull ? [:] : try reader.entries(entry, allowed: keys)
        let standard = DispositionCode.standard.first { $0.code == name }
        let label = try reader.given(fields, "label").map(reader.text) ?? standard?.label ?? name.replacingOccurrences(of: "_", with: " ")
        let destination: Destination
        if let toEntry = reader.given(fields, "to") {
            let text = try reader.text(toEntry)
            guard let value = Destination(rawValue: text) else {
                throw reader.invalid(toEntry, "`\(text)` is not a destination; use `nurture` or `disqualified`")
            }
            destination = value
        } else if let standard {
            destination = standard.destination
        } else {
            throw reader.invalid(entry, "custom code `\(name)` needs `to: nurture` or `to: disqualified`")
        }
        let daysEntry = reader.given(fields, "re_engage_after_days")
        let days = try daysEntry.map(reader.wholeNumber) ?? (destination == .nurture ? standard?.reEngageAfterDays : nil)
        if let daysEntry, let days {
            guard days >= 0 else { throw reader.invalid(daysEntry, "re_engage_after_days \(days) must be ≥ 0 days") }
            guard destination != .disqualified else {
                throw reader.invalid(daysEntry, "a disqualified lead is not re-engaged; remove re_engage_after_days or use `to: nurture`")
            }
        }
        let requiresEntry = reader.given(fields, "requires_minimum_attempts")
        let requires = try requiresEntry.map(reader.flag) ?? standard?.requiresMinimumAttempts ?? false
        if name == "unresponsive" && !requires, let requiresEntry {
            throw reader.invalid(requiresEntry, "`unresponsive` always requires the minimum contact attempts; remove this line")
        }
        return DispositionCode(
            code: name, label: label, destination: destination, reEngageAfterDays: days,
            requiresMinimumAttempts: requires, isStandard: standard != nil)
    }
}
