import Foundation

/// Something a lead did: a webinar attended, a whitepaper downloaded, a demo requested.
///
/// `type` is matched to the model's engagement features by name (see ``EngagementDecay``):
/// `demo_request` feeds `demo_requests`, `webinar_attended` feeds `webinars_attended`.
public struct EngagementEvent: Sendable, Codable, Equatable {
    /// The event type, e.g. `demo_request`, `pricing_page_view`, `content_download`.
    public var type: String
    /// When it happened.
    public var occurredAt: Date
    /// Title of the content involved (a whitepaper, a webinar), if any.
    public var contentTitle: String?
    /// Where that content lives, if known.
    public var contentURL: String?
    /// The asset's kind or identifier (`whitepaper`, `case-study-42`), if known.
    public var asset: String?
    /// Free text (a form answer, the page visited).
    public var detail: String?

    public init(
        type: String, occurredAt: Date, contentTitle: String? = nil, contentURL: String? = nil,
        asset: String? = nil, detail: String? = nil
    ) {
        self.type = type
        self.occurredAt = occurredAt
        self.contentTitle = contentTitle
        self.contentURL = contentURL
        self.asset = asset
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case type, asset, detail
        case occurredAt = "occurred_at"
        case contentTitle = "content_title"
        case contentURL = "content_url"
    }
}
