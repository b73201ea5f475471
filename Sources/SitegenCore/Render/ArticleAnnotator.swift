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
        // An event reported twice in one article gets its anchor (`id="e-…"`) at the first place only,
        // so every id is unique in the page.
        var anchored: Set<String> = []
        func takeAnchor(_ id: String) -> Bool { anchored.insert(id).inserted }
        for (blockIndex, list) in marks.sorted(by: { $0.key < $1.key }) {
            guard blockIndex >= 0, blockIndex < blocks.count, let pos = blocks[blockIndex].htmlSourcePos else { continue }
            let attr = "data-sourcepos=\"\(pos)\""
            // A list and its first item can share a source position (a one-item tight list): the
            // innermost element with it, the one that holds the text, is the last of a run of
            // consecutive elements with that position (only the next attribute needs a look).
            guard var attrRange = html[cursor...].range(of: attr) else { continue }
            while let next = html[attrRange.upperBound...].range(of: " data-sourcepos=\""),
                  html[html.index(after: next.lowerBound)...].hasPrefix(attr) {
                let start = html.index(after: next.lowerBound)
                attrRange = start..<html.index(start, offsetBy: attr.count)
            }
            guard let tagEnd = html[attrRange.upperBound...].firstIndex(of: ">") else { continue }
            let isRow = html[..<attrRange.lowerBound].hasSuffix("<tr ")
            out += html[cursor..<attrRange.lowerBound]
            out += "class=\"has-event\""
            out += html[attrRange.upperBound...tagEnd]
            var contentStart = html.index(after: tagEnd)
            // A table row holds only cells: what goes at its start goes into its first cell.
            if isRow, let cell = html[contentStart...].range(of: "data-sourcepos=\""),
               let cellEnd = html[cell.upperBound...].firstIndex(of: ">") {
                out += html[contentStart...cellEnd]
                contentStart = html.index(after: cellEnd)
            }
            // The element's own content reaches at most to the next block's source position.
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
                    // One sentence can report several events: the mark carries the first one's anchor,
                    // nested spans the others', so each `#e-…` highlights the sentence itself.
                    var ids: [String] = []
                    for m in group where takeAnchor(m.eventID) { ids.append(m.eventID) }
                    let open = ids.first.map { "<mark class=\"event\" id=\"e-\($0)\">" } ?? "<mark class=\"event\">"
                    let inner = ids.dropFirst().map { "<span class=\"event-alias\" id=\"e-\($0)\">" }.joined()
                    let close = String(repeating: "</span>", count: max(0, ids.count - 1)) + "</mark>"
                    let links = group.map { "<a class=\"event-link\" href=\"\(HTML.escape($0.permalink))\">\(HTML.escape($0.label))</a>" }.joined()
                    content.replaceSubrange(r, with: open + inner + escaped + close + links)
                } else {
                    unplaced += group
                }
            }
            // Sentences broken up by inline markup: the event's link, carrying its anchor, at the start
            // of the block instead.
            for m in unplaced {
                let id = takeAnchor(m.eventID) ? " id=\"e-\(m.eventID)\"" : ""
                out += "<a class=\"event-link\"\(id) href=\"\(HTML.escape(m.permalink))\">\(HTML.escape(m.label))</a>"
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
