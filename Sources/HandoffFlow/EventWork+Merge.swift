import BatonSupport
import Foundation
import HandoffPersistence
import HandoffRules

/// Duplicates and merges (issue 16): the same person becomes one lead.
///
/// **Two ways in.** A new lead whose normalised e-mail (``EmailKey``) a stored lead has (and the
/// playbook's `merge.by_email`, on by default) is stored as it came and merged at once into that
/// lead, the *survivor* (rule `email`); a `merge` event (the CRM merged two records: HubSpot's
/// `contact.merge`, or any system's `{"type": "merge", "merged_lead_id": …}`) merges a stored lead
/// into the event's lead (rule `crm`).
///
/// **What a merge does.**
/// - Fields: the survivor takes the merged lead's by the playbook's rule (``MergePolicy``:
///   latest non-empty wins unless `merge.field_rules` names another rule); the record keeps each
///   change with its value before.
/// - Histories are joined, not copied: the survivor is scored with both leads' engagement, and
///   later events addressed to the merged id apply to the survivor (journalled under the id they
///   named).
/// - The SLA clock is not restarted. A survivor already handed off keeps its owner and its clock;
///   the merged lead's own open hand-off, if any, is closed (its timer cancelled). When only the
///   merged lead was handed off, the survivor takes that hand-off over: the same rep, the clock
///   started when it started (if it started after the survivor's last SLA step; otherwise at the
///   merge), the escalation steps already fired, and the contact attempts made under it.
/// - The ledger records it as a routing entry (method `merged`).
///
/// **Reversible.** `unmerge` ends the merge: the merged id is addressed on its own again, the
/// survivor is rescored without its engagement, and each field the merge changed gets its value
/// back unless a later event changed it again. What was done meanwhile stays where it was done
/// (hand-offs, attempts, scores): history is not rewritten.
extension EventWork {
    /// A second form fill: the event's new lead (`original`) is stored as it came and merged into
    /// this unit's lead, the survivor.
    mutating func arrivalMerge(_ body: InboundEvent.LeadFields, key: String) async throws(EngineError) {
        guard let survivor = lead.timeline?.lead else { throw .unknownLead(eventID: id, leadID: event.leadID, type: event.kind.rawValue) }
        let duplicateID = journalLeadID
        let fields: JSONText
        do { fields = try JSONText(encoding: body.fields) } catch { throw .store(eventID: id, error) }
        let duplicate = LeadRecord(id: duplicateID, fields: fields, source: body.source, campaign: body.campaign, createdAt: instant)
        lead.operations.append(.upsertLead(duplicate))
        lead.operations.append(journal)
        lead.operations.append(.keyLeadEmail(leadID: duplicateID, key: key))
        try mergeFields(from: duplicate, into: survivor, rule: .email, evidence: key)
        try await lead.linkAccount(at: instant)
        let holder = lead.timeline?.assignments.last { $0.unassignedAt == nil }?.repID
        try recordMergeLedger(merged: duplicateID, rule: .email, evidence: key, holder: holder, tookOver: false, closed: nil)
        lead.effects.append(
            EngineEffect(leadID: event.leadID, at: instant, kind: .merged(mergedLeadID: duplicateID, rule: "email", closedHandoffOf: nil)))
        try await evaluate(extraEvent: nil)
    }

