/// `data/timeline.json` in Knight Lab TimelineJS3's JSON format, so a newsroom can embed the
/// timeline with `new TL.Timeline('id', 'https://…/data/timeline.json')`.
///
/// Dates are broken into year/month/day only as far as the event's precision goes: a month event
/// has no day, a year event only a year; quarters, halves and weeks get a start and an end date
/// spanning the period. `display_date` carries the Chinese wording (「2024年8月底至9月」).
enum TimelineJSExport {
    static func json(_ r: SiteRenderer, into out: inout [UInt8], drain: (inout [UInt8]) -> Void) {
        func slide(_ e: TimelineEvent) -> JSONValue {
            let end: JSONValue? = {
                if let end = e.end { return dateObject(end, last: true) }
                switch e.date.unit {
                case .quarter, .half, .week: return dateObject(e.date, last: true)
                default: return nil
                }
            }()
            return .obj([
                ("unique_id", .string(e.id)),
                ("start_date", dateObject(e.date, last: false)),
                ("end_date", end),
                ("display_date", .string(r.dateText(e))),
                ("text", .obj([("headline", .string(e.headline)), ("text", .string(slideText(r, e)))])),
                ("group", JSONValue.str(r.mainEntity(e)?.name)),
                ("autolink", .bool(false)),
            ])
        }
        // Slides are made while the file is written, never all held at once.
        let events = JSONValue.generatedArray { yield in r.graph.events.forEach { e in yield(slide(e)) } }
        let years = Array(Set(r.graph.events.map(\.date.year))).sorted()
        let eras: [JSONValue] = years.map { y in
            .obj([
                ("start_date", .obj([("year", .int(y)), ("month", .int(1)), ("day", .int(1))])),
                ("end_date", .obj([("year", .int(y)), ("month", .int(12)), ("day", .int(31))])),
                ("text", .obj([("headline", .string("\(y)年"))])),
            ])
        }
        var titleText = r.config.description.isEmpty ? "" : "<p>\(XMLText.escape(r.config.description))</p>"
        titleText += "<p><a href=\"\(XMLText.escape(r.absoluteURL("index.html")))\">\(XMLText.escape(r.config.title))</a> · \(r.graph.events.count) 个事件，\(r.articles.count) 篇文章</p>"
        let doc = JSONValue.obj([
            ("title", .obj([
                ("unique_id", .string("title")),
                ("text", .obj([("headline", .string(r.config.title)), ("text", .string(titleText))])),
                ("autolink", .bool(false)),
            ])),
            ("events", events),
            ("eras", .array(eras)),
            ("scale", .string("human")),
        ])
        // One line per slide and era: the file grows by one line per event, not by one per field.
        doc.prettyFile(compactFrom: 2, into: &out, drain: drain)
    }

    /// A TimelineJS date object down to the period's precision; `last` picks the end of a
    /// quarter, half or week rather than its start.
    static func dateObject(_ v: TemporalValue, last: Bool) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("year", .int(v.year))]
        switch v.unit {
        case .year:
            break
        case .month(let m):
            pairs.append(("month", .int(m)))
        case .day(let m, let d):
            pairs += [("month", .int(m)), ("day", .int(d))]
        case .quarter, .half:
            let d = last ? v.lastDay : v.firstDay
            pairs = [("year", .int(d.year)), ("month", .int(d.month))]
        case .week:
            let d = last ? v.lastDay : v.firstDay
            pairs = [("year", .int(d.year)), ("month", .int(d.month)), ("day", .int(d.day))]
        }
        return .object(pairs)
    }

    /// The slide's HTML: the quoted sentences with their articles, and a link to the permalink.
    static func slideText(_ r: SiteRenderer, _ e: TimelineEvent) -> String {
        var h = ""
        for s in e.sources {
            h += "<p>“\(XMLText.escape(s.quote))”</p>"
            if let a = r.articleBySlug[s.articleSlug] {
                h += "<p>— <a href=\"\(XMLText.escape(r.absoluteURL(r.articlePath(a.meta.slug), fragment: "e-" + e.id)))\">\(XMLText.escape(a.meta.title))</a>"
                if let pub = a.meta.source { h += "，\(XMLText.escape(pub))" }
                h += "，\(a.meta.date.iso)</p>"
            }
        }
        h += "<p><a href=\"\(XMLText.escape(r.absoluteURL(r.eventPath(e.id))))\">事件页面</a></p>"
        return h
    }
}
