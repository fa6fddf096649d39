import Conversations
import Foundation
import HandoffPersistence

/// Why an interaction could not be captured for a lead, with what to do.
package enum CaptureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source could not be read (file, line, column).
    case unreadable(ConversationError)
    /// No stored lead has any of the interaction's (non-rep) addresses as its `email` field.
    case unknownLead(source: String, addresses: [String])
    /// The given lead id is not stored.
    case leadNotStored(source: String, leadID: String)
    /// The addresses belong to several leads.
    case ambiguousLead(source: String, leadIDs: [String])
    /// A transcript, chat or note names no address, and no lead was given.
    case noLeadGiven(source: String)
    case store(StoreError)

    package var description: String {
        switch self {
        case .unreadable(let error): return error.description
        case .unknownLead(let source, let addresses):
            return
                "\(source): no stored lead has the e-mail address \(addresses.joined(separator: " or ")); add the lead first, or name it with --lead ID (nothing was stored)"
        case .leadNotStored(let source, let leadID):
            return "\(source): lead '\(leadID)' is not in the store; check the id or add the lead first (nothing was stored)"
        case .ambiguousLead(let source, let ids):
            return
                "\(source): the addresses match several leads (\(ids.joined(separator: ", "))) that are not contacts of one account; name one with --lead ID (nothing was stored)"
        case .noLeadGiven(let source):
            return "\(source): a transcript, chat or note names no e-mail address to find its lead by; pass --lead ID (nothing was stored)"
        case .store(let error): return error.description
        }
    }
}
