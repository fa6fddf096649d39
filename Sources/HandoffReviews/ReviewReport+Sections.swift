import Foundation
import ReportRendering

extension ReviewReport {
    static func sections(
        _ r: ReviewResults, configuration c: AnalyticsConfiguration, charts: [ReviewCharts.Chart],
        into md: inout MarkdownWriter
    ) {
        func chart(_ file: String) { if let found = charts.first(where: { $0.file == file }) { md.chart(found) } }

        md.line("## Marketing SLA")
        md.line()
        let m = r.marketing
        if let committed = m.committed {
            md.line(
                "- Qualified hand-offs (MQL or SQL) delivered: **\(m.delivered)** against **\(committed)** committed (\(m.attainment.map { NumberFormat.percent($0) } ?? "no rate: commitment is 0"))."
            )
        } else {
            md.line("- Qualified hand-offs (MQL or SQL) delivered: **\(m.delivered)** (no commitment stated; pass `--committed-per-week`).")
        }
        md.line("- Hand-offs with documented qualification evidence: \(m.evidence.formatted).")
        md.line()

        md.line("## Hand-off volume")
        md.line()
        for v in r.volume {
            md.line("By \(v.dimension.rawValue) (\(v.total) hand-offs):")
            md.line()
            if v.rows.isEmpty {
                md.line("_no hand-offs_")
                md.line()
                continue
            }
            md.table(
                [v.dimension.rawValue, "hand-offs", "share"],
                v.rows.map { [$0.key, "\($0.count)", $0.share.map { NumberFormat.percent($0) } ?? "—"] })
        }

        md.line("## Speed to contact (business hours)")
        md.line()
        md.line(
            "Business time from the hand-off to the first contact attempt, in the assigned rep's working hours (\(c.calendarNote)). Median and p90 are type-7 sample quantiles."
        )
        md.line()
        func speedRows(_ groups: [SpeedToContact.Group], status: Bool) -> [[String]] {
            groups.map { g in
                [
                    g.key + (status ? (g.repStatus?.note.map { " (\($0))" } ?? "") : ""), "\(g.handoffs)", "\(g.hours.count)", "\(g.untouched)",
                    g.hours.isEmpty ? "no touches" : NumberFormat.hours(g.median), g.hours.isEmpty ? "—" : NumberFormat.hours(g.p90),
                ]
            }
        }
        let header = ["group", "hand-offs", "touched", "untouched", "median", "p90"]
        md.table(
            header,
            speedRows([r.speed.overall], status: false) + speedRows(r.speed.byPriority, status: false).map { ["priority " + $0[0]] + $0.dropFirst() })
        if !r.speed.byRep.isEmpty { md.table(["rep"] + header.dropFirst(), speedRows(r.speed.byRep, status: true)) }
        let lags = r.speed.crmLagHours
        if !lags.isEmpty {
            md.line(
                "- CRM lag (first touch to its arrival in Baton, wall-clock): median \(NumberFormat.hours(Quantile.of(lags, 0.5))), p90 \(NumberFormat.hours(Quantile.of(lags, 0.9))) over \(lags.count) first touches. Touches are judged at the time they happened, however late they arrive."
            )
            md.line()
        }
        let system = r.speed.systemDelayHours, repDelay = r.speed.repDelayHours
        if !system.isEmpty {
            md.line(
                "- Speed to lead in two parts: **system delay** (qualified → with a rep, wall-clock, routing and time parked in a queue included) median \(NumberFormat.hours(Quantile.of(system, 0.5))), p90 \(NumberFormat.hours(Quantile.of(system, 0.9))) over \(system.count) leads; **rep delay** (with a rep → first touch, business hours) "
                    + (repDelay.isEmpty
                        ? "no touch yet."
                        : "median \(NumberFormat.hours(Quantile.of(repDelay, 0.5))), p90 \(NumberFormat.hours(Quantile.of(repDelay, 0.9))) over \(repDelay.count) touched.")
                    + " A lead waiting in a queue is the system's delay, not a rep's.")
            md.line()
        }
        chart("speed.svg")

        md.line("## SLA compliance")
        md.line()
        md.line(
            "Met = first touch within the policy's target in business hours. Missed = touched later, or untouched with the target passed. Pending (untouched, target not yet passed) is left out of the rate."
        )
        md.line()
        let lc = r.compliance
        md.line(
            "- Leads contacted within SLA (every hand-off of the period, parked leads included and counted as not contacted in time unless touched within their target): \(lc.leadsContactedWithinSLA.formatted)."
        )
        if lc.parkedAtHandoff > 0 {
            md.line(
                "- The policy rates below are the reps' compliance: \(lc.parkedAtHandoff) hand-off(s) parked in a fallback queue (no rep could take them) are a routing/capacity failure, left out of them and reported under \"Fallback queue\"."
            )
        }
        md.line()
        if r.compliance.policies.isEmpty {
            md.line("_No hand-off in the period, so no compliance rate._")
            md.line()
        } else {
            md.table(
                ["policy", "target (business h)", "compliance (95 % Wilson CI)", "pending", "untouched past target"],
                r.compliance.policies.map {
                    [$0.name, SpeedBuckets.format($0.targetHours), $0.compliance.formatted, "\($0.pending)", "\($0.untouchedMissed)"]
                })
        }
        let escalations = r.compliance.escalations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        let voided = r.compliance.voidedEscalations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        md.line(
            "- Hand-offs with a breached SLA timer: \(r.compliance.breachedTimers). Escalation steps fired: \(escalations.isEmpty ? "none" : escalations.joined(separator: ", "))."
                + (voided.isEmpty
                    ? "" : " Fired, then voided by a first touch made before them that arrived late: \(voided.joined(separator: ", ")).")
        )
        md.line()
        md.table(["week", "leads contacted within SLA (95 % Wilson CI)"], r.trend.map { [$0.week, $0.compliance.formatted] })
        chart("sla-trend.svg")

        md.line("## Fallback queue")
        md.line()
        let p = r.parking
        if p.total.parked == 0 {
            md.line("No lead was parked in a fallback queue in this period.")
            md.line()
        } else {
            md.line(
                "Leads parked in a fallback queue: nobody could take them and the router raised an alert. A routing or capacity failure, not a rep's SLA miss. Hours parked are clock hours until the lead left the queue, else until the as-of time."
            )
            md.line()
            md.table(
                ["queue", "parked", "at hand-off", "still parked", "later assigned to a rep", "median time parked", "longest parked"],
                (p.queues + (p.queues.count > 1 ? [p.total] : [])).map { q in
                    [
                        q.name, "\(q.parked)", "\(q.atHandoff)", "\(q.stillParked)", "\(q.laterAssigned)", NumberFormat.hours(q.medianHours),
                        NumberFormat.hours(q.maxHours),
                    ]
                })
        }

        md.line("## Funnel (lead → MQL → SQL → opportunity → won)")
        md.line()
        md.line(
            "Cohorts by lead creation: this period's leads first, then earlier months. A stage counts as reached when it or a later stage was recorded; `recorded` is how many carry the stage's own timestamp. Days to next = median over leads with both timestamps."
        )
        md.line()
        for cohort in r.funnel {
            md.line("Cohort \(cohort.cohort):")
            md.line()
            if cohort.stages.first?.reached == 0 {
                md.line("_no leads created_")
                md.line()
                continue
            }
            md.table(
                ["stage", "reached", "recorded", "conversion to next (95 % CI)", "median days to next (n)"],
                cohort.stages.map { s in
                    [
                        s.stage.rawValue, "\(s.reached)", "\(s.recorded)", s.conversionToNext?.formatted ?? "—",
                        s.stage == .won ? "—" : "\(NumberFormat.days(s.medianDaysToNext)) (\(s.velocitySample))",
                    ]
                })
            let revenue = cohort.attributedRevenue.sorted { $0.key < $1.key }.map { "\($0.key) \(MoneyText.major($0.value))" }
            md.line(
                "MQL → won median: \(NumberFormat.days(cohort.medianDaysMQLToWon)). Revenue attributed to marketing-sourced leads: \(revenue.isEmpty ? "none" : revenue.joined(separator: ", ")) from \(cohort.attributedWins) won deal(s)."
            )
            md.line()
        }
        chart("funnel.svg")

        md.line("## Dispositions")
        md.line()
        let d = r.dispositions
        md.line("\(d.dispositioned) of \(d.handoffs) hand-offs of the period have a disposition (latest per lead).")
        md.line()
        if !d.codes.isEmpty { md.table(["code", "share of dispositions (95 % CI)"], d.codes.map { [$0.code, $0.share.formatted] }) }
        md.line(
            "Chi-square tests of independence (categories and codes with fewer than \(c.minimumCategoryCount) pooled as (other); cells flagged when |adjusted residual| exceeds the Bonferroni cut-off at α = \(c.alpha)):"
        )
        md.line()
        md.table(
            ["grouping", "table", "X²", "df", "p", "note"],
            d.groupings.map { g in
                [
                    g.name, "\(g.categories.count) × \(g.codes.count)", g.test.statistic.map { NumberFormat.fixed($0, 2) } ?? "—",
                    "\(g.test.degreesOfFreedom)",
                    g.test.pValue.map { String(format: "%.3g", $0) } ?? "—",
                    ReviewReport.dispositionTestNote(g.test, dispositioned: d.dispositioned, configuration: c),
                ]
            })
        if d.patterns.isEmpty {
            md.line("No disposition pattern is beyond chance.")
        } else {
            md.table(
                ["grouping", "category", "code", "in category", "elsewhere", "adjusted residual"],
                d.patterns.map {
                    [$0.grouping, $0.category, $0.code, $0.inCategory.formatted, $0.elsewhere.formatted, NumberFormat.fixed($0.adjustedResidual, 2)]
                })
        }
        md.line()
        chart("dispositions.svg")

        md.line("## Does speed pay?")
        md.line()
        md.line("**\(ReviewReport.speedPaysVerdict(r.speedPays, configuration: c))**")
        md.line()
        md.line(
            "Cochran–Mantel–Haenszel analysis stratified by score band: the Mantel–Haenszel common odds ratio of winning for hand-offs first touched within \(r.speedPays.fastWithinHours.map { SpeedBuckets.format($0) } ?? "—") h of business time against those touched later or never, its Robins–Breslow–Greenland 95 % interval, and the CMH chi-square test (1 df, continuity-corrected). A verdict needs at least \(c.speedPaysMinimumMatured) matured, scored hand-offs, \(c.speedPaysMinimumPerGroup) in each group."
        )
        md.line()
        md.line(
            "Won rate by speed-to-contact bucket within each score band, over \(r.speedPays.matured) matured hand-offs (won or lost, or handed off at least \(c.maturityDays) days before the as-of time)."
        )
        md.line()
        let sp = r.speedPays
        md.table(
            ["score band"] + sp.buckets,
            sp.bands.map { band in [band] + sp.buckets.map { sp.cell(band: band, bucket: $0)?.conversion.formatted ?? "—" } })
        chart("speed-by-band.svg")

        md.line("## Production score vs conversion")
        md.line()
        let s = r.scoreBands
        if let note = s.note {
            md.line("_\(note)._")
            md.line()
        }
        if !s.bands.isEmpty {
            md.line(
                "Ten equal-size bands by rank of the production score over matured leads, band 1 the highest scores (as in `baton validate`); overall won rate \(s.overall.formatted)."
            )
            md.line()
            md.table(
                ["band", "probability range", "mean predicted", "won (95 % CI)", "flag"],
                s.bands.map { b in
                    [
                        "\(b.band)", "\(NumberFormat.fixed(b.minimumProbability, 3))–\(NumberFormat.fixed(b.maximumProbability, 3))",
                        NumberFormat.percent(b.meanPredicted), b.conversion.formatted, b.highScoreLowConversion ? "high score, low conversion" : "",
                    ]
                })
        }

        md.line()
        distributionSection(r.distribution, into: &md)

        md.line()
        md.line("## What was said, by outcome")
        md.line()
        let t = r.trackers
        let compared = "\(t.wonLeads) won and \(t.lostLeads) lost leads with captured conversations"
        if !t.isShown {
            md.line("_Not compared: \(compared); the comparison needs at least \(t.minimum) of each._")
        } else if t.rows.isEmpty {
            md.line("_No tracker of the playbook matched the conversations of the \(compared)._")
        } else {
            md.line(
                "Share of the \(compared) whose conversations mentioned each tracker (any interaction, any time), with Wilson 95 % intervals. A difference is a pattern to look into, not a cause."
            )
            md.line()
            md.table(
                ["tracker", "category", "mentioned: won leads", "mentioned: lost leads"],
                t.rows.map { [$0.tracker, $0.category, $0.won.formatted, $0.lost.formatted] })
        }
    }
}

