import BatonSupport
import Foundation
import ScoringModelFormat

/// Scores single leads with a weight file, and nothing else: no numeric core, no training data.
///
/// ```swift
/// let scorer = try LeadScorer(contentsOf: URL(fileURLWithPath: "model.json"))
/// let score = try scorer.score(lead, at: Date())
/// print(score.points, score.reasons.map(\.text))
/// ```
///
/// Field rules: every feature column must be a key of `lead.fields` (an absent key is an error
/// listing all absent fields; an empty value is a missing cell, handled by the spec's `missing:`
/// rule for numeric features and scored as level `Missing` for categorical ones). A numeric
/// feature with `half_life_days` is computed from the lead's events when the lead has any (see
/// ``EngagementDecay``); its field is then not needed. Unseen categorical levels follow
/// ``FeatureEncoding/modelLevel(forCell:)``: `Other` when the model has it, else the baseline, and
/// then a reason for that feature names the unseen value ("Industry 'Mining' not seen in training:
/// scored as baseline 'Software', …"), not the baseline as if the lead had it.
public struct LeadScorer: Sendable {
    /// The weight file in use.
    public let weights: WeightFile
    /// Its checksum: the identity to store next to each score.
    public let modelChecksum: String
    let plan: ScoringPlan

    /// Uses an already loaded (and so already verified) weight file.
    public init(weights: WeightFile) throws(ScoringError) {
        do {
            try weights.validate(file: "weights")
            modelChecksum = try weights.checksum()
        } catch let error as WeightFileError {
            throw .weightFile(error)
        } catch {
            throw .weightFile(.inconsistent(file: "weights", detail: "\(error)"))
        }
        self.weights = weights
        plan = ScoringPlan(weights: weights)
    }

    /// Loads the weight file at `url`, checking its format version and checksum.
    public init(contentsOf url: URL) throws(ScoringError) {
        let weights: WeightFile
        do {
            weights = try WeightFile.load(from: url)
        } catch let error as WeightFileError {
            throw .weightFile(error)
        } catch {
            throw .weightFile(.io(file: url.path, detail: "\(error)"))
        }
        try self.init(weights: weights)
    }

    /// The feature columns a lead must carry, in spec order.
    public var requiredFields: [String] { weights.encodings.map(\.column) }

    /// Whether `column` is computed from events for this lead (decayed feature, lead has events).
    func usesEvents(_ feature: ScoringPlan.Feature, _ lead: Lead) -> Bool {
        feature.halfLifeDays != nil && !lead.events.isEmpty
    }

