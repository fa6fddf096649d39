import Foundation

/// A lead as stored: its external id (the marketing-automation platform's id) and raw fields.
///
/// Upserted by `id`: a later `lead updated` replaces `fields`, `source`, `campaign` and
/// `updatedAt`, and keeps the first `createdAt`.
package struct LeadRecord: Sendable, Hashable, Codable {
    /// External id; primary key, non-empty.
    package var id: String
    /// Raw lead fields as a JSON object (form fields, firmographics, notes).
    package var fields: JSONText
    /// Acquisition source (e.g. "Google", "Referral"), for reports; nil when unknown.
    package var source: String?
    /// Campaign name, for reports; nil when unknown.
    package var campaign: String?
    /// When the lead was created in the source system (UTC, millisecond precision).
    package var createdAt: Date
    /// When the stored fields were last replaced (UTC, millisecond precision).
    package var updatedAt: Date

    package init(
        id: String, fields: JSONText = .emptyObject, source: String? = nil, campaign: String? = nil,
        createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.fields = fields
        self.source = source
        self.campaign = campaign
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}

extension LeadRecord {
    /// The stored field values by name (empty when the stored JSON is not an object of texts).
    /// A flat object of texts, as the store writes it, is read without `JSONDecoder` (``JSONText/stringFields()``).
    package var fieldValues: [String: String] { fields.stringFields() ?? (try? fields.decode([String: String].self)) ?? [:] }
}
