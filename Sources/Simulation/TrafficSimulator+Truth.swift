import Foundation

extension SimulationRun {
    /// Per-lead answers: the speed effect and the per-period review figures.
    mutating func finish() {
        for (id, lead) in leads.sorted(by: { $0.key < $1.key }) {
            let within = firstTouchWithin[id]
            let won = wonLeads[id]
            if let within {
                if within {
                    truth.speedEffect.touchedWithinSLA += 1
                    if lead.wouldBuy { truth.speedEffect.wouldBuyWithinSLA += 1 }
                    if won != nil { truth.speedEffect.wonWithinSLA += 1 }
                } else {
                    truth.speedEffect.touchedLate += 1
                    if lead.wouldBuy { truth.speedEffect.wouldBuyLate += 1 }
                    if won != nil { truth.speedEffect.wonLate += 1 }
                }
            }
            if let won {
                period(lead.createdAt) { p in
                    p.cohortWon += 1
                    for money in won { p.cohortWonMinorUnits[money.currency, default: 0] += money.minorUnits }
                }
            }
            guard let first = firstHandoff[id] else {
                truth.leadsNeverHandedOff += 1
                if lead.wouldBuy { truth.speedEffect.wouldBuyNotHandedOff += 1 }
                continue
            }
            truth.leadsHandedOff += 1
            if lead.wouldBuy && within == nil { truth.speedEffect.wouldBuyUntouched += 1 }
            let met = within ?? false
            let parked = parkedAtFirstHandoff.contains(id)
            if !parked {
                if met {
                    truth.firstHandoffSLA[first.priority, default: .init()].met += 1
                } else {
                    truth.firstHandoffSLA[first.priority, default: .init()].missed += 1
                }
            }
            let code = latestDisposition[id]
            period(first.at) { p in
                p.handoffs += 1
                p.handoffsByPriority[first.priority, default: 0] += 1
                if parked {
                    p.parked += 1
                } else if met {
                    p.sla[first.priority, default: .init()].met += 1
                } else {
                    p.sla[first.priority, default: .init()].missed += 1
                }
                if let code { p.dispositionsByCode[code, default: 0] += 1 }
                if won != nil { p.won += 1 }
            }
        }
    }

    /// Applies `update` to the ISO week and the month (UTC) holding `date`.
    mutating func period(_ date: Date, _ update: (inout SimulationTruth.Period) -> Void) {
        let keys = Self.periodKeys(date)
        update(&truth.weeks[keys.week, default: .init()])
        update(&truth.months[keys.month, default: .init()])
    }

    static let utcISO: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar
    }()

    /// `2024-W03` and `2024-01` of an instant, in UTC.
    static func periodKeys(_ date: Date) -> (week: String, month: String) {
        let c = utcISO.dateComponents([.yearForWeekOfYear, .weekOfYear, .year, .month], from: date)
        return (
            String(format: "%04d-W%02d", c.yearForWeekOfYear ?? 0, c.weekOfYear ?? 0),
            String(format: "%04d-%02d", c.year ?? 0, c.month ?? 0)
        )
    }
}
