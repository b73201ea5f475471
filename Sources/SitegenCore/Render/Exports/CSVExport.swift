/// `data/events.csv`: one row per event (RFC 4180: CRLF line ends, a header row, fields quoted
/// when they hold a comma, quote or line break, quotes doubled). UTF-8 without a byte-order mark.
enum CSVExport {
    static let header = ["id", "date", "precision", "mod", "end", "display_date", "headline", "kind", "forecast",
                         "entities", "entity_ids", "permalink", "articles", "source_urls"]

    static func events(_ r: SiteRenderer) -> String {
        var rows: [[String]] = [header]
        for e in r.graph.events {
            let ids = e.entities + e.impliedEntities
            let arts = r.sourceArticles(e)
            rows.append([
                e.id, e.date.string, e.date.precision.name, e.mod?.rawValue ?? "", e.end?.string ?? "",
                r.dateText(e), e.headline, e.kind?.rawValue ?? "", e.isForecast ? "true" : "false",
                ids.compactMap { r.graph.entityByID[$0]?.name }.joined(separator: "; "),
                ids.joined(separator: " "),
                r.absoluteURL(r.eventPath(e.id)),
                arts.map { r.absoluteURL(r.articlePath($0.meta.slug), fragment: "e-" + e.id) }.joined(separator: " "),
                arts.compactMap(\.meta.sourceURL).joined(separator: " "),
            ])
        }
        return rows.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