extension ReviewReport {
    /// The disposition table's note: the cut-off of a test that ran, else why it did not and what it needs.
    /// "Why the distribution is uneven": each rep's share of the router's leads against their
    /// weight's share, with the turns they lost and the reasons they were skipped.
    package static func distributionSection(_ d: RoutingDistribution, into md: inout MarkdownWriter) {
        md.line("## Why the distribution is uneven")
        md.line()
        guard d.assigned > 0 else {
            md.line(
                "No lead was placed with a rep by the router in this period\(d.queued > 0 ? " (\(d.queued) parked in a queue)" : "")."
                    + " The distribution is read from the decision ledger, which records routing from the version that added it on.")
            return
        }
        md.line(
            "From the decision ledger: the \(d.assigned) leads the router placed with a rep this period\(d.queued > 0 ? " (and \(d.queued) it parked in a queue)" : ""), each rep's share against their weight's share of the roster, and what kept them from more. Assignments by hand and hand-backs are not the router's and are left out."
        )
        md.line()
        func reasons(_ skipped: [String: Int]) -> String {
            skipped.isEmpty ? "—" : skipped.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        md.table(
            ["rep", "weight (share)", "leads (share)", "of them by account rules", "lost the turn", "skipped because"],
            d.rows.map { row in
                [
                    row.repID, "\(row.weight) (\(NumberFormat.percent(row.weightShare)))",
                    "\(row.assigned) (\(d.share(row).map { NumberFormat.percent($0) } ?? "—"))", "\(row.byAccountRule)", "\(row.passedOver)",
                    reasons(row.skipped),
                ]
            })
        // The largest gaps, each with the skip reason that explains most of it.
        let gaps = d.rows.compactMap { row -> (RoutingDistribution.Row, Double)? in
            guard let share = d.share(row) else { return nil }
            return (row, share - row.weightShare)
        }.filter { abs($0.1) >= 0.05 }.sorted { abs($0.1) > abs($1.1) }.prefix(3)
        for (row, gap) in gaps {
            let top = row.skipped.max { ($0.value, $1.key) < ($1.value, $0.key) }
            let why =
                gap < 0
                ? (top.map { "most often skipped for \($0.key) (\($0.value) leads)" } ?? "lost \(row.passedOver) round-robin turns")
                : (row.byAccountRule > 0 ? "\(row.byAccountRule) leads came by account rules" : "others were skipped more often")
            md.line(
                "- \(row.repID): \(NumberFormat.percent(d.share(row) ?? 0)) of the leads against a weight share of \(NumberFormat.percent(row.weightShare)) (\(gap > 0 ? "+" : "−")\(NumberFormat.percent(abs(gap)))): \(why)."
            )
        }
        if !gaps.isEmpty { md.line() }
    }

    package static func dispositionTestNote(_ test: ContingencyTest, dispositioned: Int, configuration c: AnalyticsConfiguration) -> String {
        guard let reason = test.skipReason else { return String(format: "cut-off |r| > %.2f", test.residualCutoff) }
        if dispositioned == 0 { return "not tested: no hand-off of the period has a disposition" }
        let longer = "review a longer period with `baton review period --from … --to …`"
        if let needed = test.minimumTotal {
            return
                "not tested: \(reason); at these shares that takes about \(needed) dispositioned hand-offs (this period has \(dispositioned)): \(longer)"
        }
        return
            "not tested: \(reason), where a category or code with fewer than \(c.minimumCategoryCount) dispositioned hand-offs pools into (other): \(longer)"
    }

    /// The plain verdict on speed, with its uncertainty, e.g. "Leads contacted within 1 h converted more often: odds ratio 1.80
    /// (95 % CI 1.10–2.90, CMH p = 0.0213, 5 score band(s) with both groups and both outcomes, 412 matured hand-offs: 250
    /// contacted within 1 h, 162 later or never)."; "No evidence yet …" when the interval includes 1; "Not enough …" below the minimums.
    package static func speedPaysVerdict(_ sp: SpeedPays, configuration c: AnalyticsConfiguration) -> String {
        let within = "within \(sp.fastWithinHours.map { SpeedBuckets.format($0) } ?? "—") h"
        func figures(_ ci: String) -> String {
            let or = sp.test.oddsRatio.map { NumberFormat.fixed($0, 2) } ?? "—"
            let p = sp.test.pValue.map { String(format: "%.3g", $0) } ?? "—"
            return
                "odds ratio \(or) (95 % CI \(ci), CMH p = \(p), \(sp.test.informativeStrata) score band(s) with both groups and both outcomes, \(sp.matured) matured hand-offs: \(sp.fast) contacted \(within), \(sp.later) later or never)"
        }
        let ci = sp.test.confidenceInterval.map { "\(NumberFormat.fixed($0.lower, 2))–\(NumberFormat.fixed($0.upper, 2))" } ?? "—"
        switch sp.verdict {
        case let .tooFewMatured(have, need):
            return
                "Not enough matured hand-offs to judge whether speed pays (need \(need) matured and scored, have \(have)); review again when more outcomes are in."
        case let .tooFewInAGroup(fast, later, need):
            return
                "Not enough matured hand-offs to judge whether speed pays (need \(need) contacted \(within) and \(need) later or never; have \(fast) and \(later))."
        case .noEstimate:
            return
                "Not enough matured hand-offs to judge whether speed pays: the odds ratio would be 0 or infinite (no score band pairs a won lead contacted \(within) with a lost later one, or a lost fast lead with a won later one)."
        case .fasterConvertsMore:
            return "Leads contacted \(within) converted more often: \(figures(ci))."
        case .fasterConvertsLess:
            return "Leads contacted \(within) converted less often: \(figures(ci))."
        case .noEvidence:
            return "No evidence yet that speed pays: the interval includes 1, \(figures(ci))."
        }
    }
}

enum MoneyText {
    /// Minor units as major units with two decimals (the store's currencies here have exponent 2).
    static func major(_ minor: Int64) -> String {
        let sign = minor < 0 ? "-" : ""
        let a = minor.magnitude
        return "\(sign)\(a / 100).\(String(format: "%02d", Int(a % 100)))"
    }
}
