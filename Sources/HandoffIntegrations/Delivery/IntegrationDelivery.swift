import HandoffFlow

/// What an adapter makes of one verified delivery: Baton events to apply, in order, each in its
/// own unit of work, and the vendor items that change nothing in Baton, each with the reason
/// (answered and logged, never dropped silently).
package struct IntegrationDelivery: Sendable, Equatable {
    /// An item of the delivery that becomes no event, and why (`property hs_lastmodifieddate is not mapped`).
    package struct Skipped: Sendable, Equatable {
        /// The vendor's id of the item (HubSpot `eventId`, Salesforce notification `Id`).
        package var vendorID: String
        package var reason: String
        package init(vendorID: String, reason: String) {
            self.vendorID = vendorID
            self.reason = reason
        }
    }

    package var events: [InboundEvent]
    package var skipped: [Skipped]
    /// Ids of events that only record something about a lead Baton already holds (a deletion in
    /// the vendor's system): the server skips them, with that reason, when the lead is not stored.
    package var onlyForStoredLeads: Set<String>

    package init(events: [InboundEvent] = [], skipped: [Skipped] = [], onlyForStoredLeads: Set<String> = []) {
        self.events = events
        self.skipped = skipped
        self.onlyForStoredLeads = onlyForStoredLeads
    }
}
