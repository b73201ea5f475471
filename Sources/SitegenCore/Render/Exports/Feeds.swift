/// The feeds: `atom.xml` (events, newest first), `articles.xml` (articles, newest first), and
/// `feed.json` (JSON Feed 1.1 of the events). Every link is absolute (base_url + path).
///
/// A feed is a window on what is new, not an archive: each carries only the newest
/// `config.feedLimit` entries (`feed_limit:` in site.yml, 100 by default), so its size does not
/// grow with the site. The whole record is in `data/events.json` and the other data exports.
enum Feeds {
    static let generator = "sitegen"

    /// The events a feed carries: the newest `feedLimit`, newest first (by the date they
    /// happened; ties in reverse timeline order, as `newestFirst`).
    static func events(_ r: SiteRenderer) -> [Int] { Array(r.newestFirst.prefix(r.config.feedLimit)) }

    /// The articles `articles.xml` carries: the newest `feedLimit` (`r.articles` is newest first).
    static func articles(_ r: SiteRenderer) -> ArraySlice<ParsedArticle> { r.articles.prefix(r.config.feedLimit) }

    // MARK: Atom (RFC 4287)

    static func eventsAtom(_ r: SiteRenderer) -> String {
        let order = events(r)
        // The feed changes when one of its entries does: the latest report of an entry it carries.
        let updated = order.map { r.reportedDates(r.graph.events[$0]).last }.max() ?? r.latestArticleDate
        var x = atomHead(r, title: "\(r.config.title)：事件", selfPath: "atom.xml", updated: updated)
        for i in order {
            let e = r.graph.events[i]
            let dates = r.reportedDates(e)
            let path = r.eventPath(e.id)
            x += "  <entry>\n"
            x += "    <id>\(XMLText.escape(r.feedID(path)))</id>\n"
            x += "    <title type=\"text\">\(XMLText.escape(r.dateText(e) + "：" + e.headline))</title>\n"
            x += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(XMLText.escape(r.absoluteURL(path)))\"/>\n"
            for a in r.sourceArticles(e) {
                x += "    <link rel=\"related\" type=\"text/html\" href=\"\(XMLText.escape(r.absoluteURL(r.articlePath(a.meta.slug), fragment: "e-" + e.id)))\" title=\"\(XMLText.escape(a.meta.title))\"/>\n"
                if let src = a.meta.sourceURL, isHTTP(src) {
                    x += "    <link rel=\"via\" href=\"\(XMLText.escape(src))\" title=\"\(XMLText.escape(a.meta.source ?? a.meta.title))\"/>\n"
                }
            }
            x += "    <published>\(ExportDate.rfc3339(dates.first))</published>\n"
            x += "    <updated>\(ExportDate.rfc3339(dates.last))</updated>\n"
            for entity in (e.entities + e.impliedEntities).compactMap({ r.graph.entityByID[$0] }) {
                x += "    <category term=\"\(XMLText.escape(entity.id))\" label=\"\(XMLText.escape(entity.name))\" scheme=\"\(XMLText.escape(r.absoluteURL("entities/")))\"/>\n"
            }
            if let q = e.sources.first?.quote { x += "    <summary type=\"text\">\(XMLText.escape(q))</summary>\n" }
            x += "    <content type=\"html\">\(XMLText.escape(r.eventHTML(e)))</content>\n"
            x += "  </entry>\n"
        }
        return x + "</feed>\n"
    }

