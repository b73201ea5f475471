/// Machine-readable exports. Hand-written JSON so key order and formatting are stable across
/// builds (byte-identical output), and every string goes through `JSONText.quote`.
enum DataExport {
    static func eventsJSON(_ r: SiteRenderer, into out: inout [UInt8], drain: (inout [UInt8]) -> Void) {
        // Each event is written as text, then its bytes go out (see `OutputFile.Producer`).
        func flush() {
            out.append(contentsOf: s.utf8)
            s.removeAll(keepingCapacity: true)
            drain(&out)
        }
        var s = "{\n  \"events\": ["
        for (i, e) in r.graph.events.enumerated() {
            s += i == 0 ? "\n    " : ",\n    "
            s += "{\"id\": \(JSONText.quote(e.id)), \"date\": \(JSONText.quote(e.date.string)), "
            s += "\"mod\": \(e.mod.map { JSONText.quote($0.rawValue) } ?? "null"), "
            s += "\"end\": \(e.end.map { JSONText.quote($0.string) } ?? "null"), "
            s += "\"precision\": \(JSONText.quote(e.date.precision.name)), "
            s += "\"title\": \(JSONText.quote(e.headline)), "
            s += "\"kind\": \(e.kind.map { JSONText.quote($0.rawValue) } ?? "null"), "
            s += "\"forecast\": \(e.isForecast), "
            s += "\"entities\": [\(e.entities.map(JSONText.quote).joined(separator: ", "))], "
            s += "\"implied_entities\": [\(e.impliedEntities.map(JSONText.quote).joined(separator: ", "))], "
            s += "\"carried_entities\": [\(e.carriedEntities.map(JSONText.quote).joined(separator: ", "))], "
            s += "\"mentions\": [\(e.mentions.map(JSONText.quote).joined(separator: ", "))], "
            s += "\"dates_disagree\": \(e.datesDisagree), "
            s += "\"permalink\": \(JSONText.quote(r.eventURL(e.id))), "
            s += "\"sources\": ["
            s += e.sources.map { src in
                var o = "{\"article\": \(JSONText.quote(src.articleSlug)), \"quote\": \(JSONText.quote(src.quote)), "
                o += "\"url\": \(JSONText.quote(r.articleURL(src.articleSlug) + "#e-" + e.id)), "
                o += "\"key\": \(JSONText.quote(src.key)), \"line\": \(src.line)"
                if let d = src.reportedDate { o += ", \"date\": \(JSONText.quote(d.string))" }
                if let a = src.actorSentence { o += ", \"actor_from\": \(JSONText.quote(a))" }
                return o + "}"
            }.joined(separator: ", ")
            s += "]}"
            flush()
        }
        s += "\n  ],\n  \"entities\": ["
        for (i, e) in r.graph.entities.enumerated() {
            s += i == 0 ? "\n    " : ",\n    "
            s += "{\"id\": \(JSONText.quote(e.id)), \"name\": \(JSONText.quote(e.name)), \"kind\": \(JSONText.quote(e.kind.rawValue)), "
            s += "\"aliases\": [\(e.aliases.map(JSONText.quote).joined(separator: ", "))], "
            s += "\"parent\": \(e.parent.map(JSONText.quote) ?? "null")"
            s += e.isProvisional ? ", \"provisional\": true}" : "}"
        }
        s += "\n  ],\n  \"articles\": ["
        for (i, a) in r.articles.enumerated() {
            s += i == 0 ? "\n    " : ",\n    "
            s += "{\"slug\": \(JSONText.quote(a.meta.slug)), \"title\": \(JSONText.quote(a.meta.title)), "
            s += "\"date\": \(JSONText.quote(a.meta.date.iso)), \"source\": \(a.meta.source.map(JSONText.quote) ?? "null"), "
            s += "\"source_url\": \(a.meta.sourceURL.map(JSONText.quote) ?? "null"), \"url\": \(JSONText.quote(r.articleURL(a.meta.slug)))}"
        }
        s += "\n  ]\n}\n"
        flush()
    }
}
