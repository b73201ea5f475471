/// Marks the extracted events inside an article's HTML: the sentence becomes a `<mark>` with the
/// event's anchor (`id="e-<event id>"`, once per page), followed by a link to the event's page.
/// Works on cmark's output with `data-sourcepos`, which it strips afterwards.
struct ArticleAnnotator {
    struct Mark {
        var eventID: String
        var quote: String
        var label: String
        var permalink: String
    }

    static func annotate(html: String, blocks: [TextBlock], marks: [Int: [Mark]]) -> String {
        // One pass over the HTML: blocks are in document order, so each search starts where the
        // previous one ended (searching from the top each time made long articles quadratic).
        var out = ""
        out.reserveCapacity(html.utf8.count + marks.count * 160)
        var cursor = html.startIndex
        for (blockIndex, list) in marks.sorted(by: { $0.key < $1.key }) {
            guard blockIndex >= 0, blockIndex < blocks.count, let pos = blocks[blockIndex].htmlSourcePos else { continue }
            let attr = "data-sourcepos=\"\(pos)\""
            guard let attrRange = html[cursor...].range(of: attr),
                  let tagEnd = html[attrRange.upperBound...].firstIndex(of: ">") else { continue }
            out += html[cursor..<attrRange.lowerBound]
            out += "class=\"has-event\""
            out += html[attrRange.upperBound...tagEnd]
            // The element's own content reaches at most to the next block's source position.
            let contentStart = html.index(after: tagEnd)
            let limit = html[contentStart...].range(of: "data-sourcepos=")?.lowerBound ?? html.endIndex
            var content = String(html[contentStart..<limit])
            var unplaced: [Mark] = []
            var byQuote: [String: [Mark]] = [:]
            var quoteOrder: [String] = []
            for m in list {
                if byQuote[m.quote] == nil { quoteOrder.append(m.quote) }
                byQuote[m.quote, default: []].append(m)
            }
            for quote in quoteOrder {
                let group = byQuote[quote]!
                let escaped = HTML.escapeText(quote)
                if let r = content.range(of: escaped) {
                    let anchors = group.dropFirst().map { "<span class=\"event-anchor\" id=\"e-\($0.eventID)\"></span>" }.joined()
                    let links = group.map { "<a class=\"event-link\" href=\"\(HTML.escape($0.permalink))\">\(HTML.escape($0.label))</a>" }.joined()
                    content.replaceSubrange(r, with: anchors + "<mark class=\"event\" id=\"e-\(group[0].eventID)\">" + escaped + "</mark>" + links)
                } else {
                    unplaced += group
                }
            }
            // Sentences broken up by inline markup: anchor at the start of the block instead.
            for m in unplaced {
                out += "<span class=\"event-anchor\" id=\"e-\(m.eventID)\"></span><a class=\"event-link\" href=\"\(HTML.escape(m.permalink))\">\(HTML.escape(m.label))</a>"
            }
            out += content
            cursor = limit
        }
        out += html[cursor...]
        return stripSourcePos(out)
    }

    static func stripSourcePos(_ html: String) -> String {
        var out = ""
        out.reserveCapacity(html.utf8.count)
        var rest = Substring(html)
        while let r = rest.range(of: " data-sourcepos=\"") {
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            guard let close = after.firstIndex(of: "\"") else { rest = after; break }
            rest = after[after.index(after: close)...]
        }
        out += rest
        return out
    }
}

public enum HTML {
    /// Escapes text the way cmark-gfm does in element content (no apostrophe escaping), so a
    /// sentence can be found verbatim in cmark's output.
    public static func escapeText(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Escapes text for HTML text and double- or single-quoted attributes alike.
    public static func escape(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
