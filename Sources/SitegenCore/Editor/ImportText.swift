/// Text repairs for `sitegen import`: what a PDF extraction, a web copy or a run-together summary
/// does to Chinese article text, undone.
enum ImportText {
    // MARK: characters

    static let cjkPunctuation: Set<Unicode.Scalar> = Set("，。、：；！？“”‘’「」『』《》（）【】…—·".unicodeScalars)

    static func isCJK(_ u: Unicode.Scalar) -> Bool { ChineseText.isIdeograph(u) || cjkPunctuation.contains(u) }

    static func isBlankScalar(_ u: Unicode.Scalar) -> Bool { u == " " || u == "\t" || u == "\u{3000}" || u == "\u{00A0}" }

    /// Punctuation a finished paragraph ends with; a paragraph ending otherwise was cut by a page or column break.
    static let paragraphEnds: Set<Unicode.Scalar> = Set("。！？!?…」”’）)》；;：:』".unicodeScalars)

    static func endsParagraph(_ s: String) -> Bool {
        var u = Array(s.unicodeScalars)
        while let l = u.last, isBlankScalar(l) || l == "*" || l == "_" { u.removeLast() }
        guard let last = u.last else { return true }
        return paragraphEnds.contains(last)
    }

    static func isASCIIWord(_ u: Unicode.Scalar) -> Bool { ChineseText.isASCIILetter(u) || ChineseText.isDigit(u) }

    /// Joins two pieces of one paragraph that a line or page break separated: nothing between
    /// Chinese text, one space between two Latin words.
    static func join(_ a: String, _ b: String) -> String {
        let a = String(String.UnicodeScalarView(Array(a.unicodeScalars).reversed().drop(while: isBlankScalar).reversed()))
        let b = String(String.UnicodeScalarView(b.unicodeScalars.drop(while: isBlankScalar)))
        if let x = a.unicodeScalars.last, let y = b.unicodeScalars.first, isASCIIWord(x), isASCIIWord(y) { return a + " " + b }
        return a + b
    }

    /// Spaces a PDF put between two Chinese characters (「“日日新” 等」, 「网 址」) removed; spaces
    /// next to Latin letters and digits (「AI 大模型」「2023 年」) are the typesetter's and stay.
    static func removeCJKSpaces(_ s: String) -> String {
        let u = Array(s.unicodeScalars)
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(u.count)
        var i = 0
        while i < u.count {
            if isBlankScalar(u[i]), let prev = out.last, isCJK(prev) {
                var j = i
                while j < u.count, isBlankScalar(u[j]) { j += 1 }
                if j < u.count, isCJK(u[j]) { i = j; continue }
            }
            out.append(u[i])
            i += 1
        }
        return String(String.UnicodeScalarView(out))
    }

    /// 「**四是上下文理解与生成。**大模型」: CommonMark does not close emphasis after punctuation
    /// when a letter follows, so the stars would show. The punctuation moves outside.
    static func fixBoldPunctuation(_ s: String) -> String {
        var u = Array(s.unicodeScalars)
        let moves: Set<Unicode.Scalar> = Set("。，、；：！？".unicodeScalars)
        var i = 0
        var open = false
        while i + 1 < u.count {
            if u[i] == "*" && u[i + 1] == "*" {
                if open, i > 0, moves.contains(u[i - 1]) {
                    let p = u[i - 1]
                    u.remove(at: i - 1)
                    u.insert(p, at: i + 1)
                    i += 1
                }
                open.toggle()
                i += 2
                continue
            }
            i += 1
        }
        return String(String.UnicodeScalarView(u))
    }

