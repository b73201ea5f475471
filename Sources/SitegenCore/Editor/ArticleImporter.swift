import Foundation

/// An article converted by `sitegen import`: front matter fields, the Markdown body, and what the
/// importer inferred (said in YAML comments and printed by the command).
public struct ImportedArticle: Sendable {
    public enum Value: Sendable, Equatable {
        case text(String)
        case list([String])
        /// A list written one item a line (long items).
        case blockList([String])
        case mapping([(String, String)])

        public static func == (a: Value, b: Value) -> Bool {
            switch (a, b) {
            case (.text(let x), .text(let y)): return x == y
            case (.list(let x), .list(let y)), (.blockList(let x), .blockList(let y)): return x == y
            case (.mapping(let x), .mapping(let y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
            default: return false
            }
        }
    }

    public struct Field: Sendable, Equatable {
        public var key: String
        public var value: Value
        public var comment: String?
    }

    public var title: String
    /// Why the title is what it is, when the text has no title line.
    public var titleNote: String?
    public var date: DateClue
    public var source: String?
    public var sourceURL: String?
    public var sourceURLNote: String?
    public var authorTitle: String?
    public var authors: [String]
    public var summary: String?
    public var tags: [String]
    /// Further fields in front-matter order: column, issue, publisher, industries, key_events, colophon.
    public var extra: [Field]
    public var body: String
    /// What the editor should look at (printed as warnings).
    public var notes: [String]

    /// Extra fields that go before `source_url` (the masthead) and after `tags` (the rest).
    static let mastheadKeys: Set<String> = ["column", "issue", "publisher"]

    /// The whole file: front matter and body.
    public var markdown: String {
        var fm: [String] = []
        func line(_ key: String, _ value: String, _ comment: String? = nil) {
            fm.append("\(key): \(value)" + (comment.map { "  # " + YAMLText.comment($0) } ?? ""))
        }
        func field(_ f: Field) {
            switch f.value {
            case .text(let s): line(f.key, YAMLText.scalar(s), f.comment)
            case .list(let items): line(f.key, YAMLText.flowList(items), f.comment)
            case .blockList(let items):
                fm.append("\(f.key):" + (f.comment.map { "  # " + YAMLText.comment($0) } ?? ""))
                for i in items { fm.append("  - " + YAMLText.quoted(i)) }
            case .mapping(let pairs):
                fm.append("\(f.key):" + (f.comment.map { "  # " + YAMLText.comment($0) } ?? ""))
                for (k, v) in pairs { fm.append("  \(YAMLText.scalar(k)): \(YAMLText.scalar(v))") }
            }
        }
        line("title", YAMLText.quoted(title), titleNote)
        line("date", date.date.iso, date.explanation)
        if let source { line("source", YAMLText.scalar(source)) }
        for f in extra where Self.mastheadKeys.contains(f.key) { field(f) }
        if let sourceURL { line("source_url", YAMLText.scalar(sourceURL), sourceURLNote) }
        if let authorTitle { line("author_title", YAMLText.scalar(authorTitle)) }
        if authors.count == 1 { line("author", YAMLText.scalar(authors[0])) }
        if authors.count > 1 { line("author", YAMLText.flowList(authors)) }
        if let summary { line("summary", YAMLText.quoted(summary)) }
        line("tags", YAMLText.flowList(tags))
        for f in extra where !Self.mastheadKeys.contains(f.key) { field(f) }
        return "---\n" + fm.joined(separator: "\n") + "\n---\n\n" + body + (body.hasSuffix("\n") ? "" : "\n")
    }

    /// An ASCII file name: the Latin words of the title and the date, or the date and a short hash
    /// of the title when it has no Latin words.
    public var suggestedSlug: String {
        let words = title.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
            .filter { $0.contains(where: \.isLetter) }.prefix(6).map { $0.lowercased() }
        if words.joined().count >= 4 {
            return SafeName.slug(words.joined(separator: "-") + "-" + date.date.iso)
        }
        return date.date.iso + "-" + StableHash.hex(StableHash.of(title), digits: 6)
    }
}

/// `sitegen import`: raw article text as received — plain text with 标题/链接/总结/关键词 header
/// lines, PDF-extracted text with broken lines and page furniture, Markdown-ish text — into a
/// content article with front matter.
public enum ArticleImporter {
    /// Header lines of the plain-text format, and the front matter they fill.
    static let headerKeys = ["标题", "链接", "原文链接", "网址", "总结", "摘要", "关键词", "标签", "AI技术", "行业", "重大事件摘要",
                             "日期", "发布日期", "发布时间", "时间", "来源", "作者", "正文", "内容", "原文"]

