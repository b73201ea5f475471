/// `data/events.csv`: one row per event (RFC 4180: CRLF line ends, a header row, fields quoted
/// when they hold a comma, quote or line break, quotes doubled). UTF-8 without a byte-order mark.
enum CSVExport {
    static let header = ["id", "date", "precision", "mod", "end", "display_date", "headline", "kind", "forecast",
                         "entities", "entity_ids", "permalink", "articles", "source_urls"]

    static func events(_ r: SiteRenderer, into out: inout [UInt8], drain: (inout [UInt8]) -> Void) {
        func row(_ fields: [String]) {
            out.append(contentsOf: (fields.map(field).joined(separator: ",") + "\r\n").utf8)
            drain(&out)
        }
        row(header)
        for e in r.graph.events {
            let ids = e.entities + e.impliedEntities
            let arts = r.sourceArticles(e)
            row([
                e.id, e.date.string, e.date.precision.name, e.mod?.rawValue ?? "", e.end?.string ?? "",
                r.dateText(e), e.headline, e.kind?.rawValue ?? "", e.isForecast ? "true" : "false",
                ids.compactMap { r.graph.entityByID[$0]?.name }.joined(separator: "; "),
                ids.joined(separator: " "),
                r.absoluteURL(r.eventPath(e.id)),
                arts.map { r.absoluteURL(r.articlePath($0.meta.slug), fragment: "e-" + e.id) }.joined(separator: " "),
                arts.compactMap(\.meta.sourceURL).joined(separator: " "),
            ])
        }
    }

    static func field(_ s: String) -> String {
        // A field starting with = + - @ (or a tab or CR) is run as a formula by spreadsheets
        // (CSV injection): a leading apostrophe keeps it text.
        if let first = s.utf8.first, first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == 9 || first == 13 {
            return field("'" + s)
        }
        guard s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
