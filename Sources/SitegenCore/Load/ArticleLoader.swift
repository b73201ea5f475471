import Foundation
import Yams

/// Reads `content/articles/*.md`: splits front matter from the body, validates the front matter
/// and reports every problem with its file and line.
public struct ArticleLoader: Sendable {
    /// Articles larger than this are refused: a 10 MB "article" is a pasted dump, not an article.
    public static let maxArticleBytes = 4 * 1024 * 1024

    public init() {}

    /// Loads one article file. `relativePath` is used in messages and to derive the slug.
    /// `memo`: front matter read by an earlier build, used when this file's bytes are the same;
    /// what is parsed here is recorded in it.
    public func load(data: Data, relativePath: String, memo: FrontMatterMemo? = nil) throws(Diagnostic) -> ArticleSource {
        let file = relativePath
        if data.isEmpty {
            throw Diagnostic(file: file, line: 1, message: "the file is empty",
                             hint: "add front matter (---, title:, date:, ---) and the article text, or delete the file")
        }
        if data.count > Self.maxArticleBytes { throw Self.tooLarge(file: file, bytes: data.count) }
        if let nul = Self.firstNUL(data, within: 8192) {
            let before = data[data.startIndex..<nul]
            let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? data.startIndex
            let column = String(decoding: data[lineStart..<nul], as: UTF8.self).unicodeScalars.count + 1
            throw Diagnostic(file: file, line: line, column: column, message: "the file is binary (it contains NUL bytes), not Markdown text",
                             hint: "only put UTF-8 Markdown files in content/articles")
        }
        // Validated from the contiguous bytes: given `Data` itself, it went through Data's
        // byte-at-a-time iterator (1.5% of a one-article rebuild's CPU at 10,000 articles).
        guard var text = data.withUnsafeBytes({ String(validating: $0.bindMemory(to: UInt8.self), as: UTF8.self) }) else {
            let (line, column) = Self.firstInvalidUTF8(data)
            throw Diagnostic(file: file, line: line, column: column, message: "the file is not valid UTF-8",
                             hint: "re-save it as UTF-8 (e.g. `iconv -f GB18030 -t UTF-8`)")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }  // a BOM is harmless; drop it
        if text.utf8.contains(0x0D) {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        var h = StableHash()
        data.withUnsafeBytes { h.combine(bytes: $0) }
        let contentHash = h.value
        if let memo, let known = memo.lookup(path: relativePath, contentHash: contentHash,
                                             body: { Self.suffix(of: text, fromUTF8Offset: $0.bodyOffset) }) {
            return ArticleSource(meta: known.entry.meta, path: relativePath, body: known.body,
                                 bodyStartLine: known.entry.bodyStartLine, contentHash: contentHash)
        }

        let parts: FrontMatterSplit
        switch FrontMatterSplit.of(text) {
        case .success(let split): parts = split
        case .failure(.noOpening(let firstLine)):
            throw Diagnostic(file: file, line: 1, column: 1, message: "the article has no front matter",
                             excerpt: firstLine,
                             hint: "start the file with a line '---', then `title:` and `date:` lines, then '---'")
        case .failure(.neverClosed):
            throw Diagnostic(file: file, line: 1, column: 1, message: "the front matter is never closed",
                             excerpt: "---", hint: "add a line '---' after the last front matter field")
        }
        let yaml = parts.yaml, body = parts.body, closing = parts.closingLineIndex
        let doc = try YAMLDocument(file: file, text: yaml, lineOffset: 1)
        guard let root = doc.root, case .mapping(let map) = root else {
            throw doc.diagnostic(doc.root, "the front matter must be a mapping of fields (title:, date:, …)",
                                 hint: "write one `key: value` per line between the '---' lines")
        }
        func field(_ k: String) -> Node? { YAMLDocument.value(map, k) }

        guard let title = try doc.string(field("title"), key: "title"), !InlineSpace.isBlank(title) else {
            throw doc.diagnostic(field("title") ?? root, "the front matter has no `title`",
                                 hint: "add a line `title: \"…\"` to the front matter")
        }
        guard let dateText = try doc.string(field("date"), key: "date") else {
            throw doc.diagnostic(root, "the front matter has no `date`",
                                 hint: "add the publication date as `date: YYYY-MM-DD`")
        }
        guard let date = CivilDate(iso: InlineSpace.trimmed(dateText)) else {
            throw doc.diagnostic(field("date"), "'\(dateText)' is not a real date in the form YYYY-MM-DD",
                                 hint: "write the publication date as `date: 2024-05-15`")
        }
        var authors = try doc.strings(field("author"), key: "author")
        authors += try doc.strings(field("authors"), key: "authors")
        let sourceURL = try doc.string(field("source_url"), key: "source_url")
        if let url = sourceURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw doc.diagnostic(field("source_url"), "source_url '\(url)' is not an http(s) address",
                                 hint: "use the full address, starting with https://")
        }
        let slug = try Self.slug(for: relativePath, override: doc.string(field("slug"), key: "slug"), doc: doc, node: field("slug"))
        let meta = ArticleMeta(
            slug: slug, title: InlineSpace.trimmed(title), date: date,
            source: try doc.string(field("source"), key: "source"), sourceURL: sourceURL,
            authors: authors, summary: try doc.string(field("summary"), key: "summary"),
            tags: try doc.strings(field("tags"), key: "tags"))
        memo?.record(path: relativePath, contentHash: contentHash,
                     .init(meta: meta, bodyStartLine: closing + 2, bodyOffset: text.utf8.count - body.utf8.count))
        return ArticleSource(meta: meta, path: relativePath, body: body, bodyStartLine: closing + 2, contentHash: contentHash)
    }