    public static func convert(data: Data, fileName: String, today: CivilDate = NewArticle.today(),
                               givenDate: CivilDate? = nil) throws(Diagnostic) -> ImportedArticle {
        let text = try decode(data, file: fileName)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            // Trailing blanks (including the ideographic space) carry nothing; a blank line is blank.
            String(String.UnicodeScalarView(Array(line.unicodeScalars).reversed().drop(while: ImportText.isBlankScalar).reversed()))
        }
        guard let first = lines.firstIndex(where: { !$0.isEmpty }) else {
            throw Diagnostic(file: fileName, line: 1, message: "the file has only blank lines: there is nothing to import",
                             hint: "check that this is the article's text")
        }
        if lines[first] == "---" {
            throw Diagnostic(file: fileName, line: first + 1, message: "the file already has front matter: it is a content article, not raw text",
                             excerpt: lines[first], hint: "copy it into content/articles as it is, or remove the front matter to re-import it")
        }
        var draft: Draft
        if headerKey(lines[first]) != nil {
            draft = try HeaderFormat.read(lines, from: first, file: fileName)
        } else {
            draft = TextFormat.read(lines)
        }
        if draft.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw Diagnostic(file: fileName, line: first + 1, message: "there is no article text to import, only a title or header lines",
                             hint: "the text goes after the header lines, or in the 总结 line")
        }
        // The date: the command line, then what the document states, then the link, then the text.
        let clue: DateClue
        if let givenDate {
            clue = DateClue(kind: .given, date: givenDate, explanation: "given with --date")
        } else if let stated = draft.statedDate {
            clue = stated
        } else {
            let happening = ImportDating.latestHappening(draft.datingText, today: today)
            if var link = draft.sourceURL.flatMap(ImportDating.baijiahao) {
                if let h = happening { link.explanation += "; agrees with the " + h.explanation.replacingOccurrences(of: "inferred: ", with: "") }
                clue = link
            } else if let h = happening {
                clue = h
            } else {
                clue = DateClue(kind: .none, date: today, explanation: "no date in the text: today's date, check it")
                draft.notes.append("no date clue in the text: dated today (\(today.iso)); set `date:` or import with --date")
            }
        }
        if draft.title == nil {
            draft.title = ((fileName as NSString).lastPathComponent as NSString).deletingPathExtension
            draft.titleNote = "no title in the text: the file name"
            draft.notes.append("no title in the text: used the file name; edit `title:`")
        }
        if draft.tags.isEmpty { draft.notes.append("no 关键词 line: `tags:` left empty") }
        return ImportedArticle(
            title: draft.title!, titleNote: draft.titleNote, date: clue, source: draft.source, sourceURL: draft.sourceURL,
            sourceURLNote: draft.sourceURLNote, authorTitle: draft.byline?.role, authors: draft.byline?.names ?? [],
            summary: draft.summary, tags: draft.tags, extra: draft.extra, body: draft.body, notes: draft.notes)
    }

