import BatonSupport
import Foundation
import HandoffRules

/// Which leads a lead list shows (`GET /leads`): filters, and where the page starts.
///
/// Leads are listed in creation order (ties by id), so a page boundary never moves when new leads
/// arrive; ``LeadListCursor`` carries the last lead of a page to ask for the next.
package struct LeadListQuery: Sendable, Hashable {
    /// Only leads whose latest qualification has this stage.
    package var stage: QualificationStage?
    /// Only leads whose open assignment is this rep id or fallback queue name.
    package var owner: String?
    /// Only leads with activity at or after this instant (``LeadListEntry/lastActivityAt``).
    package var since: Date?
    /// Start after this lead (the previous page's ``LeadListPage/next``).
    package var after: LeadListCursor?
    /// At most this many leads (1 ... ``maximumLimit``).
    package var limit: Int

    package static let defaultLimit = 50
    package static let maximumLimit = 500

    package init(
        stage: QualificationStage? = nil, owner: String? = nil, since: Date? = nil, after: LeadListCursor? = nil,
        limit: Int = LeadListQuery.defaultLimit
    ) {
        self.stage = stage
        self.owner = owner
        self.since = since
        self.after = after
        self.limit = min(max(limit, 1), Self.maximumLimit)
    }
}

/// The position after one lead in the list's order: its creation instant (milliseconds) and id.
/// Its text form is opaque to clients (base64url of `millis:id`).
package struct LeadListCursor: Sendable, Hashable {
    package let createdAt: Date
    package let leadID: String

    package init(createdAt: Date, leadID: String) {
        self.createdAt = createdAt
        self.leadID = leadID
    }

    /// The opaque text a client passes back as `cursor`.
    package var text: String {
        Base64URL.encode(Data("\(createdAt.storeMillis):\(leadID)".utf8))
    }

    /// The cursor a ``text`` stands for; nil for anything this service did not hand out.
    package init?(text: String) {
        guard text.utf8.count <= 1024, let data = Base64URL.decode(text), let raw = String(data: data, encoding: .utf8),
            let colon = raw.firstIndex(of: ":"), let millis = Int64(raw[..<colon]), millis >= 0, millis < 253_402_300_800_000
        else { return nil }
        let id = String(raw[raw.index(after: colon)...])
        guard Identifier.problem(id) == nil else { return nil }
        self.init(createdAt: Date(storeMillis: millis), leadID: id)
    }
}

/// One lead of a list: the lead, where it stands, and when anything last happened to it.
package struct LeadListEntry: Sendable, Hashable {
    package var lead: LeadRecord
    package var latestScore: ScoreRecord?
    package var latestDecision: QualificationDecisionRecord?
    /// Who holds it now (a rep or a fallback queue); nil when nobody does.
    package var openAssignment: AssignmentRecord?
    /// The latest of: the lead row's update, an event's arrival, an SLA timer's write, an
    /// assignment opened or closed.
    package var lastActivityAt: Date

    package init(
        lead: LeadRecord, latestScore: ScoreRecord?, latestDecision: QualificationDecisionRecord?, openAssignment: AssignmentRecord?,
        lastActivityAt: Date
    ) {
        self.lead = lead
        self.latestScore = latestScore
        self.latestDecision = latestDecision
        self.openAssignment = openAssignment
        self.lastActivityAt = lastActivityAt
    }
}

/// One page of a lead list.
package struct LeadListPage: Sendable, Hashable {
    package var entries: [LeadListEntry]
    /// Where the next page starts; nil on the last page.
    package var next: LeadListCursor?

    package init(entries: [LeadListEntry], next: LeadListCursor?) {
        self.entries = entries
        self.next = next
    }
}