    /// The text from a line start at UTF-8 `offset` on (the body, as the memo recorded it), or
    /// nil when `offset` is not at the start of a line of `text`.
    static func suffix(of text: String, fromUTF8Offset offset: Int) -> String? {
        let utf8 = text.utf8
        guard offset >= 0, offset <= utf8.count else { return nil }
        if offset == utf8.count { return "" }  // a file ending at its closing fence has no body
        let i = utf8.index(utf8.startIndex, offsetBy: offset)
        guard offset == 0 || utf8[utf8.index(before: i)] == 0x0A else { return nil }
        return String(text[i...])
    }

    /// The slug: from front matter `slug:` or the file name, reduced to a safe file name.
    static func slug(for path: String, override: String?, doc: YAMLDocument, node: Node?) throws(Diagnostic) -> String {
        let base = override ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let safe = SafeName.slug(base)
        if safe.isEmpty {
            throw doc.diagnostic(node, "cannot make a file name from '\(base)'",
                                 hint: "give the article a `slug:` of letters, digits and hyphens")
        }
        return safe
    }

    /// Offset of the first NUL byte among the first `limit` bytes (a binary file), if any.
    static func firstNUL(_ data: Data, within limit: Int) -> Data.Index? {
        data.withUnsafeBytes { raw -> Data.Index? in
            guard let base = raw.baseAddress else { return nil }
            guard let hit = memchr(base, 0, min(limit, raw.count)) else { return nil }
            return data.startIndex + (UnsafeRawPointer(hit) - base)
        }
    }

    static func tooLarge(file: String, bytes: Int) -> Diagnostic {
        Diagnostic(file: file, message: "the file is \(bytes / 1024) KiB, more than the \(maxArticleBytes / 1024 / 1024) MiB an article may have",
                   hint: "split it into several articles or remove pasted data")
    }

    static func firstInvalidUTF8(_ data: Data) -> (Int, Int) {
        var line = 1, column = 1
        var i = data.startIndex
        while i < data.endIndex {
            let b = data[i]
            let len = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            if len == 0 || i + len > data.endIndex || String(validating: data[i..<(i + len)], as: UTF8.self) == nil {
                return (line, column)
            }
            if b == 0x0A { line += 1; column = 1 } else { column += 1 }
            i += len
        }
        return (line, column)
    }
}

