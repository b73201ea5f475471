/// `sitemap.xml` (sitemaps.org 0.9) of every HTML page but the 404 page, and `robots.txt`
/// pointing at it. Locations are absolute (base_url + path) and percent-encoded.
///
/// The protocol allows at most 50,000 URLs and 50 MB (uncompressed) per sitemap file. A site
/// within both limits gets one plain `sitemap.xml`; a larger one gets `sitemap-1.xml`,
/// `sitemap-2.xml`, … (each within the limits, pages in the same order) and `sitemap.xml` becomes
/// a sitemap index listing them, so robots.txt and crawlers keep using the one address.
enum SitemapExport {
    /// Most URLs one sitemap file may list (sitemaps.org).
    static let maxURLsPerFile = 50_000
    /// Most bytes one sitemap file may have, uncompressed (sitemaps.org: 50 MB = 52,428,800 bytes).
    static let maxBytesPerFile = 52_428_800

    static let xmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    static let urlsetOpen = "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    static let urlsetClose = "</urlset>\n"

    /// `sitemap.xml`, and the numbered parts when the pages do not fit in one file. The limits
    /// are parameters so tests can split a small site. The urlsets are made while they are
    /// written (a 160,000-page site held them, and each page's `<url>` text, at once: ~60 MB).
    static func files(_ r: SiteRenderer, pages: [String], maxURLs: Int = maxURLsPerFile,
                      maxBytes: Int = maxBytesPerFile) -> [OutputFile] {
        let parts = partition(entries(r, pages: pages), maxURLs: maxURLs, maxBytes: maxBytes)
        if parts.count <= 1 {
            let entries = parts.first?.entries ?? []
            return [OutputFile(path: "sitemap.xml") { urlset(r, entries, into: &$0, drain: $1) }]
        }
        var out = [OutputFile(path: "sitemap.xml", text: index(r, parts: parts))]
        for (k, part) in parts.enumerated() {
            out.append(OutputFile(path: partPath(k + 1)) { urlset(r, part.entries, into: &$0, drain: $1) })
        }
        return out
    }

    /// The file name of part `n` (from 1).
    static func partPath(_ n: Int) -> String { "sitemap-\(n).xml" }

    /// One page of the sitemap, in page order, with its last modification if known and the size
    /// of its `<url>` element (to split the parts before any is written).
    struct Entry {
        var path: String
        var lastmod: CivilDate?
        var size: Int
    }

    static func entries(_ r: SiteRenderer, pages: [String]) -> [Entry] {
        let lastmod = lastModified(r)
        var out: [Entry] = []
        var seen: Set<String> = []
        var scratch: [UInt8] = []
        for path in pages where path.hasSuffix(".html") && path != "404.html" && seen.insert(path).inserted {
            let d = lastmod[path]
            scratch.removeAll(keepingCapacity: true)
            appendURL(r, path, d, to: &scratch)
            out.append(Entry(path: path, lastmod: d, size: scratch.count))
        }
        return out
    }

    /// A page's `<url>` element.
    static func appendURL(_ r: SiteRenderer, _ path: String, _ lastmod: CivilDate?, to out: inout [UInt8]) {
        out += "  <url>\n    <loc>".utf8
        out += XMLText.escape(r.absoluteURL(path)).utf8
        out += "</loc>\n".utf8
        if let d = lastmod { out += "    <lastmod>\(d.iso)</lastmod>\n".utf8 }
        out += "  </url>\n".utf8
    }

    struct Part {
        var entries: ArraySlice<Entry>
        /// The latest lastmod of its pages, for the index.
        var lastmod: CivilDate?
    }

    /// Consecutive runs of entries, each within `maxURLs` entries and `maxBytes` bytes once
    /// wrapped in a `<urlset>`. Always at least one part (empty for a site without pages).
    static func partition(_ entries: [Entry], maxURLs: Int, maxBytes: Int) -> [Part] {
        let frame = xmlHeader.utf8.count + urlsetOpen.utf8.count + urlsetClose.utf8.count
        var parts: [Part] = []
        var start = 0, bytes = frame
        var latest: CivilDate? = nil
        for (i, e) in entries.enumerated() {
            // A part is closed when this entry would break a limit; an entry is never left out,
            // even if alone it were bigger than maxBytes (a <loc> is at most a few KB).
            if i > start, i - start >= maxURLs || bytes + e.size > maxBytes {
                parts.append(Part(entries: entries[start..<i], lastmod: latest))
                start = i; bytes = frame; latest = nil
            }
            bytes += e.size
            if let d = e.lastmod, latest.map({ $0 < d }) ?? true { latest = d }
        }
        parts.append(Part(entries: entries[start...], lastmod: latest))
        return parts
    }

    static func urlset(_ r: SiteRenderer, _ entries: ArraySlice<Entry>, into out: inout [UInt8], drain: (inout [UInt8]) -> Void) {
        out += (xmlHeader + urlsetOpen).utf8
        for e in entries {
            appendURL(r, e.path, e.lastmod, to: &out)
            drain(&out)
        }
        out += urlsetClose.utf8
    }

    /// The sitemap index: one `<sitemap>` per part, with the absolute address of the part and the
    /// latest lastmod of its pages.
    static func index(_ r: SiteRenderer, parts: [Part]) -> String {
        var x = xmlHeader + "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for (k, part) in parts.enumerated() {
            x += "  <sitemap>\n    <loc>\(XMLText.escape(r.absoluteURL(partPath(k + 1))))</loc>\n"
            if let d = part.lastmod { x += "    <lastmod>\(d.iso)</lastmod>\n" }
            x += "  </sitemap>\n"
        }
        return x + "</sitemapindex>\n"
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