    /// Converts `file` and writes it into `folder` as `<slug>.md`; never replaces an existing file.
    public static func importFile(_ file: URL, into folder: URL, slug: String? = nil, today: CivilDate = NewArticle.today(),
                                  givenDate: CivilDate? = nil) throws(Diagnostic) -> (url: URL, article: ImportedArticle) {
        let name = file.relativePath
        guard let data = FileManager.default.contents(atPath: file.path) else {
            var isDir: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: file.path, isDirectory: &isDir)
            throw Diagnostic(file: name, message: exists ? (isDir.boolValue ? "is a folder, not a text file" : "cannot be read") : "no such file",
                             hint: exists ? "check the file's permissions" : "check the path")
        }
        let article = try convert(data: data, fileName: name, today: today, givenDate: givenDate)
        let url = try write(article, into: folder, slug: slug)
        return (url, article)
    }

    /// Writes the article as `<slug>.md` in `folder`; fails, naming the file, if it exists.
    public static func write(_ article: ImportedArticle, into folder: URL, slug: String? = nil) throws(Diagnostic) -> URL {
        let base = SafeName.slug(slug ?? article.suggestedSlug)
        guard !base.isEmpty else {
            throw Diagnostic(file: folder.path, message: "cannot make a file name from '\(slug ?? "")'",
                             hint: "give --slug letters, digits and hyphens")
        }
        let fm = FileManager.default
        do { try fm.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw Diagnostic(file: folder.path, message: "cannot create the folder: \(error.localizedDescription)")
        }
        let url = folder.appendingPathComponent(base + ".md")
        if fm.fileExists(atPath: url.path) {
            throw Diagnostic(file: url.path, message: "\(url.lastPathComponent) already exists; sitegen import never overwrites a file",
                             hint: "choose another name with --slug, or move the existing file away first")
        }
        do {
            // withoutOverwriting is O_EXCL: a file that appeared since the check is not replaced either.
            try Data(article.markdown.utf8).write(to: url, options: [.withoutOverwriting])
        } catch {
            throw Diagnostic(file: url.path, message: "cannot write the file: \(error.localizedDescription)",
                             hint: fm.fileExists(atPath: url.path) ? "the file appeared meanwhile; it was left as it is" : "check the folder's permissions")
        }
        return url
    }

    // MARK: reading

    static func decode(_ data: Data, file: String) throws(Diagnostic) -> String {
        if data.isEmpty {
            throw Diagnostic(file: file, message: "the file is empty: there is nothing to import",
                             hint: "check that this is the article's text")
        }
        if data.count > ArticleLoader.maxArticleBytes {
            throw Diagnostic(file: file, message: "the file is \(data.count / 1024) KiB, more than an article may have (\(ArticleLoader.maxArticleBytes / 1024 / 1024) MiB)",
                             hint: "split it into several articles")
        }
        if data.prefix(8192).contains(0) {
            throw Diagnostic(file: file, message: "the file is binary (it contains NUL bytes), not text",
                             hint: "extract the text first (e.g. `pdftotext -layout file.pdf`)")
        }
        guard var text = String(validating: data, as: UTF8.self) else {
            let (line, column) = ArticleLoader.firstInvalidUTF8(data)
            throw Diagnostic(file: file, line: line, column: column, message: "the file is not valid UTF-8",
                             hint: "convert it first (e.g. `iconv -f GB18030 -t UTF-8`)")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.contains("\r") {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        return text
    }

    /// The key and value of a header line 「标题: …」 / 「关键词：…」.
    static func headerKey(_ line: String) -> (key: String, value: String)? {
        for k in headerKeys where line.hasPrefix(k) {
            let rest = line.dropFirst(k.count).drop(while: { $0 == " " })
            guard let colon = rest.first, colon == ":" || colon == "：" else { continue }
            return (k, String(rest.dropFirst()).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Splits a keyword list: 「AI大模型, 群模时代」「旅游行业，智能校对领域」.
    static func splitList(_ s: String) -> [String] {
        s.split(whereSeparator: { ",，、;；|".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// What one of the formats yields before the date is decided.
struct Draft {
    var title: String?
    var titleNote: String?
    var statedDate: DateClue?
    var source: String?
    var sourceURL: String?
    var sourceURLNote: String?
    var byline: ImportText.Byline?
    var summary: String?
    var tags: [String] = []
    var extra: [ImportedArticle.Field] = []
    var body = ""
    /// The body's paragraphs as plain text, for dating.
    var datingText: [String] = []
    var notes: [String] = []
}

/// 「标题: …」「链接: …」「总结: …」「关键词: …」 lines, as article feeds deliver them.
enum HeaderFormat {
    static let multiLineKeys: Set<String> = ["总结", "摘要", "重大事件摘要", "正文", "内容", "原文"]

    static func read(_ lines: [String], from first: Int, file: String) throws(Diagnostic) -> Draft {
        var fields: [(key: String, lines: [String], line: Int)] = []
        // 总结, 重大事件摘要 and 正文 run on over several lines; after a one-line field, lines that
        // are no header are the article text.
        var loose: [String] = []
        for i in first..<lines.count {
            if let (k, v) = ArticleImporter.headerKey(lines[i]) {
                fields.append((k, [v], i + 1))
            } else if let last = fields.last, multiLineKeys.contains(last.key) {
                fields[fields.count - 1].lines.append(lines[i])
            } else {
                loose.append(lines[i])
            }
        }
        if !loose.joined().trimmingCharacters(in: .whitespaces).isEmpty, !fields.contains(where: { ["正文", "内容", "原文"].contains($0.key) }) {
            fields.append(("正文", loose, 0))
        }
        func value(_ keys: String...) -> (text: String, line: Int)? {
            guard let f = fields.first(where: { keys.contains($0.key) }) else { return nil }
            return (f.lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines), f.line)
        }
        var d = Draft()
        if let t = value("标题"), !t.text.isEmpty { d.title = t.text }
        if let u = value("链接", "原文链接", "网址"), !u.text.isEmpty {
            guard u.text.hasPrefix("http://") || u.text.hasPrefix("https://") else {
                throw Diagnostic(file: file, line: u.line, message: "the link '\(u.text)' is not an http(s) address",
                                 excerpt: lines[u.line - 1], hint: "write the full address, starting with https://")
            }
            d.sourceURL = u.text
        }
        if let s = value("日期", "发布日期", "发布时间", "时间"),
           let day = ImportDating.statedDate(s.text) ?? ImportDating.statedDate(String(s.text.split(separator: " ").first ?? "")) {
            d.statedDate = DateClue(kind: .stated, date: day, explanation: "stated in the header: 「\(s.text)」")
        }
        if let s = value("来源"), !s.text.isEmpty { d.source = s.text }
        if let a = value("作者"), !a.text.isEmpty { d.byline = ImportText.Byline(publication: nil, role: nil, names: ArticleImporter.splitList(a.text)) }
        var tags: [String] = []
        for k in ["关键词", "标签", "AI技术"] {
            for t in ArticleImporter.splitList(value(k)?.text ?? "") where !tags.contains(t) { tags.append(t) }
        }
        d.tags = tags
        if let ind = value("行业") {
            let items = ArticleImporter.splitList(ind.text)
            if !items.isEmpty { d.extra.append(.init(key: "industries", value: .list(items))) }
        }
        if let ev = value("重大事件摘要") {
            var items: [String] = []
            for line in ev.text.split(separator: "\n") {
                let t = line.trimmingCharacters(in: .whitespaces)
                let digits = t.prefix(while: \.isNumber)
                guard !digits.isEmpty, let mark = t.dropFirst(digits.count).first, ".、．)）".contains(mark) else { continue }
                items.append(t.dropFirst(digits.count + 1).trimmingCharacters(in: .whitespaces))
            }
            if items.isEmpty, !ev.text.isEmpty { items = [ev.text] }
            if !items.isEmpty { d.extra.append(.init(key: "key_events", value: .blockList(items))) }
        }

        // The body: a 正文 field, or the 总结 when it holds the whole article run together.
        let summaryText = value("总结", "摘要")?.text ?? ""
        let bodyText = value("正文", "内容", "原文")?.text ?? ""
        var pieces: [ImportText.Piece] = []
        if !bodyText.isEmpty {
            let t = TextFormat.read(bodyText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
            d.body = t.body
            d.datingText = t.datingText
            if d.byline == nil { d.byline = t.byline }
            if d.source == nil { d.source = t.source }
            if !summaryText.isEmpty { d.summary = summaryText }
        } else if !summaryText.isEmpty {
            var text = summaryText.replacingOccurrences(of: "\n", with: "")
            // Web-page furniture copied with the text.
            for tail in ["举报/反馈", "举报", "反馈"] where text.hasSuffix(tail) { text.removeLast(tail.count) }
            if let r = text.range(of: "来源：", options: .backwards) ?? text.range(of: "来源:", options: .backwards),
               text.distance(from: r.upperBound, to: text.endIndex) <= 20 {
                let name = text[r.upperBound...].trimmingCharacters(in: .whitespaces)
                if !name.isEmpty, d.source == nil { d.source = name }
                text = String(text[..<r.lowerBound])
            }
            if let (b, rest) = ImportText.runInByline(text) {
                if d.byline == nil { d.byline = b }
                if d.source == nil { d.source = b.publication }
                text = rest
            }
            text = ImportText.removeCJKSpaces(text)
            if text.count >= 300 {
                pieces = ImportText.restoreParagraphs(text)
                // The summary: the opening sentences.
                var lead = ""
                for s in ImportText.sentences(text) {
                    lead += s
                    if lead.count >= 60 { break }
                }
                d.summary = lead
            } else {
                pieces = [.paragraph(text)]
                d.summary = text
            }
            d.body = pieces.map { p in
                switch p {
                case .heading(let h): return "## " + h
                case .paragraph(let t): return t
                }
            }.joined(separator: "\n\n") + "\n"
            d.datingText = pieces.map { p in
                switch p {
                case .heading(let h): return h
                case .paragraph(let t): return t
                }
            }
        }
        if d.title == nil, let lead = TextFormat.leadTitle(d.datingText) {
            d.title = lead
            d.titleNote = "no title line: the opening clause of the text"
            d.notes.append("no 标题 line: the title is the opening clause of the text; edit `title:`")
        }
        return d
    }
}
