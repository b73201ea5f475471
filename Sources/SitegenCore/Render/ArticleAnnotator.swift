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
        // Works on the HTML's UTF-8 bytes with byte searches (TextSearch): Foundation's `range(of:)`
        // on `html[cursor...]` went through CFString and rebuilt the string's UTF-16 breadcrumbs,
        // about 2% of build CPU at 2,000 articles. Every search target is ASCII or a whole
        // sentence, so byte offsets always fall between scalars.
        TextSearch.withUTF8(html) { annotate(bytes: $0, blocks: blocks, marks: marks) }
    }

    private static let sourcePosAttr = Array(" data-sourcepos=\"".utf8)
    private static let sourcePosAttrValue = Array("data-sourcepos=\"".utf8)
    private static let sourcePosName = Array("data-sourcepos=".utf8)
    private static let hasEventClass = Array("class=\"has-event\"".utf8)
    private static let rowOpen = Array("<tr ".utf8)

    private static func annotate(bytes html: UnsafeBufferPointer<UInt8>, blocks: [TextBlock], marks: [Int: [Mark]]) -> String {
        // One pass over the HTML: blocks are in document order, so each search starts where the
        // previous one ended (searching from the top each time made long articles quadratic).
        var out: [UInt8] = []
        out.reserveCapacity(html.count + marks.count * 160)
        var cursor = 0
        // An event reported twice in one article gets its anchor (`id="e-…"`) at the first place only,
        // so every id is unique in the page.
        var anchored: Set<String> = []
        func takeAnchor(_ id: String) -> Bool { anchored.insert(id).inserted }
        for (blockIndex, list) in marks.sorted(by: { $0.key < $1.key }) {
            guard blockIndex >= 0, blockIndex < blocks.count, let pos = blocks[blockIndex].htmlSourcePos else { continue }
            let attr = Array("data-sourcepos=\"\(pos)\"".utf8)
            // A list and its first item can share a source position (a one-item tight list): the
            // innermost element with it, the one that holds the text, is the last of a run of
            // consecutive elements with that position (only the next attribute needs a look).
            guard var attrStart = TextSearch.firstOffset(of: attr, in: html, from: cursor) else { continue }
            while let next = TextSearch.firstOffset(of: sourcePosAttr, in: html, from: attrStart + attr.count),
                  TextSearch.hasPrefix(attr, in: html, at: next + 1) {
                attrStart = next + 1
            }
            let attrEnd = attrStart + attr.count
            guard let tagEnd = TextSearch.firstOffset(of: UInt8(ascii: ">"), in: html, from: attrEnd) else { continue }
            let isRow = attrStart >= rowOpen.count && TextSearch.hasPrefix(rowOpen, in: html, at: attrStart - rowOpen.count)
            out += html[cursor..<attrStart]
            out += hasEventClass
            out += html[attrEnd...tagEnd]
            var contentStart = tagEnd + 1
            // A table row holds only cells: what goes at its start goes into its first cell.
            if isRow, let cell = TextSearch.firstOffset(of: sourcePosAttrValue, in: html, from: contentStart),
               let cellEnd = TextSearch.firstOffset(of: UInt8(ascii: ">"), in: html, from: cell + sourcePosAttrValue.count) {
                out += html[contentStart...cellEnd]
                contentStart = cellEnd + 1
            }
            // The element's own content reaches at most to the next block's source position.
            let limit = TextSearch.firstOffset(of: sourcePosName, in: html, from: contentStart) ?? html.count
            var content = Array(html[contentStart..<limit])
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
                let found = TextSearch.withUTF8(escaped) { needle in
                    content.withUnsafeBufferPointer { TextSearch.firstOffset(of: needle, in: $0) }
                }
                if let at = found {
                    // One sentence can report several events: the mark carries the first one's anchor,
                    // nested spans the others', so each `#e-…` highlights the sentence itself.
                    var ids: [String] = []
                    for m in group where takeAnchor(m.eventID) { ids.append(m.eventID) }
                    let open = ids.first.map { "<mark class=\"event\" id=\"e-\($0)\">" } ?? "<mark class=\"event\">"
                    let inner = ids.dropFirst().map { "<span class=\"event-alias\" id=\"e-\($0)\">" }.joined()
                    let close = String(repeating: "</span>", count: max(0, ids.count - 1)) + "</mark>"
                    let links = group.map { "<a class=\"event-link\" href=\"\(HTML.escape($0.permalink))\">\(HTML.escape($0.label))</a>" }.joined()
                    content.replaceSubrange(at..<(at + escaped.utf8.count), with: (open + inner + escaped + close + links).utf8)
                } else {
                    unplaced += group
                }
            }
            // Sentences broken up by inline markup: the event's link, carrying its anchor, at the start
            // of the block instead.
            for m in unplaced {
                let id = takeAnchor(m.eventID) ? " id=\"e-\(m.eventID)\"" : ""
                out += "<a class=\"event-link\"\(id) href=\"\(HTML.escape(m.permalink))\">\(HTML.escape(m.label))</a>".utf8
            }
            out += content
            cursor = limit
        }
        out += html[cursor...]
        return out.withUnsafeBufferPointer { stripSourcePos(bytes: $0) }
    }

    static func stripSourcePos(_ html: String) -> String {
        TextSearch.withUTF8(html) { stripSourcePos(bytes: $0) }
    }

    /// The HTML without its ` data-sourcepos="…"` attributes.
    private static func stripSourcePos(bytes html: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(html.count)
        var rest = 0
        while let at = TextSearch.firstOffset(of: sourcePosAttr, in: html, from: rest) {
            out += html[rest..<at]
            let after = at + sourcePosAttr.count
            guard let close = TextSearch.firstOffset(of: UInt8(ascii: "\""), in: html, from: after) else { rest = after; break }
            rest = close + 1
        }
        out += html[rest...]
        return String(decoding: out, as: UTF8.self)
    }
}

