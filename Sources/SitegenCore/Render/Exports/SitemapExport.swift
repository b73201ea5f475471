/// `sitemap.xml` (sitemaps.org 0.9) of every HTML page but the 404 page, and `robots.txt`
/// pointing at it. Locations are absolute (base_url + path) and percent-encoded.
enum SitemapExport {
    static func sitemap(_ r: SiteRenderer, pages: [String]) -> String {
        let lastmod = lastModified(r)
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        var seen: Set<String> = []
        for path in pages where path.hasSuffix(".html") && path != "404.html" && seen.insert(path).inserted {
            x += "  <url>\n    <loc>\(XMLText.escape(r.absoluteURL(path)))</loc>\n"
            if let d = lastmod[path] { x += "    <lastmod>\(d.iso)</lastmod>\n" }
            x += "  </url>\n"
        }
        return x + "</urlset>\n"
    }

    /// Last modification of the pages whose content comes from dated articles: the latest
    /// publication date among the articles they show.
    static func lastModified(_ r: SiteRenderer) -> [String: CivilDate] {
        var out: [String: CivilDate] = [:]
        func bump(_ path: String, _ d: CivilDate) { if out[path].map({ $0 < d }) ?? true { out[path] = d } }
        for a in r.articles {
            bump(r.articlePath(a.meta.slug), a.meta.date)
            bump("articles/index.html", a.meta.date)
            bump("index.html", a.meta.date)
        }
        for e in r.graph.events {
            let d = r.reportedDates(e).last
            bump(r.eventPath(e.id), d)
            bump(r.yearPath(e.date.year), d)
            for id in e.entities + e.impliedEntities { bump(r.entityPath(id), d) }
        }
        return out
    }

    static func robots(_ r: SiteRenderer) -> String {
        var s = "# robots.txt written by sitegen. Crawlers read it only at the root of a host: when the site\n"
        s += "# lives under a sub-path, copy the Sitemap line into the host's own robots.txt.\n"
        s += "User-agent: *\nAllow: /\n"
        s += "\nSitemap: \(r.absoluteURL("sitemap.xml"))\n"
        return s
    }
}
