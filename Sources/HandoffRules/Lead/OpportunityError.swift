import Foundation

/// An opportunity or outcome that would break the closed loop.
package enum OpportunityError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownLead(leadID: String, opportunityID: String)
    case duplicateOpportunity(id: String)
    case unknownOpportunity(id: String)
    case alreadyClosed(id: String)
    case invalidAmount(id: String, amount: String)
    case invalidCurrency(id: String, currency: String)
    case closedBeforeOpened(id: String, closedAt: Date, openedAt: Date)

    package var description: String {
        switch self {
        case .unknownLead(let lead, let id):
            "opportunity \(id) names lead \(lead), which is not known; import the lead first so revenue can be traced"
        case .duplicateOpportunity(let id):
            "opportunity \(id) already exists; use a new id, or move/close the existing one"
        case .unknownOpportunity(let id):
            "no opportunity \(id); open it before moving or closing it"
        case .alreadyClosed(let id):
            "opportunity \(id) is already closed; open a new opportunity for a new deal"
        case .invalidAmount(let id, let amount):
            "opportunity \(id): amount \(amount) must be a number ≥ 0"
        case .invalidCurrency(let id, let currency):
            "opportunity \(id): currency `\(currency)` is not an ISO 4217 code; use three capital letters such as EUR or USD"
        case .closedBeforeOpened(let id, let closed, let opened):
            "opportunity \(id) closes at \(closed), before it opened at \(opened); check the close date"
        }
    }
}