    static func articlesAtom(_ r: SiteRenderer) -> String {
        // `r.articles` is already newest first (date, then slug, descending).
        let shown = articles(r)
        var x = atomHead(r, title: "\(r.config.title)：文章", selfPath: "articles.xml", updated: r.latestArticleDate)
        let slugs = Set(shown.map(\.meta.slug))
        var counts: [String: Int] = [:]
        for e in r.graph.events {
            for s in Set(e.sources.map(\.articleSlug)) where slugs.contains(s) { counts[s, default: 0] += 1 }
        }
        for a in shown {
            let path = r.articlePath(a.meta.slug)
            x += "  <entry>\n"
            x += "    <id>\(XMLText.escape(r.feedID(path)))</id>\n"
            x += "    <title type=\"text\">\(XMLText.escape(a.meta.title))</title>\n"
            x += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(XMLText.escape(r.absoluteURL(path)))\"/>\n"
            if let src = a.meta.sourceURL, isHTTP(src) {
                x += "    <link rel=\"via\" href=\"\(XMLText.escape(src))\"\(a.meta.source.map { " title=\"\(XMLText.escape($0))\"" } ?? "")/>\n"
            }
            x += "    <published>\(ExportDate.rfc3339(a.meta.date))</published>\n"
            x += "    <updated>\(ExportDate.rfc3339(a.meta.date))</updated>\n"
            for name in a.meta.authors { x += "    <author><name>\(XMLText.escape(name))</name></author>\n" }
            for tag in a.meta.tags { x += "    <category term=\"\(XMLText.escape(tag))\"/>\n" }
            if let s = a.meta.summary { x += "    <summary type=\"text\">\(XMLText.escape(s))</summary>\n" }
            var html = ""
            if let s = a.meta.summary { html += "<p>\(XMLText.escape(s))</p>" }
            html += "<p>"
            if let pub = a.meta.source { html += "\(XMLText.escape(pub))，" }
            html += "\(a.meta.date.iso)。本文记录了 \(counts[a.meta.slug] ?? 0) 个时间线事件。</p>"
            x += "    <content type=\"html\">\(XMLText.escape(html))</content>\n"
            x += "  </entry>\n"
        }
        return x + "</feed>\n"
    }

    static func atomHead(_ r: SiteRenderer, title: String, selfPath: String, updated: CivilDate) -> String {
        var x = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        x += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(XMLText.escape(r.config.language))\">\n"
        x += "  <id>\(XMLText.escape(r.feedID(selfPath)))</id>\n"
        x += "  <title type=\"text\">\(XMLText.escape(title))</title>\n"
        if !r.config.description.isEmpty { x += "  <subtitle type=\"text\">\(XMLText.escape(r.config.description))</subtitle>\n" }
        x += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(XMLText.escape(r.absoluteURL(selfPath)))\"/>\n"
        x += "  <link rel=\"alternate\" type=\"text/html\" href=\"\(XMLText.escape(r.absoluteURL("index.html")))\"/>\n"
        x += "  <updated>\(ExportDate.rfc3339(updated))</updated>\n"
        x += "  <author><name>\(XMLText.escape(r.config.author.isEmpty ? r.config.title : r.config.author))</name></author>\n"
        x += "  <generator>\(generator)</generator>\n"
        return x
    }

    static func isHTTP(_ s: String) -> Bool { s.hasPrefix("http://") || s.hasPrefix("https://") }

    // MARK: JSON Feed 1.1

    static func jsonFeed(_ r: SiteRenderer) -> String {
        let items: [JSONValue] = events(r).map { i in
            let e = r.graph.events[i]
            let dates = r.reportedDates(e)
            let path = r.eventPath(e.id)
            let external = r.sourceArticles(e).compactMap(\.meta.sourceURL).first(where: isHTTP)
            return .obj([
                ("id", .string(r.feedID(path))),
                ("url", .string(r.absoluteURL(path))),
                ("external_url", JSONValue.str(external)),
                ("title", .string(r.dateText(e) + "：" + e.headline)),
                ("content_html", .string(r.eventHTML(e))),
                ("summary", JSONValue.str(e.sources.first?.quote)),
                ("date_published", .string(ExportDate.rfc3339(dates.first))),
                ("date_modified", .string(ExportDate.rfc3339(dates.last))),
                ("tags", .array((e.entities + e.impliedEntities).compactMap { r.graph.entityByID[$0].map { .string($0.name) } })),
                ("_sitegen", .obj([
                    ("event_id", .string(e.id)), ("date", .string(e.date.string)),
                    ("precision", .string(e.date.precision.name)),
                    ("mod", e.mod.map { .string($0.rawValue) } ?? .null),
                    ("end", e.end.map { .string($0.string) } ?? .null),
                    ("display_date", .string(r.dateText(e))),
                ])),
            ])
        }
        let feed = JSONValue.obj([
            ("version", .string("https://jsonfeed.org/version/1.1")),
            ("title", .string("\(r.config.title)：事件")),
            ("home_page_url", .string(r.absoluteURL("index.html"))),
            ("feed_url", .string(r.absoluteURL("feed.json"))),
            ("description", r.config.description.isEmpty ? nil : .string(r.config.description)),
            ("language", .string(r.config.language)),
            ("authors", .array([.obj([("name", .string(r.config.author.isEmpty ? r.config.title : r.config.author))])])),
            ("items", .array(items)),
        ])
        return feed.pretty() + "\n"
    }
}