    /// 「一是参数规模巨大。…**四是上下文理解与生成**。」: when some points of an enumeration are
    /// bold, all are.
    static func boldEnumeration(_ s: String) -> String {
        let ordinals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"].map { $0 + "是" }
        guard ordinals.contains(where: { s.contains("**" + $0) }) else { return s }
        var out = s
        for o in ordinals {
            guard let r = out.range(of: o) else { continue }
            let before = out[..<r.lowerBound]
            guard !before.hasSuffix("**"), before.isEmpty || before.hasSuffix("。") else { continue }
            guard let stop = out[r.lowerBound...].firstIndex(where: { "。，；".contains($0) }),
                  out.distance(from: r.lowerBound, to: stop) <= 16 else { continue }
            out.replaceSubrange(r.lowerBound..<stop, with: "**" + out[r.lowerBound..<stop] + "**")
        }
        return out
    }

    /// A clause that has nothing but CJK, Latin and digits: no sentence punctuation.
    static func hasClausePunctuation(_ s: String) -> Bool {
        s.unicodeScalars.contains { "，。！？：；,.!?:;、".unicodeScalars.contains($0) }
    }

    // MARK: bylines

    struct Byline: Equatable {
        /// The publication the role names (「北京商报记者」 → 北京商报); nil for 本报/本刊 or a bare role.
        var publication: String?
        /// The role with the publication, written once for all names (「北京商报记者」).
        var role: String?
        var names: [String]
    }

    static let roles = ["特约记者", "见习记者", "实习记者", "记者", "通讯员", "实习生", "撰稿人"]
    static let ownPublication: Set<String> = ["本报", "本刊", "本台", "本网", "本站", "本社"]

    /// 「北京商报记者」 → (北京商报, 北京商报记者); nil when the token is not a role.
    static func role(_ token: String) -> (publication: String?, role: String)? {
        var t = token
        while let f = t.unicodeScalars.first, "■●◆▲★□◇▪•".unicodeScalars.contains(f) { t.removeFirst() }
        guard t.count <= 12, t.unicodeScalars.allSatisfy({ ChineseText.isIdeograph($0) }) else { return nil }
        for r in roles where t.hasSuffix(r) {
            let pub = String(t.dropLast(r.count))
            return (pub.isEmpty || ownPublication.contains(pub) ? nil : pub, t)
        }
        return nil
    }

    static func isName(_ t: String) -> Bool {
        (2...4).contains(t.count) && t.unicodeScalars.allSatisfy { ChineseText.isIdeograph($0) }
    }