public enum HTML {
    // Both escapes work on UTF-8 bytes: the characters they replace are ASCII, so a byte equal to
    // one of them is that character (never part of a multi-byte scalar). The check used to be
    // `utf8.contains(where:)` with a closure and the rebuild went scalar by scalar; the compiled
    // template renderer calls `escape` for every variable of every page (about 1% of build CPU).

    /// Escapes text the way cmark-gfm does in element content (no apostrophe escaping), so a
    /// sentence can be found verbatim in cmark's output.
    public static func escapeText(_ s: String) -> String {
        escaped(s, apostrophe: false)
    }

    /// Escapes text for HTML text and double- or single-quoted attributes alike.
    public static func escape(_ s: String) -> String {
        escaped(s, apostrophe: true)
    }

    /// Appends `escape(s)`'s UTF-8 to `out` without making the escaped string.
    static func appendEscaped(_ s: String, into out: inout [UInt8]) {
        TextSearch.withUTF8(s) { appendEscaped($0, apostrophe: true, into: &out) }
    }

    private static func escaped(_ s: String, apostrophe: Bool) -> String {
        TextSearch.withUTF8(s) { bytes -> String in
            // The apostrophe is in the first scan in both modes, as before: only the rebuild differs.
            guard bytes.contains(where: needsEscape) else { return s }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            appendEscaped(bytes, apostrophe: apostrophe, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    @inline(__always)
    private static func needsEscape(_ b: UInt8) -> Bool {
        b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27
    }

    private static let amp = Array("&amp;".utf8), lt = Array("&lt;".utf8), gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8), apos = Array("&#39;".utf8)

    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, apostrophe: Bool, into out: inout [UInt8]) {
        var run = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard needsEscape(b) else { continue }
            let replacement: [UInt8]
            switch b {
            case 0x26: replacement = amp
            case 0x3C: replacement = lt
            case 0x3E: replacement = gt
            case 0x22: replacement = quot
            default:
                guard apostrophe else { continue }
                replacement = apos
            }
            if run < i { out += UnsafeBufferPointer(rebasing: bytes[run..<i]) }
            out += replacement
            run = i + 1
        }
        if run < bytes.count { out += UnsafeBufferPointer(rebasing: bytes[run...]) }
    }
}
