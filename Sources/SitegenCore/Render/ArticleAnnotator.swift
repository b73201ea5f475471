/// Marks the extracted events inside an article's HTML: the sentence becomes a `<mark>` with the
/// event's anchor, followed by a link to the event on the timeline. Works on cmark's output with
/// `data-sourcepos`, which it strips afterwards.
struct ArticleAnnotator {
    struct Mark {
        var eventID: String
        var quote: String
        var label: String
        var permalink: String
    }

    static func annotate(html: String, blocks: [TextBlock], marks: [Int: [Mark]]) -> String {
        var out = html
        for (blockIndex, list) in marks.sorted(by: { $0.key < $1.key }) {
            guard blockIndex < blocks.count, let pos = blocks[blockIndex].htmlSourcePos else { continue }
            let attr = "data-sourcepos=\"\(pos)\""
            guard let attrRange = out.range(of: attr), let tagEnd = out[attrRange.upperBound...].firstIndex(of: ">") else { continue }
            // The element's own content reaches at most to the next block's source position.
            let contentStart = out.index(after: tagEnd)
            let limit = out[contentStart...].range(of: "data-sourcepos=")?.lowerBound ?? out.endIndex
            var content = String(out[contentStart..<limit])
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
                    let replacement = anchors + "<mark class=\"event\" id=\"e-\(group[0].eventID)\">" + escaped + "</mark>" + links
                    content.replaceSubrange(r, with: replacement)
                } else {
                    unplaced += group
                }
            }
            // Sentences broken up by inline markup: anchor at the start of the block instead.
            let prefix = unplaced.map {
                "<span class=\"event-anchor\" id=\"e-\($0.eventID)\"></span><a class=\"event-link\" href=\"\(HTML.escape($0.permalink))\">\(HTML.escape($0.label))</a>"
            }.joined()
            out.replaceSubrange(contentStart..<limit, with: prefix + content)
            // Recompute the attribute range (the string changed after it, not before).
            if let r = out.range(of: attr) { out.replaceSubrange(r, with: "class=\"has-event\"") }
        }
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