    /// A `merge` or `unmerge` event.
    mutating func mergeEvent(_ body: InboundEvent.Merge) async throws(EngineError) {
        guard body.mergedLeadID != journalLeadID, body.mergedLeadID != event.leadID else {
            throw .invalidField(
                eventID: id, field: "merged_lead_id",
                problem: "names the event's own lead '\(body.mergedLeadID)' (or its survivor); name the other lead of the pair")
        }
        let store = engine.store
        let other: LeadTimeline?
        let merges: [LeadMergeRecord]
        do {
            other = try await store.flowTimeline(leadID: body.mergedLeadID)
            merges = try await store.leadMerges(involving: body.mergedLeadID, includeEnded: false)
        } catch {
            throw .store(eventID: id, error)
        }
        guard let other else {
            throw .invalidField(
                eventID: id, field: "merged_lead_id", problem: "names lead '\(body.mergedLeadID)', which is not stored; send its events first")
        }
        let standing = merges.first { $0.mergedID == body.mergedLeadID }
        if event.kind == .unmerge {
            guard let standing, standing.survivorID == event.leadID else {
                let now = standing.map { "it stands merged into '\($0.survivorID)'" } ?? "it stands merged into no lead"
                throw .invalidField(
                    eventID: id, field: "merged_lead_id",
                    problem: "lead '\(body.mergedLeadID)' is not merged into '\(event.leadID)' (\(now)); nothing to unmerge")
            }
            try await unmerge(standing)
            return
        }
        if let standing {
            guard standing.survivorID == event.leadID else {
                throw .invalidField(
                    eventID: id, field: "merged_lead_id",
                    problem: "lead '\(body.mergedLeadID)' already stands merged into '\(standing.survivorID)'; unmerge it there first")
            }
            return  // The CRM said it again: already one lead.
        }
        guard let survivor = lead.timeline?.lead else { throw .unknownLead(eventID: id, leadID: event.leadID, type: event.kind.rawValue) }
        let note = body.note.map { $0.trimmingSpacesAndTabs() }.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
        let evidence = note ?? "merge event \(id)"
        try mergeFields(from: other.lead, into: survivor, rule: .crm, evidence: evidence)
        // The hand-offs: the survivor's stands; the merged lead's closes, or moves here when the survivor has none.
        let survivorOpen = lead.timeline?.assignments.last { $0.unassignedAt == nil }
        let otherOpen = other.assignments.last { $0.unassignedAt == nil }
        var closed: String?
        var tookOver = false
        if let otherOpen {
            lead.operations.append(.closeAssignment(leadID: other.lead.id, at: instant, reason: "merged into \(event.leadID)"))
            for var timer in other.timers where timer.state.isOpen {
                timer.state = .cancelled
                timer.updatedAt = instant
                lead.operations.append(.upsertTimer(timer))
            }
            if survivorOpen == nil, !lead.hasOutcome, let rep = otherOpen.repID {
                try takeOver(otherOpen, rep: rep, from: other)
                tookOver = true
            } else {
                closed = otherOpen.holderID
            }
        }
        let holder = tookOver ? otherOpen?.repID : survivorOpen?.repID
        try recordMergeLedger(merged: other.lead.id, rule: .crm, evidence: evidence, holder: holder, tookOver: tookOver, closed: closed)
        lead.effects.append(
            EngineEffect(leadID: event.leadID, at: instant, kind: .merged(mergedLeadID: other.lead.id, rule: "crm", closedHandoffOf: closed)))
        // Scored with both histories from now on (and those of the leads merged into the other).
        do {
            let joined =
                HandoffEngine.engagementRows(other.events) + (try await engine.engagementRows(of: try await engine.mergedLeads(into: other.lead.id)))
            let own = lead.timeline?.events ?? []
            lead.timeline?.events = HandoffEngine.inTimeOrder(own + joined)
        } catch {
            throw .store(eventID: id, error)
        }
        try await evaluate(extraEvent: nil)
    }

    /// The survivor takes the merged lead's open hand-off to `rep` over, clock and attempts kept.
    mutating func takeOver(_ assignment: AssignmentRecord, rep: String, from other: LeadTimeline) throws(EngineError) {
        let otherTimer = other.timers.filter { $0.state.isOpen }.max { HandoffEngine.handoffNumber($0.id) < HandoffEngine.handoffNumber($1.id) }
        let started = otherTimer?.startedAt ?? assignment.assignedAt
        // The fold reads hand-offs in time order: one that started before the survivor's last SLA step starts at the merge.
        let keepsStart = started >= (lead.sla.lastEventAt ?? .distantPast)
        let start = keepsStart ? started : instant
        let handoff = (lead.timeline?.timers.count ?? 0) + 1
        let takenOver = AssignmentRecord(
            leadID: event.leadID, target: .rep(rep), rule: RoutingExplanation.mergedRulePrefix + other.lead.id, assignedAt: start)
        var timer = SLATimerRecord(
            id: HandoffEngine.timerID(leadID: event.leadID, handoff: handoff), leadID: event.leadID,
            policy: otherTimer?.policy ?? HandoffPriority.standard.slaPolicyName, dueAt: otherTimer?.dueAt ?? start,
            state: otherTimer?.state ?? .running, escalationStep: keepsStart ? otherTimer?.escalationStep ?? 0 : 0,
            firedSteps: keepsStart ? otherTimer?.firedSteps ?? [] : [], startedAt: start, updatedAt: instant)
        let attempts = keepsStart ? other.contactAttempts.filter { $0.attemptedAt >= start } : []
        lead.operations.append(.openAssignment(takenOver))
        for attempt in attempts {
            var copy = attempt
            copy.id = attempt.id + "@" + event.leadID
            copy.leadID = event.leadID
            guard Identifier.problem(copy.id) == nil else { continue }
            lead.operations.append(.appendContactAttempt(copy))
            lead.timeline?.contactAttempts.append(copy)
        }
        lead.timeline?.assignments.append(takenOver)
        lead.timeline?.timers.append(timer)
        lead.timeline?.contactAttempts.sort { $0.attemptedAt < $1.attemptedAt }
        do {
            lead.sla = try engine.foldSLA(lead.timeline, leadID: event.leadID)
        } catch {
            throw .sla(eventID: id, error)
        }
        timer = lead.currentTimer(fired: [], at: instant)
        lead.upsert(timer)
    }

