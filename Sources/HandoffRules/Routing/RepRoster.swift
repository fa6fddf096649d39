import Foundation

/// The reps a playbook names, in playbook order (the order breaks round-robin ties).
///
/// Playbook form (section `reps:`), one entry per rep:
/// ```yaml
/// reps:
///   - id: ana
///     name: Ana Ruiz
///     email: ana@example.com
///     manager: lee@example.com
///     territories: [emea]
///     industries: [software, "*"]
///     deal_size_tiers: [mid, enterprise]
///     weight: 2
///     capacity: 40
///     time_zone: Europe/Madrid
///     working_hours: {days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00"}
///     holidays: es            # a list named under sla.holidays
///     out_of_office: [{from: 2026-12-21, to: 2027-01-01}]   # local dates, inclusive
///     status: active          # or left
///     accounts: [acc-northwind]   # named accounts this rep owns (match: account_owner)
/// ```
/// Omitted lists mean `*` (any); omitted working hours come from `sla.working_hours`, else
/// Monday–Friday 09:00–17:00.
package struct RepRoster: Sendable, Hashable {
    package let reps: [Rep]

    /// A roster; rep ids must be unique (precondition: use ``RepSpec/resolve(_:holidays:defaultHours:)``
    /// for playbook input, which reports duplicates as errors).
    package init(_ reps: [Rep]) {
        precondition(Set(reps.map(\.id)).count == reps.count, "rep ids must be unique")
        self.reps = reps
    }

    /// The rep with `id`, if any.
    package func rep(_ id: String) -> Rep? { reps.first { $0.id == id } }

    /// All rep ids in playbook order.
    package var ids: [String] { reps.map(\.id) }
}
