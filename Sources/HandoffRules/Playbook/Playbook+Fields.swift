import BatonSupport
import Foundation

extension Playbook {
    /// Checks that every routing rule reads a field a lead can carry.
    ///
    /// - Parameter known: the lead fields in use (model columns, documented fields, extra fields).
    /// - Throws: ``PlaybookError/unknownField(file:line:field:suggestion:)`` naming the rule's line.
    package func checkRoutingFields(known: Set<String>) throws(PlaybookError) {
        let flow = try requireFlow()
        for rule in flow.routing.rules where !known.contains(rule.field) {
            throw .unknownField(
                file: file, line: max(rule.line, 1), field: rule.field,
                suggestion: NearestName.closest(to: rule.field, among: known.sorted()))
        }
    }
}
