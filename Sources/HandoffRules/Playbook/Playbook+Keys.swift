extension Playbook {
    /// The reference of the playbook, service configuration and hand-off package formats, relative
    /// to the repository root; help and error texts point here rather than to a Swift type.
    package static let formatsReference = "Notebooks-md/formats.md"

    /// Every key path a playbook may hold, built from the very key lists the section readers check
    /// (an unknown key is refused with them), so a key added to a reader shows up here.
    ///
    /// `[]` stands for an item of a list and `<…>` for a key the author names (a map value, a
    /// holiday list, an SLA policy, a disposition code). `Notebooks-md/formats.md` documents each
    /// path; a test compares the two.
    package static var keyPaths: [String] {
        func under(_ prefix: String, _ keys: [String]) -> [String] { keys.map { "\(prefix).\($0)" } }
        var paths = knownSections
        paths += under("qualification", QualificationPlaybook.sectionKeys)
        paths += under("qualification.rules[]", QualificationPlaybook.ruleKeys)
        paths += under("qualification.rules[].when[]", QualificationPlaybook.conditionKeys)
        paths += under("qualification.high_intent[]", QualificationPlaybook.conditionKeys)
        paths += under("qualification.account_rules[]", AccountQualificationRule.keys)
        paths += under("qualification.account_rules[].engaged_when[]", QualificationPlaybook.conditionKeys)
        paths += under("qualification.account_rules[].any_contact[]", QualificationPlaybook.conditionKeys)
        paths += under("routing", RoutingPolicy.keys)
        paths += under("routing.rules[]", RoutingRule.keys)
        paths += ["routing.rules[].map.<value>"]
        paths += under("routing.rules[].tiers[]", RoutingRule.tierKeys)
        paths += under("reps[]", RepSpec.keys)
        paths += under("reps[].working_hours", WorkingHours.keys)
        paths += under("reps[].out_of_office[]", RepSpec.absenceKeys)
        paths += under("reps[].alerts", AlertPreferences.keys)
        paths += under("reps[].alerts.quiet_hours", AlertPreferences.quietKeys)
        paths += under("sla", SLAPolicies.keys)
        paths += under("sla.working_hours", WorkingHours.keys)
        paths += ["sla.holidays.<list>", "sla.policies.<policy>"]
        paths += under("sla.policies.<policy>", SLAPolicy.keys)
        paths += under("sla.policies.<policy>.escalation", SLAPolicy.escalationKeys)
        paths += under("sla.policies.<policy>.attempts", SLAPolicy.attemptsKeys)
        paths += under("dispositions", DispositionPolicy.keys)
        paths += ["dispositions.codes.<code>"]
        paths += under("dispositions.codes.<code>", DispositionCode.keys)
        paths += under("merge", MergePolicy.keys)
        paths += ["merge.field_rules.<field>"]
        paths += ["trackers.<tracker>"]
        paths += under("trackers.<tracker>", ConversationTrackers.keys)
        return paths
    }
}