    /// Scores `lead` as of `time` (the time only matters for decayed engagement features).
    /// - Throws: ``ScoringError/missingFields(lead:fields:)`` listing every absent field,
    ///   ``ScoringError/badValue(lead:column:error:)`` for a value the encoding cannot read.
    public func score(_ lead: Lead, at time: Date) throws(ScoringError) -> LeadScore {
        let missing = plan.features.filter { lead.fields[$0.encoding.column] == nil && !usesEvents($0, lead) }
        guard missing.isEmpty else { throw .missingFields(lead: lead.id, fields: missing.map(\.encoding.column)) }

        // Per feature: the numeric term value and missing flag, or the level index.
        var terms = [Double](repeating: 0, count: plan.features.count)
        var isMissing = [Bool](repeating: false, count: plan.features.count)
        var levels = [Int](repeating: 0, count: plan.features.count)
        // Categorical: the value as recoded when the model never saw it and scored it as the baseline.
        var unseenAsBaseline = [String?](repeating: nil, count: plan.features.count)
        var contributions: [FeatureContribution] = []
        var unseen: [UnseenLevel] = []
        var top = TopReasons()
        var rawValues = [Double?](repeating: nil, count: plan.features.count)
        var decayed = [Bool](repeating: false, count: plan.features.count)
        var fitPoints = 0.0, engagementPoints = 0.0

        for (f, feature) in plan.features.enumerated() {
            let encoding = feature.encoding
            let points: Double, impact: Double, shown: String
            switch encoding.type {
            case .numeric where encoding.bins != nil:
                // A binned value scores like a level: its bin's points, its reason against the best bin.
                let value: Double?
                if let halfLife = feature.halfLifeDays, usesEvents(feature, lead) {
                    value = EngagementDecay.decayedValue(events: lead.events, column: encoding.column, halfLifeDays: halfLife, at: time)
                    decayed[f] = true
                } else {
                    let cell = lead.fields[encoding.column] ?? ""
                    // The full cell check (digits, finite, bounded); the parse then cannot fail.
                    do { _ = try encoding.binnedValues(rawCell: cell) } catch {
                        throw .badValue(lead: lead.id, column: encoding.column, error: error)
                    }
                    value = Double(cell.trimmingSpacesAndTabs())
                }
                do { levels[f] = try ScoringPlan.binLevel(encoding, value: value) } catch {
                    throw .badValue(lead: lead.id, column: encoding.column, error: error)
                }
                rawValues[f] = value
                points = feature.levelPoints[levels[f]]
                impact = plan.levelImpact(feature: f, level: levels[f])
                let bin = feature.levelNames[levels[f]]
                shown = value.map { "\(ScoringPlan.valueText($0, decayed: decayed[f])) (\(bin))" } ?? bin
            case .numeric:
                if let halfLife = feature.halfLifeDays, usesEvents(feature, lead) {
                    let value = EngagementDecay.decayedValue(
                        events: lead.events, column: encoding.column,
                        halfLifeDays: halfLife, at: time)
                    do { terms[f] = try encoding.numericTermValue(value) } catch {
                        throw .badValue(lead: lead.id, column: encoding.column, error: error)
                    }
                    rawValues[f] = value
                    decayed[f] = true
                } else {
                    let cell = lead.fields[encoding.column] ?? ""
                    let values: [Double]
                    do { values = try encoding.termValues(rawCell: cell) } catch {
                        throw .badValue(lead: lead.id, column: encoding.column, error: error)
                    }
                    terms[f] = values[0]
                    isMissing[f] =
                        encoding.missing == .indicator
                        ? values[1] == 1
                        : cell.trimmingSpacesAndTabs().isEmpty
                    // The raw value, for the reason text (the parse already succeeded).
                    rawValues[f] = isMissing[f] ? nil : Double(cell.trimmingSpacesAndTabs())
                }
                points = plan.numericPoints(feature: f, term: terms[f], missing: isMissing[f])
                impact = points
                shown = rawValues[f].map { ScoringPlan.valueText($0, decayed: decayed[f]) } ?? "missing"
            case .categorical:
                let (level, wasUnseen) = encoding.modelLevel(forCell: lead.fields[encoding.column] ?? "")
                guard let l = encoding.levels.firstIndex(of: level) else {
                    preconditionFailure("modelLevel returns a level of the encoding")  // an encoding without levels fails validation
                }
                levels[f] = l
                if wasUnseen {
                    let value = encoding.recodedCell(lead.fields[encoding.column] ?? "")
                    unseen.append(UnseenLevel(column: encoding.column, value: value, scoredAs: level))
                    if plan.scoresUnseenAsBaseline(feature: f) { unseenAsBaseline[f] = value }
                }
                points = feature.levelPoints[l]
                impact = plan.levelImpact(feature: f, level: l)
                shown = level
            }
            if feature.isEngagement { engagementPoints += points } else { fitPoints += points }
            top.offer(feature: f, impact: impact)
            contributions.append(
                FeatureContribution(
                    column: encoding.column, group: encoding.group.rawValue, value: shown,
                    decayed: decayed[f], points: points, impact: impact))
        }

        // η in the lab's order: intercept, then each model term.
        var eta = plan.intercept
        for step in plan.steps {
            switch step {
            case .value(let f): eta += plan.features[f].valueBeta * terms[f]
            case .indicator(let f): eta += plan.features[f].indicatorBeta * (isMissing[f] ? 1 : 0)
            case .levels(let f, let beta, _): eta += beta[levels[f]]
            }
        }

        let reasons = top.ranked.compactMap { f -> ReasonCode? in
            guard plan.features[f].isLevelled else {
                return plan.numericReason(feature: f, value: rawValues[f], decayed: decayed[f], impact: contributions[f].impact)
            }
            if let value = unseenAsBaseline[f] { return plan.unseenLevelReason(feature: f, value: value, level: levels[f]) }
            return plan.levelReason(feature: f, level: levels[f])
        }
        return LeadScore(
            leadID: lead.id, probability: ScoringPlan.logistic(eta), logOdds: eta, points: plan.scale.points(logOdds: eta),
            basePoints: plan.basePoints, fitPoints: fitPoints, engagementPoints: engagementPoints, reasons: reasons,
            contributions: contributions, unseenLevels: unseen, modelChecksum: modelChecksum)
    }

    /// Scores a lead given only its raw fields (no events), e.g. one CSV row.
    public func score(fields: [String: String], id: String) throws(ScoringError) -> LeadScore {
        try score(Lead(id: id, fields: fields, createdAt: Date(timeIntervalSince1970: 0)), at: Date(timeIntervalSince1970: 0))
    }
}