    /// A byline standing on its own line: 「■中国城市报记者 郑新钰」「北京商报记者 杨月涵 魏蔚」.
    /// A photo credit (「中新社记者 王紫儒摄」) is not one.
    static func byline(_ line: String) -> Byline? {
        let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }).map(String.init)
        guard tokens.count >= 2 else { return nil }
        var b = Byline(publication: nil, role: nil, names: [])
        var roleNames: [String] = []
        for t in tokens {
            if let r = role(t) {
                if b.publication == nil { b.publication = r.publication }
                roleNames.append(r.role)
            } else if isName(t), !roleNames.isEmpty, !t.hasSuffix("摄"), !t.hasSuffix("图") {
                b.names.append(t)
            } else {
                return nil
            }
        }
        guard !b.names.isEmpty else { return nil }
        if Set(roleNames).count == 1, b.publication != nil { b.role = roleNames[0] }
        return b
    }

    /// Words a sentence often starts with: after a run-in byline (「见习记者 梁傲男从前，…」) they
    /// tell a two-character name from a three-character one.
    static let sentenceOpeners = ["从", "在", "近日", "日前", "今年", "去年", "随着", "据", "截至", "当前", "目前", "如今", "记者", "今天", "昨天", "日", "讯"]

    /// A byline run into the text that follows it, as web copies of a page have it:
    /// 「本报记者 袁传玺 见习记者 梁傲男从前，古人…」. Returns the byline and the text after it.
    static func runInByline(_ text: String) -> (Byline, String)? {
        var rest = Substring(text)
        var b = Byline(publication: nil, role: nil, names: [])
        var roleNames: [String] = []
        func skipBlanks() { while let f = rest.unicodeScalars.first, isBlankScalar(f) { rest = rest.dropFirst() } }
        skipBlanks()
        while true {
            let tokenEnd = rest.firstIndex(where: { $0 == " " || $0 == "\u{3000}" }) ?? rest.endIndex
            guard let r = role(String(rest[..<tokenEnd])), tokenEnd < rest.endIndex else { break }
            if b.publication == nil { b.publication = r.publication }
            roleNames.append(r.role)
            rest = rest[tokenEnd...]
            skipBlanks()
            let run = rest.prefix(while: { $0.unicodeScalars.allSatisfy(ChineseText.isIdeograph) })
            guard run.count >= 2 else { return nil }
            let after = rest[run.endIndex...]
            if run.count <= 4, let f = after.unicodeScalars.first, isBlankScalar(f) {
                b.names.append(String(run))
                rest = after
                skipBlanks()
                continue
            }
            // Run into the text: a three-character name unless the third character starts a sentence.
            let third = run.dropFirst(2)
            let length = sentenceOpeners.contains(where: { third.hasPrefix($0) }) ? 2 : 3
            b.names.append(String(run.prefix(length)))
            rest = rest.dropFirst(length)
            break
        }
        guard !b.names.isEmpty else { return nil }
        if Set(roleNames).count == 1, b.publication != nil { b.role = roleNames[0] }
        return (b, String(rest))
    }

    // MARK: restoring paragraphs

    static let sentenceEnds: Set<Unicode.Scalar> = Set("。！？!?".unicodeScalars)
    static let quoteOpen: Set<Unicode.Scalar> = Set("“「『‘".unicodeScalars)
    static let quoteClose: Set<Unicode.Scalar> = Set("”」』’".unicodeScalars)

    /// Sentences of run-together text; a quotation (「“…。…。”」) stays one sentence with its
    /// closing mark.
    static func sentences(_ text: String) -> [String] {
        let s = Array(text.unicodeScalars)
        var out: [String] = []
        var start = 0
        var depth = 0
        var openedAt = 0
        var i = 0
        func cut(after j: Int) {
            var k = j
            while k < s.count, sentenceEnds.contains(s[k]) || (quoteClose.contains(s[k]) && depth == 0) { k += 1 }
            let piece = String(String.UnicodeScalarView(s[start..<k])).trimmingCharacters(in: .whitespaces)
            if !piece.isEmpty { out.append(piece) }
            start = k
            i = k
        }
        while i < s.count {
            let c = s[i]
            if quoteOpen.contains(c) {
                if depth == 0 { openedAt = i }
                depth += 1
            } else if quoteClose.contains(c) {
                depth = max(0, depth - 1)
                if depth == 0, i > 0, sentenceEnds.contains(s[i - 1]) { cut(after: i + 1); continue }
            }
            if depth > 0, i - openedAt > 400 { depth = 0 }  // an unbalanced quote mark
            if depth == 0, sentenceEnds.contains(c) { cut(after: i + 1); continue }
            i += 1
        }
        if start < s.count {
            let piece = String(String.UnicodeScalarView(s[start...])).trimmingCharacters(in: .whitespaces)
            if !piece.isEmpty { out.append(piece) }
        }
        return out
    }

    /// Words that open a sentence and, found a few characters into one, show that a section title
    /// was run into it: 「AI引发“百模大战”回顾2023年，…」「商业化加速落地值得关注的是，…」.
    static let titleFollowers = ["回顾", "值得关注的是", "值得注意的是", "值得一提的是", "虽然", "尽管", "事实上", "据悉", "据了解",
                                 "据介绍", "记者了解到", "记者注意到", "近日", "日前", "近期", "展望未来", "与此同时", "此外",
                                 "另外", "不过", "然而", "对此"]

    /// Splits a section title off the start of a sentence, when one was run into it.
    static func runInTitle(_ sentence: String) -> (title: String, rest: String)? {
        let u = Array(sentence.unicodeScalars)
        let clauseEnd = u.firstIndex(where: { "，,；;：:。！？".unicodeScalars.contains($0) }) ?? u.count
        let allowed: Set<Unicode.Scalar> = Set("“”《》‘’".unicodeScalars)
        var best: Int?
        for w in titleFollowers {
            let wu = Array(w.unicodeScalars)
            var k = 5
            while k + wu.count <= clauseEnd {
                if Array(u[k..<(k + wu.count)]) == wu { if best.map({ k < $0 }) ?? true { best = k }; break }
                k += 1
            }
        }
        guard let k = best, k <= 18 else { return nil }
        let title = Array(u[0..<k])
        guard !quoteOpen.contains(title[0]),
              title.allSatisfy({ ChineseText.isIdeograph($0) || isASCIIWord($0) || allowed.contains($0) }),
              title.filter({ ChineseText.isIdeograph($0) }).count >= 4,
              title.filter({ $0 == "“" }).count == title.filter({ $0 == "”" }).count else { return nil }
        return (String(String.UnicodeScalarView(title)), String(String.UnicodeScalarView(u[k...])))
    }

    static let speechVerbs = ["表示", "称", "认为", "说", "指出", "介绍", "透露", "坦言", "提到", "强调", "告诉", "预判", "分析"]
    /// Sentences that usually open a paragraph of news prose.
    static let paragraphOpeners = ["事实上", "例如", "虽然", "展望未来", "值得关注的是", "随着", "近期", "对此", "与此同时", "此外",
                                   "在业内人士看来", "回顾", "截至", "相较于", "从通用", "在庞大"]

    /// 「赵刚告诉记者，…」「量子位智库数据显示，…」: a sentence that opens with who says it.
    static func reportsSpeech(_ s: String) -> Bool {
        let clause = s.prefix(while: { !"，,：:。".contains($0) })
        guard clause.count < s.count, clause.count <= 30 else { return false }
        return ["表示", "显示", "认为", "指出", "告诉记者", "介绍", "透露", "预判", "研判", "分析", "称"].contains { clause.hasSuffix($0) }
    }

    /// 「2023年，是AI大模型爆发元年…」
    static func startsWithYear(_ s: String) -> Bool {
        let u = Array(s.unicodeScalars.prefix(6))
        return u.count == 6 && u[0..<4].allSatisfy(ChineseText.isDigit) && u[4] == "年" && (u[5] == "，" || u[5] == ",")
    }

    enum Piece: Equatable {
        case heading(String)
        case paragraph(String)
    }

    /// Paragraphs (and section titles) of an article that was run together into one line: a
    /// quotation keeps its attribution, a new quotation or a typical opening word starts a new
    /// paragraph, and no paragraph runs on past three sentences.
    static func restoreParagraphs(_ text: String) -> [Piece] {
        var out: [Piece] = []
        var current: [String] = []
        var length = 0
        func flush() {
            if !current.isEmpty { out.append(.paragraph(current.joined())) }
            current = []
            length = 0
        }
        var previousEndedQuote = false
        var previousWasQuestion = false
        for (n, raw) in sentences(text).enumerated() {
            var s = raw
            if n > 0, let (title, rest) = runInTitle(s) {
                flush()
                out.append(.heading(title))
                s = rest
            }
            let startsQuote = s.unicodeScalars.first.map { quoteOpen.contains($0) } ?? false
            let lead = s.prefix(while: { !"，,。".contains($0) })
            let attribution = previousEndedQuote && !startsQuote
                && speechVerbs.contains { lead.contains($0) || (s.count <= 60 && s.contains($0)) }
            let isQuestion = s.hasSuffix("？") || s.hasSuffix("?")
            let opener = paragraphOpeners.contains { s.hasPrefix($0) } || reportsSpeech(s) || startsWithYear(s)
                || isQuestion != previousWasQuestion
            if !current.isEmpty, !attribution, startsQuote || opener || current.count >= 3 || length >= 160 {
                flush()
            }
            previousWasQuestion = isQuestion
            current.append(s)
            length += s.count
            // 「“…。”某某表示。」 closes its paragraph.
            if attribution, s.hasSuffix("。") { flush() }
            let trimmed = s.unicodeScalars.last
            previousEndedQuote = trimmed.map { quoteClose.contains($0) } ?? false
        }
        flush()
        return out
    }
}
