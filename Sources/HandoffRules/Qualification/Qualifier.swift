import BatonSupport
import Foundation
import ScoringModelFormat

/// Applies a playbook's qualification rules to scored leads (one at a time or a whole table).
///
/// Field values: the lead's field, trimmed, an empty value counting as missing. For a categorical
/// model feature the value is recoded with the model's map first; for a numeric model feature it is
/// read as a number. A field the lead lacks but its events feed (see ``EngagementDecay``'s mapping
/// rule) is the number of those events up to the scoring time (not decayed), so
/// `{field: demo_requests, at_least: 1}` means "requested a demo" for CSV rows and event streams alike.
/// Once events feed a field they win over the lead's own value (a form's `pricing_page_views: 0`
/// no longer hides four pricing-page visits, issue 21 item 3); `value: decayed` reads instead the
/// decayed sum `Σ 0.5^(age/h)` the score used for a feature with `half_life_days`. The evidence
/// names the number it shows (`count of events`, `decayed, half-life 7 days`, `field`).
/// A missing value fails every test except `present: false`.
package struct Qualifier: Sendable {
    package let playbook: QualificationPlaybook
    /// The playbook file, named in evidence.
    package let file: String
    let encodings: [String: FeatureEncoding]
    /// The scorer's points scale, recorded in every decision's evidence.
    let pointsScale: PointsScaling
    /// `half_life_days` of the model's decayed features, by column.
    let halfLives: [String: Double]

    /// Checks the playbook against the model and the lead schema.
    /// - Parameter knownFields: lead fields besides the model's columns (e.g. a CSV header). The
    ///   spec's id/time columns and ``HandoffPackage/documentedFields`` are always known.
    /// - Throws: ``PlaybookError/missingSection(file:section:)``, ``PlaybookError/unknownField(file:line:field:suggestion:)``
    ///   naming the field and its line, ``PlaybookError/unknownLevel(file:line:field:value:suggestion:levels:)``.
    package init(playbook: Playbook, scorer: LeadScorer, knownFields: Set<String> = []) throws(PlaybookError) {
        guard let qualification = playbook.qualification else { throw .missingSection(file: playbook.file, section: "qualification") }
        let weights = scorer.weights
        var known = knownFields.union(weights.encodings.map(\.column)).union(HandoffPackage.documentedFields)
        for column in [weights.spec.id, weights.spec.time].compactMap({ $0 }) { known.insert(column) }
        let encodings = Dictionary(weights.encodings.map { ($0.column, $0) }, uniquingKeysWith: { a, _ in a })
        for condition in qualification.allConditions {
            guard case .field(let name) = condition.subject else { continue }
            guard known.contains(name) else {
                throw .unknownField(
                    file: playbook.file, line: condition.line, field: name,
                    suggestion: NearestName.closest(to: name, among: known.sorted()))
            }
            if let encoding = encodings[name], encoding.type == .categorical {
                for value in condition.test.listedValues {
                    let level = encoding.recode[value] ?? value
                    guard encoding.levels.contains(level) || encoding.mergedIntoOther[level] != nil else {
                        let levels = encoding.levels.filter { $0 != otherLevel && $0 != missingLevel }
                        throw .unknownLevel(
                            file: playbook.file, line: condition.line, field: name, value: value,
                            suggestion: NearestName.closest(to: value, among: levels), levels: levels)
                    }
                }
            }
        }
        let halfLives = Dictionary(
            weights.spec.features.compactMap { feature in feature.halfLifeDays.map { (feature.column, $0) } }, uniquingKeysWith: { a, _ in a })
        for condition in qualification.allConditions where condition.reading == .decayed {
            guard case .field(let name) = condition.subject, halfLives[name] == nil else { continue }
            throw .invalid(
                file: playbook.file, line: condition.line, key: "value",
                problem:
                    "`value: decayed` needs a model feature with `half_life_days`, and `\(name)` has none in this weight file's spec; use `value: count` for the number of events, or fit the model with a half-life"
            )
        }
        self.playbook = qualification
        self.file = playbook.file
        self.encodings = encodings
        self.pointsScale = weights.points.scaling
        self.halfLives = halfLives
    }

    /// SQL rules first, then MQL rules, each in file order.
    var orderedRules: [QualificationRule] {
        playbook.rules.filter { $0.stage == .sql } + playbook.rules.filter { $0.stage == .mql }
    }

    /// Every score threshold the playbook applies, as stored in evidence.
    var thresholdsUsed: [String] {
        orderedRules.flatMap(\.conditions).compactMap { condition in
            guard case .score(let measure) = condition.subject else { return nil }
            return "\(measure.rawValue) \(condition.test.description) (line \(condition.line))"
        }
    }

    /// The value a field condition sees for `lead` (see the type's discussion).
    enum FieldValue { case text(String?), number(Double?) }

    /// The lead's events up to the decision time, counted by normalised type, each distinct type
    /// normalised once: conditions read counts instead of rescanning (and renaming) every event,
    /// which made a replay four times slower.
    struct EventTally {
        var counts: [String: Int] = [:]
        let hasEvents: Bool

        init(_ events: [EngagementEvent], at time: Date) {
            hasEvents = !events.isEmpty
            var keys: [String: String] = [:]
            for event in events where event.occurredAt <= time {
                let key: String
                if let known = keys[event.type] {
                    key = known
                } else {
                    key = EngagementDecay.normalizedName(event.type)
                    keys[event.type] = key
                }
                counts[key, default: 0] += 1
            }
        }

        /// Events up to the decision time that feed `column` (the mapping rule of ``EngagementDecay``).
        func count(feeding column: String) -> Int { counts[EngagementDecay.normalizedName(column)] ?? 0 }
    }

    /// The value and, for a field that events feed, which number it is (for the evidence).
    func fieldValue(
        _ name: String, lead: Lead, at time: Date, reading: EventFieldReading, tally: EventTally
    ) -> (value: FieldValue, label: String?) {
        // As the scorer reads a decayed feature: from the events once the lead has any.
        if reading == .decayed, let halfLife = halfLives[name], !lead.events.isEmpty {
            let value = EngagementDecay.decayedValue(events: lead.events, column: name, halfLifeDays: halfLife, at: time)
            return (.number(value), "decayed, half-life \(halfLife.plainText) days")
        }
        let fed = tally.count(feeding: name)
        if fed > 0 { return (.number(Double(fed)), "count of events") }
        let value = plainValue(name, lead: lead, tally: tally)
        guard halfLives[name] != nil || reading == .decayed else { return (value, nil) }
        return (value, lead.fields[name] != nil ? "field" : "count of events")
    }

    /// The lead's own field (trimmed, recoded), else 0 events for a numeric feature of a lead with events, else missing.
    private func plainValue(_ name: String, lead: Lead, tally: EventTally) -> FieldValue {
        let encoding = encodings[name]
        if let raw = lead.fields[name] {
            let trimmed = raw.trimmingSpacesAndTabs()
            if encoding?.type == .numeric { return .number(trimmed.isEmpty ? nil : Double(trimmed)) }
            if trimmed.isEmpty { return .text(nil) }
            return .text(encoding.map { $0.recode[trimmed] ?? trimmed } ?? trimmed)
        }
        if tally.hasEvents, encoding?.type == .numeric { return .number(Double(tally.count(feeding: name))) }
        return encoding?.type == .numeric ? .number(nil) : .text(nil)
    }

    static func measure(_ measure: ScoreMeasure, _ score: LeadScore) -> Double {
        switch measure {
        case .points: return score.points
        case .fitPoints: return score.fitPoints
        case .engagementPoints: return score.engagementPoints
        case .probability: return score.probability
        }
    }

    static func shown(_ x: Double) -> String {
        x.plainText
    }

    func evaluate(_ condition: QualificationCondition, lead: Lead, score: LeadScore, at time: Date, tally: EventTally) -> ConditionEvidence {
        let passed: Bool, actual: String
        var label: String?
        switch condition.subject {
        case .score(let measure):
            let x = Self.measure(measure, score)
            passed = condition.test.passes(number: x)
            actual = Self.shown(x)
        case .field(let name):
            let read = fieldValue(name, lead: lead, at: time, reading: condition.reading, tally: tally)
            label = read.label
            switch read.value {
            case .text(let value):
                passed = condition.test.passes(text: value)
                actual = value ?? "missing"
            case .number(let value):
                passed = condition.test.passes(number: value)
                actual = value.map(Self.shown) ?? "missing"
            }
        }
        return ConditionEvidence(
            subject: condition.subject.description, test: condition.test.description,
            actual: actual, passed: passed, line: condition.line, value: label)
    }

    /// Decides `lead`'s stage and priority from its score and, when the playbook has account rules
    /// and `account` is given, from its account's contacts (the other contacts; the lead is added),
    /// keeping the evidence.
    package func decide(_ lead: Lead, score: LeadScore, at time: Date, account: (id: String, contacts: [AccountContact])?) -> QualificationDecision {
        var decision = decide(lead, score: score, at: time)
        guard let account, !playbook.accountRules.isEmpty else { return decision }
        let contacts = [AccountContact(lead: lead, score: score)] + account.contacts.prefix(AccountQualificationRule.contactLimit - 1)
        for rule in playbook.accountRules.sorted(by: { $0.stage > $1.stage }) where rule.stage > decision.stage {
            var verdicts: [AccountRuleEvidence.Contact] = []
            for contact in contacts {
                let tally = EventTally(contact.lead.events, at: time)
                let engaged = rule.engagedWhen.map { evaluate($0, lead: contact.lead, score: contact.score, at: time, tally: tally) }
                let any = rule.anyContact.map { evaluate($0, lead: contact.lead, score: contact.score, at: time, tally: tally) }
                verdicts.append(
                    AccountRuleEvidence.Contact(
                        leadID: contact.lead.id, engaged: engaged.allSatisfy(\.passed), anyContact: any.isEmpty ? nil : any.allSatisfy(\.passed),
                        conditions: engaged + any))
            }
            let engagedCount = verdicts.filter(\.engaged).count
            let passed =
                engagedCount >= rule.engagedContacts && (rule.anyContact.isEmpty || verdicts.contains { $0.engaged && $0.anyContact == true })
            let evidence = AccountRuleEvidence(
                rule: rule.name, stage: rule.stage, accountID: account.id, passed: passed, engagedContacts: engagedCount,
                required: rule.engagedContacts, contacts: verdicts, line: rule.line)
            if decision.account == nil || passed { decision.account = evidence }
            guard passed else { continue }
            decision.stage = rule.stage
            decision.decidingRule = rule.name
            if rule.stage == .sql { decision.priority = .high }
            break
        }
        return decision
    }

    /// Decides `lead`'s stage and priority from its score, keeping the evidence.
    package func decide(_ lead: Lead, score: LeadScore, at time: Date) -> QualificationDecision {
        let tally = EventTally(lead.events, at: time)
        var rules: [RuleEvidence] = []
        var decided: QualificationRule?
        for rule in orderedRules {
            let conditions = rule.conditions.map { evaluate($0, lead: lead, score: score, at: time, tally: tally) }
            let passed = rule.match == .all ? conditions.allSatisfy(\.passed) : conditions.contains(where: \.passed)
            if passed && decided == nil { decided = rule }
            rules.append(
                RuleEvidence(
                    name: rule.name, stage: rule.stage, match: rule.match.rawValue, passed: passed,
                    line: rule.line, conditions: conditions))
        }
        let intent = playbook.highIntent.map { evaluate($0, lead: lead, score: score, at: time, tally: tally) }
        let stage = decided?.stage ?? .nurture
        let priority: HandoffPriority = stage == .sql || intent.contains(where: \.passed) ? .high : .standard
        return QualificationDecision(
            leadID: lead.id, stage: stage, priority: priority, decidingRule: decided?.name, rules: rules,
            highIntent: intent, points: score.points, fitPoints: score.fitPoints, engagementPoints: score.engagementPoints,
            probability: score.probability, thresholdsUsed: thresholdsUsed, pointsScale: pointsScale, modelChecksum: score.modelChecksum,
            playbook: file, decidedAt: time)
    }
}
