import BatonSupport
import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffReviews
import Hummingbird
import ReportRendering

extension HandoffService {
    func addDashboardRoutes(to router: Hummingbird.Router<ServiceContext>) {
        // A browser cannot send a bearer header on navigation: `/dashboard?token=…` is exchanged
        // for an HttpOnly cookie by a same-origin POST (see DashboardSession), then the clean URL.
        router.get("/dashboard") { request, context in
            if let token = request.uri.queryParameters.get("token") {
                let verdict = DashboardSession.isWellFormed(token) ? try await self.tokens.check(token, at: self.now()) : .unknown
                let entry = try BearerAuthMiddleware.accepted(verdict, unknown: "the dashboard link's token")
                let week = try request.uri.queryParameters.get("week").map { w in
                    _ = try self.dashboardPeriod(w)
                    return w
                }
                var other: String?
                if let current = DashboardSession.cookieToken(request), current != token {
                    other = try await self.tokens.authenticate(current, at: self.now())?.name
                }
                let nonce = DashboardSession.nonce()
                let page = DashboardSession.exchangePage(token: token, week: week, signedInAs: other, tokenName: entry.name, nonce: nonce)
                return Response(
                    status: .ok, headers: DashboardSession.headers(contentType: "text/html; charset=utf-8", nonce: nonce),
                    body: .init(byteBuffer: ByteBuffer(string: page)))
            }
            _ = try context.require(.marketing, .sales, .salesManager)
            let fragmentParameter = request.uri.queryParameters.get("fragment")
            guard fragmentParameter == nil || fragmentParameter == "1" else {
                throw APIError.invalid("fragment", "must be 1 (the inner HTML only) or absent (the whole page)")
            }
            let period = try self.dashboardPeriod(request.uri.queryParameters.get("week"))
            let nonce = DashboardSession.nonce()
            let html = try await Dashboard(service: self).render(
                period: period, fragment: fragmentParameter == "1", nonce: nonce)
            return Response(
                status: .ok, headers: DashboardSession.headers(contentType: "text/html; charset=utf-8", nonce: nonce),
                body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        router.post("/dashboard/session") { request, context in
            guard DashboardSession.isSameOrigin(request) else {
                throw APIError(.forbidden, code: "cross_origin", message: "a dashboard session is only opened from this service's own page")
            }
            let fields = DashboardSession.formFields(try await request.bodyBytes(limit: 8192))
            guard let token = fields["token"] else { throw APIError.unauthorized("the form carries no token: open the dashboard link again") }
            let verdict = DashboardSession.isWellFormed(token) ? try await self.tokens.check(token, at: self.now()) : .unknown
            let entry = try BearerAuthMiddleware.accepted(verdict, unknown: "the token")
            guard [.marketing, .sales, .salesManager, .admin].contains(entry.role) else {
                throw APIError(
                    .forbidden, code: "forbidden", message: "a \(entry.role.rawValue) token cannot open the dashboard; use a marketing or sales token"
                )
            }
            var location = "/dashboard"
            if let week = fields["week"], !week.isEmpty {
                _ = try self.dashboardPeriod(week)
                location += "?week=\(week)"
            }
            let secure = self.tls != nil || request.headers[.xForwardedProto]?.lowercased() == "https" ? "; Secure" : ""
            return Response(
                status: .seeOther,
                headers: [
                    .location: location, .cacheControl: "no-store",
                    .setCookie:
                        "\(DashboardSession.cookieName)=\(token); Path=/dashboard; Max-Age=\(DashboardSession.cookieMaxAge); HttpOnly; SameSite=Strict\(secure)",
                ])
        }
    }

    func dashboardPeriod(_ week: String?) throws -> ReviewPeriod {
        let utc = TimeZone(identifier: "UTC") ?? .current
        guard let week else { return ReviewPeriod.containingWeek(now(), timeZone: utc) }
        do { return try ReviewPeriod.isoWeek(week, timeZone: utc) } catch {
            throw APIError.invalid("week", "`\(week)` is not an ISO week such as 2026-W10")
        }
    }
}

/// The live dashboard: the closed-loop measures for one ISO week (UTC; `?week=2026-W09` for
/// another) from the reviews, read with the playbook's working hours, SLA targets and
/// `sla.touches_from` as the flow applies them; open hand-offs and breaches from the store; charts
/// drawn twice (a wide and a phone-sized SVG, one shown by CSS width); and a script that refreshes
/// the numbers every 30 seconds. Every figure carries `data-metric` so tests (and scrapers) can read it.
struct Dashboard {
    let service: HandoffService

    func render(period: ReviewPeriod, fragment: Bool, nonce: String) async throws -> String {
        let asOf = service.now()
        var configuration = AnalyticsConfiguration()
        let engine = await service.runtime.current()
        configuration.use(engine.flow, name: URL(fileURLWithPath: service.configuration.playbook ?? "playbook.yaml").lastPathComponent)
        let data = try await ReviewLoader.load(store: service.store, period: period, trendWeeks: configuration.trendWeeks)
        let results = ReviewResults(data: data, period: period, asOf: asOf, configuration: configuration)
        let sla = try await service.slaState(rep: nil)
        let outbox = try await service.outboxHealth()
        let main = body(results, sla: sla, configuration: configuration, outbox: outbox)
        if fragment { return main }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="manifest" href="\(DashboardWebApp.manifestPath)">
            <link rel="icon" href="\(DashboardWebApp.iconPath)" type="image/svg+xml">
            <title>Baton hand-off dashboard — \(esc(period.label))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:0;padding:1rem;background:#f6f7f9;color:#1d2330}
            h1{font-size:1.3rem;margin:.2rem 0 1rem} h2{font-size:1rem;margin:0 0 .5rem}
            .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,19rem),1fr));gap:.8rem}
            .card{background:#fff;border-radius:.5rem;padding:.8rem;box-shadow:0 1px 2px #0002;min-width:0}
            .big{font-size:1.8rem;font-weight:600} .note{color:#5a6275;font-size:.8rem}
            table{border-collapse:collapse;width:100%;font-size:.85rem} td,th{padding:.2rem .4rem;text-align:left;border-bottom:1px solid #e3e6eb} td{overflow-wrap:anywhere} th{font-size:.8rem;hyphens:auto}
            td.n,th.n{text-align:right} svg{display:block;width:100%;height:auto} .wide{grid-column:1/-1}
            @media (min-width:60rem){.span2{grid-column:span 2}}
            .chart-narrow{display:none} @media (max-width:40rem){.chart-wide{display:none}.chart-narrow{display:block}}
            </style></head><body>
            <h1>Baton hand-offs · week \(esc(period.label)) <span class="note" id="as-of">as of \(EventTime.format(asOf))</span></h1>
            \(DashboardWebApp.subscribeLine(publicKey: service.push?.vapid?.publicKey))
            <main id="dashboard">\(main)</main>
            <p class="note">Another ISO week (UTC): add <code>?week=2026-W09</code> to the address.</p>
            <script nonce="\(nonce)">
            // Refresh the numbers without reloading the page (the cookie carries the token).
            setInterval(async () => {
              try {
                const r = await fetch(location.pathname + (location.search ? location.search + "&" : "?") + "fragment=1", {credentials: "same-origin"});
                if (r.ok) { document.getElementById("dashboard").innerHTML = await r.text(); document.getElementById("as-of").textContent = "as of " + new Date().toISOString(); }
              } catch (e) {}
            }, 30000);
            // Installable, and shows Web Push alerts (DashboardWebApp).
            if ("serviceWorker" in navigator) { navigator.serviceWorker.register("\(DashboardWebApp.workerPath)", {scope: "/dashboard"}).catch(() => {}); }
            \(service.push?.vapid == nil ? "" : DashboardWebApp.subscribeScript)
            </script>
            </body></html>
            """
    }

    func body(_ r: ReviewResults, sla: SLAState, configuration: AnalyticsConfiguration, outbox: [OutboxEndpointHealth] = []) -> String {
        func hours(_ h: Double?) -> String { h.map { String(format: "%.2f", $0) } ?? "–" }
        let compliance = r.compliance.overall
        var cards = """
            <section class="card"><h2>Hand-offs this week</h2><div class="big" data-metric="handoffs">\(r.handoffs.count)</div>
            <div class="note">qualified leads handed to sales in \(esc(r.period.label))</div></section>
            <section class="card"><h2>Speed to contact</h2><div class="big"><span data-metric="speed-median-hours">\(hours(r.speed.overall.median))</span> h</div>
            <div class="note">median business hours to first touch; p90 <span data-metric="speed-p90-hours">\(hours(r.speed.overall.p90))</span> h;
            <span data-metric="untouched">\(r.speed.overall.untouched)</span> not touched yet</div></section>
            <section class="card"><h2>SLA compliance</h2><div class="big" data-metric="sla-compliance">\(compliance.rate.map { String(format: "%.1f %%", 100 * $0) } ?? "–")</div>
            <div class="note" data-metric="sla-compliance-detail">\(esc(compliance.formatted))</div></section>
            <section class="card"><h2>Open now</h2><div class="big"><span data-metric="open-handoffs">\(sla.openHandoffs)</span> open</div>
            <div class="note"><span data-metric="open-breaches">\(sla.timers.breached)</span> in breach ·
            <span data-metric="running-timers">\(sla.timers.running)</span> SLA clocks running</div></section>
            """
        // SLA compliance per policy, and per rep beside their speed.
        var policyRows = ""
        for p in r.compliance.policies {
            policyRows +=
                "<tr><td>\(esc(p.name))</td><td class=n>\(hours(p.targetHours))</td><td data-metric=\"policy-\(esc(p.name))\">\(esc(p.compliance.formatted))</td></tr>"
        }
        var repRows = ""
        for g in r.speed.byRep {
            let within = r.compliance.byRep[g.key].map(\.formatted) ?? "–"
            repRows +=
                "<tr><td>\(esc(g.key))</td><td class=n data-metric=\"rep-\(esc(g.key))-handoffs\">\(g.handoffs)</td><td class=n>\(hours(g.median))</td><td class=n>\(g.untouched)</td><td data-metric=\"rep-\(esc(g.key))-sla\">\(esc(within))</td></tr>"
        }
        cards += """
            <section class="card"><h2>SLA by policy</h2><table><tr><th>policy</th><th class=n>target h</th><th>within target</th></tr>\(policyRows.isEmpty ? "<tr><td colspan=3 class=note>no hand-off judged yet</td></tr>" : policyRows)</table></section>
            <section class="card span2"><h2>Team and reps</h2><table><tr><th>rep</th><th class=n>hand-offs</th><th class=n>median h</th><th class=n>not touched</th><th>within SLA</th></tr>\(repRows.isEmpty ? "<tr><td colspan=5 class=note>no hand-off to a rep this week</td></tr>" : repRows)</table></section>
            """
        // Conversion by the production score's band (matured hand-offs), band 1 the highest scores.
        var bandRows = ""
        for b in r.scoreBands.bands {
            bandRows +=
                "<tr><td>\(b.band)\(b.highScoreLowConversion ? " ⚠" : "")</td><td class=n>\(String(format: "%.1f–%.1f %%", 100 * b.minimumProbability, 100 * b.maximumProbability))</td><td class=n>\(String(format: "%.1f %%", 100 * b.meanPredicted))</td><td data-metric=\"band-\(b.band)-conversion\">\(esc(b.conversion.formatted))</td></tr>"
        }
        let bandNote = r.scoreBands.note.map { "<p class=note>\(esc($0))</p>" } ?? ""
        cards += """
            <section class="card span2"><h2>Conversion by score band</h2><table><tr><th>band</th><th class=n>score</th><th class=n>predicted</th><th>won (matured)</th></tr>\(bandRows.isEmpty ? "<tr><td colspan=4 class=note>no matured hand-off yet (won, lost, or older than \(configuration.maturityDays) days)</td></tr>" : bandRows)</table>\(bandNote)</section>
            """
        // Funnel of the leads created this week and disposition patterns.
        var funnelRows = ""
        if let cohort = r.funnel.first {
            for s in cohort.stages {
                funnelRows +=
                    "<tr><td>\(s.stage.rawValue)</td><td class=n data-metric=\"funnel-\(s.stage.rawValue)\">\(s.reached)</td><td class=n>\(s.conversionToNext?.rate.map { String(format: "%.0f %%", 100 * $0) } ?? "–")</td></tr>"
            }
        }
        var dispositionRows = ""
        for c in r.dispositions.codes {
            dispositionRows +=
                "<tr><td>\(esc(c.code))</td><td class=n data-metric=\"disposition-\(esc(c.code))\">\(c.share.successes)</td><td class=n>\(c.share.rate.map { String(format: "%.0f %%", 100 * $0) } ?? "–")</td></tr>"
        }
        cards += """
            <section class="card"><h2>Funnel (leads created this week)</h2><table><tr><th>stage</th><th class=n>reached</th><th class=n>to next</th></tr>\(funnelRows)</table></section>
            <section class="card"><h2>Dispositions</h2><table><tr><th>code</th><th class=n>count</th><th class=n>share</th></tr>\(dispositionRows.isEmpty ? "<tr><td colspan=3 class=note>none this week</td></tr>" : dispositionRows)</table></section>
            """
        // Breaches open now.
        var breachRows = ""
        for b in sla.breaches {
            breachRows +=
                "<tr><td>\(esc(b.leadID))</td><td>\(esc(b.repID ?? "–"))</td><td>\(esc(b.policy))</td><td class=n>\(b.escalationStep)</td></tr>"
        }
        cards += """
            <section class="card wide"><h2>Open breaches</h2><table><tr><th>lead</th><th>rep</th><th>policy</th><th class=n>escalation step</th></tr>\(breachRows.isEmpty ? "<tr><td colspan=4 class=note>none</td></tr>" : breachRows)</table></section>
            """
        cards += deliveriesCard(outbox)
        cards += "<section class=\"card wide\" id=\"chart-trend\">\(trendChart(r, configuration))</section>"
        cards += "<section class=\"card wide\" id=\"chart-volume\">\(volumeChart(r))</section>"
        if let footnote = Proportion.smallSampleFootnote(for: cards) { cards += "<p class=note>\(esc(footnote))</p>" }
        return "<div class=\"grid\">\(cards)</div>"
    }

    /// A chart drawn for a laptop (720 units wide) and for a phone (360), so its text stays
    /// readable once the browser scales it to the card; CSS shows one of them.
    func twoWidths(_ draw: (ChartCanvas, String) throws(ChartError) -> String) -> String {
        do {
            let wide = try draw(ChartCanvas(), "wide")
            let narrow = try draw(ChartCanvas(width: 360, height: 300, fontSize: 12), "narrow")
            return "<div class=\"chart-wide\">\(wide)</div><div class=\"chart-narrow\">\(narrow)</div>"
        } catch {
            return "<p class=note>No chart: \(esc(error.description))</p>"
        }
    }

    func trendChart(_ r: ReviewResults, _ configuration: AnalyticsConfiguration) -> String {
        let values = r.trend.map { week -> BarValue in
            guard let rate = week.compliance.rate, let ci = week.compliance.interval else { return BarValue(.nan) }
            return BarValue(rate, lower: ci.lower, upper: ci.upper)
        }
        guard values.contains(where: { $0.value.isFinite }) else {
            return "<p class=note>No SLA trend yet: no hand-off could be judged in the last \(r.trend.count) weeks.</p>"
        }
        return twoWidths { canvas, size throws(ChartError) in
            var chart = BarChart(
                title: "First-touch SLA compliance by ISO week", subtitle: "95 % Wilson intervals",
                categories: r.trend.map(\.week), series: [BarSeries(name: "compliance", values: values)],
                valueAxis: .probability("Share touched within target"), categoryAxisLabel: "week",
                referenceLines: [ReferenceLine(value: configuration.complianceGoal, label: "goal")], canvas: canvas,
                identifier: "dash-trend-\(size)")
            chart.skippedValuesNote = "Weeks without a hand-off that could be judged are left blank."
            return try chart.render().svg
        }
    }

    func volumeChart(_ r: ReviewResults) -> String {
        guard let byRep = r.volume.first(where: { $0.dimension == .rep }), !byRep.rows.isEmpty else {
            return "<p class=note>No hand-offs this week yet.</p>"
        }
        return twoWidths { canvas, size throws(ChartError) in
            try BarChart(
                title: "Hand-offs this week by rep", categories: byRep.rows.map(\.key),
                series: [BarSeries(name: "hand-offs", values: byRep.rows.map { Double($0.count) })],
                orientation: .horizontal, valueAxis: ChartAxis(label: "hand-offs"), canvas: canvas, identifier: "dash-volume-\(size)"
            ).render().svg
        }
    }

    /// HTML escaping: the project's one XML/HTML escaper.
    func esc(_ s: String) -> String { xmlEscaped(s) }
}

extension Dashboard {
    /// Per-endpoint health of the outbox (issue 14): waiting, dead, the oldest waiting, the last
    /// delivery and failures in a row, so a dead CRM or channel shows on the page, not only in `/metrics`.
    func deliveriesCard(_ endpoints: [OutboxEndpointHealth]) -> String {
        func age(_ date: Date?) -> String {
            guard let date else { return "–" }
            let seconds = max(0, service.now().timeIntervalSince(date))
            func whole(_ x: Double) -> Int { x.clampedInt(.down, in: 0...Int.max) }
            switch seconds {
            case ..<120: return "\(whole(seconds)) s ago"
            case ..<7200: return "\(whole(seconds / 60)) min ago"
            case ..<172_800: return "\(whole(seconds / 3600)) h ago"
            default: return "\(whole(seconds / 86400)) d ago"
            }
        }
        var rows = ""
        for e in endpoints {
            let warn = e.dead > 0 || e.consecutiveFailures > 0 ? " ⚠" : ""
            let failing = e.consecutiveFailures > 0 ? "<br><span class=note>\(e.consecutiveFailures) failed in a row</span>" : ""
            rows +=
                "<tr><td>\(esc(e.endpoint))\(warn)\(failing)</td><td class=n data-metric=\"outbox-\(esc(e.endpoint))-waiting\">\(e.undelivered)</td><td class=n data-metric=\"outbox-\(esc(e.endpoint))-dead\">\(e.dead)</td><td>\(age(e.oldest))</td><td>\(age(e.lastDelivered))</td></tr>"
        }
        return """
            <section class="card wide" id="deliveries"><h2>Deliveries</h2><table><tr><th>endpoint</th><th class=n>waiting</th><th class=n>dead</th><th>oldest</th><th>last sent</th></tr>\(rows.isEmpty ? "<tr><td colspan=5 class=note>nothing sent yet</td></tr>" : rows)</table>
            <p class=note>Dead letter is kept until replayed: <code>GET /outbox?state=dead</code>, <code>POST /outbox/{id}/replay</code> (admin).</p></section>
            """
    }
}