    mutating func unmerge(_ merge: LeadMergeRecord) async throws(EngineError) {
        lead.operations.append(.endMerge(mergedID: merge.mergedID, at: instant, eventID: id))
        if var record = lead.timeline?.lead {
            var fields = record.fieldValues
            for change in merge.fieldChanges where fields[change.field] == change.after {
                fields[change.field] = change.before
            }
            do { record.fields = try JSONText(encoding: fields) } catch { throw .store(eventID: id, error) }
            record.updatedAt = instant
            lead.timeline?.lead = record
            lead.operations.append(.upsertLead(record))
            // The survivor is found by its own e-mail again (the merge may have given it the other's).
            lead.operations.append(.keyLeadEmail(leadID: event.leadID, key: fields["email"].flatMap(EmailKey.of)))
        }
        // Scored without the merged lead's engagement (nor that of leads merged into it).
        let gone: Set<String>
        do { gone = Set([merge.mergedID] + (try await engine.mergedLeads(into: merge.mergedID))) } catch { throw .store(eventID: id, error) }
        lead.timeline?.events.removeAll { gone.contains($0.leadID) }
        lead.effects.append(EngineEffect(leadID: event.leadID, at: instant, kind: .unmerged(mergedLeadID: merge.mergedID)))
        try await evaluate(extraEvent: nil)
    }

    /// Writes the survivor's merged fields and the merge record.
    mutating func mergeFields(from merged: LeadRecord, into survivor: LeadRecord, rule: LeadMergeRecord.Rule, evidence: String) throws(EngineError) {
        let result = engine.flow.merge.merge(
            survivor: MergePolicy.Side(fields: survivor.fieldValues, createdAt: survivor.createdAt, updatedAt: survivor.updatedAt),
            merged: MergePolicy.Side(fields: merged.fieldValues, createdAt: merged.createdAt, updatedAt: merged.updatedAt))
        var record = survivor
        do { record.fields = try JSONText(encoding: result.fields) } catch { throw .store(eventID: id, error) }
        record.source = survivor.source ?? merged.source
        record.campaign = survivor.campaign ?? merged.campaign
        record.updatedAt = max(survivor.updatedAt, instant)
        lead.timeline?.lead = record
        lead.operations.append(.upsertLead(record))
        if let key = result.fields["email"].flatMap(EmailKey.of) { lead.operations.append(.keyLeadEmail(leadID: event.leadID, key: key)) }
        lead.operations.append(
            .recordMerge(
                LeadMergeRecord(
                    mergedID: merged.id, survivorID: event.leadID, rule: rule, evidence: evidence, eventID: id,
                    fieldChanges: result.changes.map { LeadMergeRecord.FieldChange(field: $0.field, before: $0.before, after: $0.after) },
                    mergedAt: instant)))
    }

    mutating func recordMergeLedger(
        merged: String, rule: LeadMergeRecord.Rule, evidence: String, holder: String?, tookOver: Bool, closed: String?
    ) throws(EngineError) {
        let explanation = RoutingExplanation(
            merged: merged, rule: rule.rawValue, evidence: evidence, holder: holder, tookOver: tookOver, closed: closed)
        try lead.recordLedger(
            DecisionLedgerEntry(kind: .routing, at: instant, source: id, summary: explanation.summary, routing: explanation), at: instant)
    }
}
