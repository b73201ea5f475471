/// Article text as a document carries it — PDF-extracted or Markdown-ish: masthead, title,
/// byline, paragraphs broken by page and column breaks, page furniture at the end.
enum TextFormat {
    struct Unit {
        var lines: [String]
        var text: String { lines.joined(separator: "\n") }
    }

    enum Kind: Equatable {
        case heading(Int), prose, quote, list, caption, bold, verbatim
    }

    struct Block {
        var kind: Kind
        /// Markdown as written out, except headings: their text only.
        var text: String
        var isSingleLine: Bool { !text.contains("\n") }
    }

    /// Runs of non-blank lines.
    static func units(_ lines: [String]) -> [Unit] {
        var out: [Unit] = []
        var current: [String] = []
        for l in lines {
            if l.unicodeScalars.allSatisfy(ImportText.isBlankScalar) {
                if !current.isEmpty { out.append(Unit(lines: current)); current = [] }
            } else {
                current.append(l)
            }
        }
        if !current.isEmpty { out.append(Unit(lines: current)) }
        return out
    }

    static func atxHeading(_ line: String) -> (level: Int, text: String)? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        var t = line.dropFirst(hashes).trimmingCharacters(in: .whitespaces)
        while t.hasSuffix("#") { t.removeLast() }
        return (hashes, t.trimmingCharacters(in: .whitespaces))
    }

    static let chineseNumerals = Set("一二三四五六七八九十")

    /// 「一、大模型的内涵及特征」
    static func isNumberedHeading(_ s: String) -> Bool {
        let n = s.prefix(while: { chineseNumerals.contains($0) })
        return !n.isEmpty && s.dropFirst(n.count).first == "、" && s.count <= 40 && !s.contains("。")
    }

    /// 「（一）大模型的内涵」「(二) 大模型的特征」
    static func isSubNumberedHeading(_ s: String) -> Bool {
        guard let f = s.first, f == "（" || f == "(" else { return false }
        let n = s.dropFirst().prefix(while: { chineseNumerals.contains($0) })
        guard !n.isEmpty, let close = s.dropFirst(1 + n.count).first, close == "）" || close == ")" else { return false }
        return s.count <= 40 && !s.contains("。")
    }

    /// 「图 1 训练大模型“预训练+精调”模式」
    static func isCaption(_ s: String) -> Bool {
        guard s.hasPrefix("图") || s.hasPrefix("表") else { return false }
        let rest = s.dropFirst().drop(while: { $0 == " " })
        return rest.first?.isNumber == true && s.count <= 60 && !s.contains("。")
    }

    static let bullets = Set("◆●■▪•◇□▲★")

    static func listMarker(_ line: String) -> (indent: String, marker: String, content: String)? {
        let indent = String(line.prefix(while: { $0 == " " }))
        let rest = line.dropFirst(indent.count)
        if let f = rest.first, "-*+".contains(f), rest.dropFirst().first == " " {
            return (indent, String(f), String(rest.dropFirst(2)))
        }
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        if !digits.isEmpty, digits.count <= 3, let m = rest.dropFirst(digits.count).first, m == "." || m == ")",
           rest.dropFirst(digits.count + 1).first == " " {
            return (indent, String(digits) + String(m), String(rest.dropFirst(digits.count + 2)))
        }
        if let f = rest.first, bullets.contains(f) {
            return (indent, "-", String(rest.dropFirst()))
        }
        return nil
    }

    /// A list unit: bullet symbols dropped (「- ◆ 大模型…」), the name an item is about bolded
    /// (「1. 科大讯飞—星火：…」), and an item's bold title kept apart from the text under it.
    static func cleanList(_ lines: [String]) -> String {
        var out: [String] = []
        var i = 0
        while i < lines.count {
            guard let (indent, marker, raw) = listMarker(lines[i]) else {
                out.append(lines[i])
                i += 1
                continue
            }
            var content = String(raw.drop(while: { bullets.contains($0) || $0 == " " }))
            if !content.hasPrefix("**"), let colon = content.firstIndex(where: { $0 == "：" }) {
                let name = content[..<colon]
                if (2...16).contains(name.count), !ImportText.hasClausePunctuation(String(name)), !name.contains("*") {
                    content = "**\(name)**" + content[colon...]
                }
            }
            // A top-level item after nested lines: a blank line between them reads better.
            if indent.isEmpty, let previous = out.last, previous.first == " " { out.append("") }
            out.append(indent + marker + " " + content)
            let isBoldTitle = content.hasPrefix("**") && content.hasSuffix("**") && content.count > 4
                && !content.dropFirst(2).dropLast(2).contains("**")
            if isBoldTitle, i + 1 < lines.count, listMarker(lines[i + 1]) == nil, lines[i + 1].first == " " {
                out.append("")
                let width = indent.count + marker.count + 1
                out.append(String(repeating: " ", count: width) + lines[i + 1].trimmingCharacters(in: .whitespaces))
                i += 2
                continue
            }
            i += 1
        }
        return out.map { ImportText.hasClausePunctuation($0) ? ImportText.removeCJKSpaces($0) : $0 }.joined(separator: "\n")
    }

    static func classify(_ u: Unit) -> Block {
        let first = u.lines[0]
        let single = u.lines.count == 1
        if first.first == " " || first.first == "\t" {
            if listMarker(first) != nil { return Block(kind: .list, text: cleanList(u.lines)) }
            return Block(kind: .verbatim, text: u.text)
        }
        if single, let (level, text) = atxHeading(first) { return Block(kind: .heading(level), text: text) }
        if first.hasPrefix(">") { return Block(kind: .quote, text: u.text) }
        for label in ["编者按：", "编者按:", "编者的话："] where first.hasPrefix(label) {
            let rest = u.lines.map { $0 }.joined().dropFirst(label.count)
            return Block(kind: .quote, text: "> **\(label.dropLast())**：" + rest)
        }
        if listMarker(first) != nil { return Block(kind: .list, text: cleanList(u.lines)) }
        if single, first.hasPrefix("**"), first.hasSuffix("**"), first.count > 4 {
            let inner = String(first.dropFirst(2).dropLast(2))
            if !inner.contains("**"), isNumberedHeading(inner) { return Block(kind: .heading(3), text: inner) }
            return Block(kind: .bold, text: first)
        }
        if single, isCaption(first) { return Block(kind: .caption, text: first) }
        if single, isNumberedHeading(first) { return Block(kind: .heading(3), text: first) }
        if single, isSubNumberedHeading(first) { return Block(kind: .heading(4), text: first) }
        return Block(kind: .prose, text: u.lines.map { $0.trimmingCharacters(in: .whitespaces) }.reduce("") { $0.isEmpty ? $1 : ImportText.join($0, $1) })
    }

    // MARK: masthead and furniture

    static let organisationSuffixes = ["中心", "研究院", "研究所", "研究会", "委员会", "办公室", "办公厅", "协会", "学会", "大学", "学院", "集团", "公司", "局", "厅", "部", "署", "院", "社", "联盟"]
    static let colophonLabels = ["编辑部地址", "地址", "联系电话", "电话", "电子邮箱", "邮箱", "网址", "邮编", "传真", "主编", "责任编辑", "主办", "承办"]

    static func colophon(_ line: String) -> (String, String)? {
        let l = ImportText.removeCJKSpaces(line)
        for label in colophonLabels where l.hasPrefix(label) {
            let rest = l.dropFirst(label.count)
            guard let c = rest.first, c == "：" || c == ":" else { continue }
            var v = rest.dropFirst().trimmingCharacters(in: .whitespaces)
            if v.hasPrefix("<"), v.hasSuffix(">") { v = String(v.dropFirst().dropLast()) }
            return v.isEmpty ? nil : (label, v)
        }
        return nil
    }

    enum MastheadLine {
        case date(CivilDate, String), issue(String), column(String), organisation(String), other(String)
    }

    static func mastheadLine(_ raw: String) -> MastheadLine {
        let l = raw.trimmingCharacters(in: .whitespaces)
        if let d = ImportDating.statedDate(l) { return .date(d, l) }
        for label in ["日期：", "日期:", "发布日期：", "发布时间："] where l.hasPrefix(label) {
            if let d = ImportDating.statedDate(String(l.dropFirst(label.count))) { return .date(d, l) }
        }
        if l.contains("期"), l.contains("第"), l.contains(where: { $0.isNumber }) {
            // 「2023 年第 61 期 (总第 217 期)」: the brackets of a Chinese line are full-width.
            var s = l.replacingOccurrences(of: " (", with: "（").replacingOccurrences(of: "(", with: "（").replacingOccurrences(of: ")", with: "）")
            s = s.replacingOccurrences(of: " （", with: "（")
            return .issue(s)
        }
        if let f = l.first, let e = l.last, f == "(" || f == "（", e == ")" || e == "）" {
            return .column(String(l.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces))
        }
        if organisationSuffixes.contains(where: { l.hasSuffix($0) }), l.count >= 4 { return .organisation(l) }
        return .other(l)
    }

    /// A short line of a masthead or a title page: no sentence, no Markdown structure.
    static func isShortUnit(_ u: Unit) -> Bool {
        u.lines.allSatisfy { l in
            let t = l.trimmingCharacters(in: .whitespaces)
            return t.count <= 40 && !t.contains("。") && !t.contains("，") && !t.hasPrefix("#") && !t.hasPrefix(">")
                && listMarker(t) == nil && !t.hasPrefix("编者按") && !t.hasPrefix("**")
        }
    }

    static func isMastheadLike(_ u: Unit) -> Bool {
        u.lines.contains { l in
            switch mastheadLine(l) {
            case .date, .issue, .column, .organisation: return true
            case .other: return false
            }
        }
    }

    // MARK: reading

    static func read(_ lines: [String]) -> Draft {
        var us = units(lines)
        var d = Draft()
        var column: String?
        var brandAboveTitle = false
        var publisher: [String] = []

        // Title, and whatever stands above it (a column's masthead: 「ThinkBlue / 深蓝智库」).
        if let ti = us.prefix(8).firstIndex(where: { $0.lines.count == 1 && atxHeading($0.lines[0])?.level == 1 }),
           us[..<ti].allSatisfy(isShortUnit) {
            let heading = atxHeading(us[ti].lines[0])!.text
            d.title = heading.isEmpty ? nil : heading
            let above = us[..<ti].map { u in u.lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") }
            for l in above {
                switch mastheadLine(l) {
                case .date(let day, let text): d.statedDate = DateClue(kind: .stated, date: day, explanation: "stated above the title: 「\(text)」")
                case .issue(let s): d.extra.append(.init(key: "issue", value: .text(s)))
                case .column(let s), .other(let s): if column == nil { column = s; brandAboveTitle = true }
                case .organisation(let s): publisher.append(s)
                }
            }
            us.removeSubrange(...ti)
        } else {
            // A report's masthead: publication, (column), issue, organisations, date line.
            let k = us.prefix(while: isShortUnit).count
            let head = us[..<k].flatMap(\.lines).map(mastheadLine)
            let reportLike = head.contains { line in
                switch line {
                case .issue, .column, .organisation: return true
                case .date, .other: return false
                }
            }
            if k > 0, k < us.count, reportLike {
                for line in head {
                    switch line {
                    case .date(let day, let text): d.statedDate = DateClue(kind: .stated, date: day, explanation: "stated in the masthead: 「\(text)」")
                    case .issue(let s): d.extra.append(.init(key: "issue", value: .text(s)))
                    case .column(let s): column = column ?? s
                    case .organisation(let s): publisher.append(s)
                    case .other(let s): if d.source == nil { d.source = s } else if column == nil { column = s }
                    }
                }
                us.removeSubrange(..<k)
            } else if k > 0, k < us.count {
                // Plain text: the first short line is the title; a date line near it dates the article.
                var kept: [Unit] = []
                var seenText = false
                for u in us[..<k] {
                    if u.lines.count == 1, case .date(let day, let text) = mastheadLine(u.lines[0]) {
                        d.statedDate = DateClue(kind: .stated, date: day, explanation: "stated under the title: 「\(text)」")
                        continue
                    }
                    if !seenText, u.lines.count == 1, ImportText.byline(u.lines[0]) == nil {
                        d.title = u.lines[0].trimmingCharacters(in: .whitespaces)
                        seenText = true
                        continue
                    }
                    seenText = true
                    kept.append(u)
                }
                us = kept + us[k...]
            }
        }
        // A byline under the title.
        if let f = us.first, f.lines.count == 1, let b = ImportText.byline(f.lines[0]) {
            d.byline = b
            us.removeFirst()
        }
        // Page furniture at the end: QR-code caption, the colophon, a byline at the foot, 来源.
        var colophonPairs: [(String, String)] = []
        while let last = us.last, us.count > 1 {
            let t = last.lines.joined()
            if t.contains("二维码") && t.count <= 40 { us.removeLast(); continue }
            if t == "举报/反馈" { us.removeLast(); continue }
            if last.lines.count == 1, let pair = colophon(last.lines[0]) { colophonPairs.insert(pair, at: 0); us.removeLast(); continue }
            if last.lines.count == 1, d.byline == nil, let b = ImportText.byline(last.lines[0]) { d.byline = b; us.removeLast(); continue }
            if last.lines.count == 1, t.count <= 30, t.hasPrefix("来源：") || t.hasPrefix("来源:") {
                if d.source == nil { d.source = String(t.dropFirst(3)).trimmingCharacters(in: .whitespaces) }
                us.removeLast()
                continue
            }
            break
        }
        if let b = d.byline, let pub = b.publication {
            if d.source == nil {
                // A column brand above the title belongs to the paper: 「北京商报 深蓝智库」.
                let brand = column.map { c in c.split(separator: " ").filter { $0.unicodeScalars.contains(where: ChineseText.isIdeograph) }.joined(separator: " ") } ?? ""
                d.source = brandAboveTitle && !brand.isEmpty ? pub + " " + brand : pub
            }
        }
        if d.source == nil, brandAboveTitle { d.source = column }
        if let column { d.extra.insert(.init(key: "column", value: .text(column)), at: 0) }
        if !publisher.isEmpty { d.extra.append(.init(key: "publisher", value: .list(publisher))) }
        if !colophonPairs.isEmpty {
            if let site = colophonPairs.first(where: { $0.0 == "网址" })?.1 {
                let url = site.hasPrefix("http://") || site.hasPrefix("https://") ? site : "http://" + site
                d.sourceURL = url
                d.sourceURLNote = "the colophon's 网址: the publisher's website, not a page for this issue"
                colophonPairs.removeAll { $0.0 == "网址" }
            }
            if !colophonPairs.isEmpty { d.extra.append(.init(key: "colophon", value: .mapping(colophonPairs))) }
        }

        var blocks = us.map(classify)
        let hasSections = blocks.contains { if case .heading(let l) = $0.kind { return l <= 2 } else { return false } }

        // 「本期要目」 and its list: the issue's table of contents.
        var contents: [String] = []
        for i in blocks.indices where blocks[i].kind == .prose && ["本期要目", "本期导读", "目录", "要目"].contains(blocks[i].text) {
            guard i + 1 < blocks.count, blocks[i + 1].kind == .list else { continue }
            blocks[i] = Block(kind: .bold, text: "**\(blocks[i].text)**")
            contents = blocks[i + 1].text.split(separator: "\n").compactMap { listMarker(String($0))?.content.trimmingCharacters(in: .whitespaces) }
        }
        // Short standalone lines: section titles where the text has none of its own, else a
        // speaker's name and title under a section heading.
        for i in blocks.indices where blocks[i].kind == .prose && blocks[i].isSingleLine {
            let t = blocks[i].text
            guard t.count <= 30, !ImportText.hasClausePunctuation(t), !ImportText.endsParagraph(t) else { continue }
            let previous = i > 0 ? blocks[i - 1] : nil
            let next = i + 1 < blocks.count ? blocks[i + 1] : nil
            if contents.contains(t) || (!hasSections && t.count <= 25 && next != nil
                                        && (previous.map { $0.kind != .prose || ImportText.endsParagraph($0.text) } ?? true)) {
                blocks[i].kind = .heading(2)
            } else if case .heading = previous?.kind, next?.kind == .prose {
                blocks[i] = Block(kind: .bold, text: "**\(t)**")
            }
        }
        // A paragraph a page or column break cut in two is one paragraph.
        var joined: [Block] = []
        for b in blocks {
            if b.kind == .prose, let last = joined.last, last.kind == .prose, !ImportText.endsParagraph(last.text) {
                joined[joined.count - 1].text = ImportText.join(last.text, b.text)
            } else {
                joined.append(b)
            }
        }
        blocks = joined
        for i in blocks.indices where blocks[i].kind == .prose || blocks[i].kind == .quote {
            if ImportText.hasClausePunctuation(blocks[i].text) { blocks[i].text = ImportText.removeCJKSpaces(blocks[i].text) }
            blocks[i].text = ImportText.boldEnumeration(ImportText.fixBoldPunctuation(blocks[i].text))
        }

        if d.title == nil, contents.count >= 2 {
            d.title = composedTitle(contents)
            d.titleNote = "no headline of its own: composed from its \(contents.count) 本期要目 items"
            d.notes.append("no title line: the title was composed from the 本期要目 items; edit `title:`")
        }
        let prose = blocks.filter { $0.kind == .prose || $0.kind == .quote }.map { plain($0.text) }
        if d.title == nil, let lead = leadTitle(prose) {
            d.title = lead
            d.titleNote = "no title line: the opening clause of the text"
            d.notes.append("no title line: the title is the opening clause of the text; edit `title:`")
        }
        d.body = blocks.map(render).joined(separator: "\n\n") + "\n"
        d.datingText = blocks.flatMap { b -> [String] in
            b.kind == .list ? b.text.split(separator: "\n").map { plain(String($0)) } : [plain(b.text)]
        }
        return d
    }

    static func render(_ b: Block) -> String {
        switch b.kind {
        case .heading(let level): return String(repeating: "#", count: level) + " " + b.text
        case .caption: return "*\(b.text)*"
        default: return b.text
        }
    }

    /// Markdown markers off: what the date engine reads.
    static func plain(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespaces)
        if let m = listMarker(t) { t = m.content }
        while t.hasPrefix(">") { t = String(t.dropFirst()).trimmingCharacters(in: .whitespaces) }
        return t.replacingOccurrences(of: "**", with: "")
    }

    /// 「大模型的概念及技术架构」「大模型的市场应用及部分典型厂商」… → 「大模型的概念及技术架构、市场应用及部分典型厂商、…」.
    static func composedTitle(_ items: [String]) -> String {
        var prefix = items[0]
        for i in items.dropFirst() {
            while !i.hasPrefix(prefix) { prefix.removeLast() }
        }
        // Keep the shared words whole: cut back to 「的」 or keep nothing.
        if let de = prefix.lastIndex(of: "的") { prefix = String(prefix[...de]) } else { prefix = "" }
        return prefix + items.map { String($0.dropFirst(prefix.count)) }.joined(separator: "、")
    }

    /// The first clause of the opening paragraph, when it is of a title's length.
    static func leadTitle(_ paragraphs: [String]) -> String? {
        for p in paragraphs where ImportText.hasClausePunctuation(p) {
            let clause = p.prefix(while: { !"，。；：！？,;:!?".contains($0) }).trimmingCharacters(in: .whitespaces)
            return (6...32).contains(clause.count) ? clause : nil
        }
        return nil
    }
}

/// Front-matter values: plain when YAML reads them back unchanged, quoted otherwise.
enum YAMLText {
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\x" + (h.count < 2 ? "0" + h : h)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    static func isPlainSafe(_ s: String, inFlow: Bool) -> Bool {
        guard let f = s.first, let l = s.last, f != " ", l != " " else { return false }
        if "-?:,[]{}#&*!|>'\"%@`".contains(f) || f.isNumber { return false }
        if s.contains(": ") || s.contains(" #") || s.hasSuffix(":") || s.contains("\n") || s.contains("\t") { return false }
        if inFlow, s.contains(where: { ",[]{}".contains($0) }) { return false }
        if ["true", "false", "yes", "no", "null", "on", "off", "~"].contains(s.lowercased()) { return false }
        return true
    }

    static func scalar(_ s: String) -> String { isPlainSafe(s, inFlow: false) ? s : quoted(s) }

    static func flowList(_ items: [String]) -> String {
        "[" + items.map { isPlainSafe($0, inFlow: true) ? $0 : quoted($0) }.joined(separator: ", ") + "]"
    }

    /// A comment stays on its line.
    static func comment(_ s: String) -> String {
        s.replacingOccurrences(of: "\n", with: " ")
    }
}