/// Turns arbitrary titles and ids into names that are safe as URL path segments and file names
/// on every common file system.
public enum SafeName {
    static let reserved: Set<String> = ["con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "lpt1", "lpt2", "lpt3", "assets", "data", "index"]

    public static func slug(_ s: String) -> String {
        var out = ""
        var lastHyphen = true
        for u in s.lowercased().unicodeScalars {
            if (u >= "a" && u <= "z") || (u >= "0" && u <= "9") {
                out.unicodeScalars.append(u)
                lastHyphen = false
            } else if u == "-" || u == "_" || u == " " || u == "." || u == "/" || u == "\\" {
                if !lastHyphen { out += "-"; lastHyphen = true }
            } else if ChineseText.isIdeograph(u) {
                // Keep CJK: modern browsers and servers handle UTF-8 paths, and a Chinese slug reads better than a hash.
                out.unicodeScalars.append(u)
                lastHyphen = false
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if out.count > 80 { out = String(out.prefix(80)) }
        if reserved.contains(out) { out += "-1" }
        return out
    }
}

/// The front matter and body of an article's text, split at the `---` lines.
///
/// Why bytes: splitting the whole text into `Character` lines and joining them again was most of
/// the load stage (perf at 10,000 articles: `split`, `joined` and Foundation's `trimmingCharacters`
/// on every line, 2.8 s of a 2.9 s stage). A line break is always a grapheme of its own, so byte
/// lines are the same lines.
struct FrontMatterSplit: Equatable {
    enum Problem: Error, Equatable {
        case noOpening(firstLine: String)
        case neverClosed
    }
    /// The lines between the two fences, joined by line breaks.
    var yaml: String
    /// Everything after the closing fence's line.
    var body: String
    /// Zero-based line number of the closing fence.
    var closingLineIndex: Int

    static func of(_ text: String) -> Result<FrontMatterSplit, Problem> {
        var text = text
        return text.withUTF8 { buf -> Result<FrontMatterSplit, Problem> in
            func lineEnd(_ from: Int) -> Int {
                guard from < buf.count, let base = buf.baseAddress,
                      let hit = memchr(base + from, 0x0A, buf.count - from) else { return buf.count }
                return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            }
            func string(_ from: Int, _ to: Int) -> String {
                to > from ? String(decoding: UnsafeBufferPointer(rebasing: buf[from..<to]), as: UTF8.self) : ""
            }
            let firstEnd = lineEnd(0)
            guard isFence(buf, 0, firstEnd) else { return .failure(.noOpening(firstLine: string(0, firstEnd))) }
            var lineIndex = 1
            var start = firstEnd + 1
            while start <= buf.count, firstEnd < buf.count {
                let end = lineEnd(start)
                if isFence(buf, start, end) {
                    let yamlStart = firstEnd + 1
                    let yaml = string(yamlStart, max(yamlStart, start - 1))
                    let body = end < buf.count ? string(end + 1, buf.count) : ""
                    return .success(FrontMatterSplit(yaml: yaml, body: body, closingLineIndex: lineIndex))
                }
                if end >= buf.count { break }
                start = end + 1
                lineIndex += 1
            }
            return .failure(.neverClosed)
        }
    }

    /// Whether the line is `---` once whitespace around it is trimmed. ASCII spaces and tabs are
    /// trimmed here; a line that also holds other bytes is judged by `InlineSpace`, which includes
    /// the Unicode spaces (U+3000 and others).
    static func isFence(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var a = from, b = to
        while a < b, buf[a] == 0x20 || buf[a] == 0x09 { a += 1 }
        while b > a, buf[b - 1] == 0x20 || buf[b - 1] == 0x09 { b -= 1 }
        if b - a == 3 { return buf[a] == 0x2D && buf[a + 1] == 0x2D && buf[a + 2] == 0x2D }
        guard b - a > 3, buf[a..<b].contains(where: { $0 >= 0x80 }) else { return false }
        let line = String(decoding: UnsafeBufferPointer(rebasing: buf[from..<to]), as: UTF8.self)
        return InlineSpace.trimmed(line) == "---"
    }
}
