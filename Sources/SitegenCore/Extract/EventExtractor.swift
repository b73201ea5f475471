/// Stage 3, extract: reads each article's blocks top to bottom with a `TemporalContext` and turns
/// dated clauses that name known entities into events.
public struct EventExtractor: Sendable {
    public let matcher: EntityMatcher
    let entityKinds: [String: EntityKind]
    let entityNames: [String: String]
    let recognizer = TemporalRecognizer()

    public init(entities: [Entity]) {
        matcher = EntityMatcher(entities: entities)
        entityKinds = Dictionary(entities.map { ($0.id, $0.kind) }, uniquingKeysWith: { a, _ in a })
        entityNames = Dictionary(entities.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// Words that make a section about the AI industry. A section (text under one level-1/2 heading)
    /// without any of them is off-topic page furniture — e.g. other news printed on the same page.
    static let topicWords: [String] = ["大模型", "模型", "人工智能", "人工智慧", "AI", "ai", "AIGC", "GPT", "算力", "智能", "智慧", "生成式", "LLM", "算法", "芯片", "晶片", "晶圆", "晶圓", "半导体", "半導體", "服务器", "伺服器", "光模块", "光模組", "GPU", "封装", "封裝", "机器人", "深度学习", "神经网络", "数据中心", "數據中心", "资料中心", "資料中心", "云计算", "雲端", "Token", "token", "科技", "软件", "互联网"]

    /// Vague time words: a clause with one of these says *when* on its own (vaguely), so it must
    /// not inherit the date of an earlier sentence.
    static let vagueTimeWords: [String] = ["近期", "近日", "日前", "此前", "目前", "未来", "近年来", "近年", "早前", "此后不久", "将来"]

    /// Verbs that show a clause reports a happening; needed when the clause's date is only carried
    /// over from an earlier sentence, so that opinions and background are not turned into events.
    static let actionWords: [String] = ["发布", "推出", "上线", "问世", "亮相", "开源", "宣布", "公布", "升级", "融资", "降价", "免费", "收购", "成立", "上市", "获得", "完成", "突破", "达到", "达成", "签署", "印发", "出台", "实施", "启动", "开放", "起诉", "推动", "提出", "通过", "入局", "布局", "跟进", "接入", "投入"]

    static let kindWords: [(EventKind, [String])] = [
        (.lawsuit, ["诉讼", "起诉", "侵权", "判决", "索赔"]),
        (.policy, ["办法", "政策", "规定", "条例", "印发", "出台", "法案", "监管", "备案", "管理暂行"]),
        (.funding, ["融资", "募资", "估值", "投资", "领投", "收购", "上市"]),
        (.pricing, ["降价", "免费", "定价", "价格", "降至", "价格战"]),
        (.earnings, ["财报", "营收", "净利", "利润", "收入", "市值", "季报", "年报"]),
        (.release, ["发布", "推出", "上线", "问世", "亮相", "开源", "面世", "升级", "公测", "内测", "开放"]),
        (.partnership, ["合作", "签约", "携手", "联合", "战略协议"]),
        (.forecast, ["预计", "预测", "有望", "将达", "将超", "或将"]),
    ]
    static let forecastWords = ["预计", "预测", "有望", "将达", "将超", "或将", "将会", "预期", "展望"]
    static let followUpWords = ["随后", "跟进", "回应", "此后", "紧随其后", "相继"]

    // The word lists above as UTF-8, searched byte for byte (TextSearch): Foundation's
    // `String.contains` goes through CFString with cluster folding and UTF-16 reads, and these
    // lists run over every section's whole text and every dated clause — about 7% of build CPU at
    // 2,000 articles.
    static let topicSearch = TextSearch.Words(topicWords)
    static let vagueTimeSearch = TextSearch.Words(vagueTimeWords)
    static let actionSearch = TextSearch.Words(actionWords)
    static let forecastSearch = TextSearch.Words(forecastWords)
    static let followUpSearch = TextSearch.Words(followUpWords)
    static let kindSearch: [(EventKind, TextSearch.Words)] = kindWords.map { ($0.0, TextSearch.Words($0.1)) }

    public func extract(_ article: ParsedArticle) -> [ExtractedEvent] {
        extractWithTrace(article).events
    }

    /// Events plus the dated statements that did not become events, with the reason — the
    /// editor's review view.
    public func extractWithTrace(_ article: ParsedArticle) -> (events: [ExtractedEvent], skipped: [SkippedStatement]) {
        var skipped: [SkippedStatement] = []
        let relevantSections = Self.relevantSections(article, productMentioned: { text in
            matcher.matches(in: Array(text.unicodeScalars)).contains { entityKinds[$0.entityID] == .product }
        })
        var context = TemporalContext(reference: article.meta.date)
        var events: [ExtractedEvent] = []
        var keyCounts: [String: Int] = [:]
        for block in article.blocks {
            context.beginParagraph()
            let s = Array(block.text.unicodeScalars)
            if block.kind == .heading {
                // Headings carry dates for context (「2024年：…」) but are not events themselves.
                _ = recognizer.recognize(scalars: s, context: &context)
                continue
            }
            let onTopic = relevantSections.contains(block.section)
            var carried: TemporalExpression?
            for sentence in SentenceSplitter.sentences(s) {
                let sentenceScalars = Array(s[sentence])
                var exprs = recognizer.recognize(scalars: sentenceScalars, context: &context)
                for k in exprs.indices { exprs[k].range = (exprs[k].range.lowerBound + sentence.lowerBound)..<(exprs[k].range.upperBound + sentence.lowerBound) }
                var starts = SentenceSplitter.clauseStarts(s, sentence: sentence, dateStarts: exprs.map(\.range.lowerBound))
                // 「7月4日，2024年世界人工智能大会开幕，…」: a clause that is only a date leads the next one,
                // so the next clause's own date (here part of a name) does not replace it.
                starts = starts.enumerated().filter { n, start in
                    guard n > 0 else { return true }
                    let prev = starts[n - 1]..<start
                    let content = s[prev].filter { !SentenceSplitter.clauseBreaks.contains($0) && !ChineseText.isSpace($0) }.count
                    let dateLen = exprs.filter { prev.contains($0.range.lowerBound) }.reduce(0) { $0 + $1.range.count }
                    return dateLen == 0 || content > dateLen
                }.map(\.element)
                // A question asks; it does not report (interview questions, 「今年是智能体元年吗？」).
                let isQuestion = s[sentence].contains { $0 == "？" || $0 == "?" }
                var previousEntities: [String] = []
                var sentenceDate: TemporalExpression?
                for (n, start) in starts.enumerated() {
                    let end = n + 1 < starts.count ? starts[n + 1] : sentence.upperBound
                    let clause = start..<end
                    let own = exprs.filter { clause.contains($0.range.lowerBound) }
                    let clauseScalars = Array(s[clause])
                    var entities = matcher.entityIDs(in: clauseScalars)
                    if entities.isEmpty { entities = previousEntities } else { previousEntities = entities }
                    let date: TemporalExpression?
                    if let first = own.first(where: { $0.anchor != .since }) ?? own.first {
                        date = first
                        sentenceDate = first
                    } else {
                        date = sentenceDate ?? carried
                    }
                    func skip(_ reason: SkippedStatement.Reason) {
                        let text = InlineSpace.trimmed(s[clause])
                        skipped.append(SkippedStatement(articleSlug: article.meta.slug, line: block.line, blockIndex: block.index,
                                                        text: text, dateText: date?.text, reason: reason))
                    }
                    guard let date else {
                        if Self.looksDated(Array(s[clause])) { skip(.notADate) }
                        continue
                    }
                    guard onTopic else { if !own.isEmpty { skip(.offTopic) }; continue }
                    guard !isQuestion else { if !own.isEmpty { skip(.question) }; continue }
                    guard !entities.isEmpty else { if !own.isEmpty { skip(.noEntity) }; continue }
                    let clauseText = String(String.UnicodeScalarView(clauseScalars))
                    if own.isEmpty && (!Self.actionSearch.occur(in: clauseText) || Self.vagueTimeSearch.occur(in: clauseText)) { continue }
                    _ = clauseText
                    var headline = Self.headline(clauseScalars, removing: own.map { ($0.range.lowerBound - start)..<($0.range.upperBound - start) })
                    // A clause whose subject was carried from the clause before (「…，在2024年5月开始对外服务」)
                    // names no entity itself: lead the headline with the main one.
                    if matcher.matches(in: Array(headline.unicodeScalars)).isEmpty,
                       let main = entities.first(where: { entityKinds[$0] == .product }) ?? entities.first(where: { entityKinds[$0] == .person }) ?? entities.first,
                       let name = entityNames[main] {
                        let joiner = entityKinds[main] == .person ? "：" : ""
                        headline = Self.headline(Array((name + joiner + headline).unicodeScalars), removing: [])
                    }
                    guard headline.unicodeScalars.count >= 4 else { skip(.nothingHappens); continue }
                    let quote = InlineSpace.trimmed(s[sentence])
                    var keyBase = article.meta.slug + ":" + StableHash.hex(StableHash.of(Self.normalizedForKey(clauseText)), digits: 10)
                    keyCounts[keyBase, default: 0] += 1
                    if let c = keyCounts[keyBase], c > 1 { keyBase += "-\(c)" }
                    let forecast = date.value.firstDay > article.meta.date || Self.forecastSearch.occur(in: clauseText)
                    var kind = Self.kind(of: clauseText)
                    if kind == nil && forecast { kind = .forecast }
                    events.append(ExtractedEvent(
                        date: date, headline: headline, entities: entities, kind: kind, isForecast: forecast,
                        isFollowUp: Self.followUpSearch.occur(in: clauseText),
                        source: EventSource(articleSlug: article.meta.slug, quote: quote, blockIndex: block.index,
                                            line: block.line, key: keyBase)))
                    // 「…超过了2023年3月发布的原始GPT-4」: a date inside the clause that dates another
                    // entity's release is an event of its own.
                    for inner in own.dropFirst() {
                        guard let (entity, verb) = embeddedRelease(s, after: inner.range.upperBound, limit: clause.upperBound),
                              let name = entityNames[entity] else { continue }
                        var innerKey = article.meta.slug + ":" + StableHash.hex(StableHash.of(Self.normalizedForKey(clauseText), inner.value.string), digits: 10)
                        keyCounts[innerKey, default: 0] += 1
                        if let c = keyCounts[innerKey], c > 1 { innerKey += "-\(c)" }
                        events.append(ExtractedEvent(
                            date: inner, headline: name + verb, entities: [entity], kind: .release,
                            isForecast: inner.value.firstDay > article.meta.date, isFollowUp: false,
                            source: EventSource(articleSlug: article.meta.slug, quote: quote, blockIndex: block.index,
                                                line: block.line, key: innerKey)))
                    }
                }
                if let d = sentenceDate { carried = d }
            }
        }
        return (events, skipped)
    }

    /// Digits or Chinese numerals next to 年/月/日 that the grammar did not take as a date
    /// (「四个月内」「过去10年」): shown to editors as "not a date".
    static func looksDated(_ s: [Unicode.Scalar]) -> Bool {
        for i in s.indices where s[i] == "年" || s[i] == "月" || s[i] == "日" {
            if i > 0, ChineseText.isDigit(ChineseText.fold(s[i - 1])) || ChineseText.chineseDigit(s[i - 1]) != nil || s[i - 1] == "个" {
                return true
            }
        }
        return false
    }

    static let releaseVerbs = ["发布", "推出", "上线", "问世", "开源", "亮相"]

    /// 「<date>发布的(原始)<entity>」: the entity released at that date, if the text says so.
    func embeddedRelease(_ s: [Unicode.Scalar], after i: Int, limit: Int) -> (String, String)? {
        var k = i
        while k < limit, ChineseText.isSpace(s[k]) { k += 1 }
        for verb in Self.releaseVerbs {
            let v = Array(verb.unicodeScalars)
            guard k + v.count < limit, Array(s[k..<(k + v.count)]) == v, s[k + v.count] == "的" else { continue }
            let rest = Array(s[(k + v.count + 1)..<min(limit, k + v.count + 1 + 24)])
            if let m = matcher.matches(in: rest).first, m.range.lowerBound <= 4 {
                return (m.entityID, verb)
            }
        }
        return nil
    }

    /// Sections about the industry: they use its vocabulary, or name one of its products
    /// (entities.yml lists AI products only, so a product mention is itself on topic).
    static func relevantSections(_ article: ParsedArticle, productMentioned: (String) -> Bool = { _ in false }) -> Set<Int> {
        var texts: [Int: String] = [:]
        for (i, t) in article.sectionTitles.enumerated() { texts[i] = t }
        for b in article.blocks { texts[b.section, default: ""] += b.text }
        var out: Set<Int> = []
        for (i, t) in texts where topicSearch.occur(in: t) || productMentioned(t) { out.insert(i) }
        return out
    }

    static func containsAny(_ s: String, _ words: [String]) -> Bool {
        TextSearch.Words(words).occur(in: s)
    }

    static func kind(of s: String) -> EventKind? {
        for (k, words) in kindSearch where words.occur(in: s) { return k }
        return nil
    }

    static func normalizedForKey(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { ChineseText.isIdeograph($0) || ChineseText.isDigit($0) || ChineseText.isASCIILetter($0) }))
    }

    static let leadingNoise: Set<Unicode.Scalar> = ["，", ",", "；", ";", "：", ":", "、", " ", "。", "如", "在", "于", "自", "从", "至", "到", "截", "止", "是", "的", "（", "(", "“", "”", "「", "」", "-", "—"]
    static let trailingNoise: Set<Unicode.Scalar> = ["，", ",", "；", ";", "：", ":", "、", " ", "。", "！", "？", "（", "(", "“", "「", "-", "—"]

    /// The clause without its date words and leading connectors, at most 40 characters.
    static func headline(_ clause: [Unicode.Scalar], removing ranges: [Range<Int>]) -> String {
        var kept: [Unicode.Scalar] = []
        // 「于2023年10月问世」 → 「问世」: the preposition goes with its date.
        let ranges = ranges.map { r -> Range<Int> in
            var lo = r.lowerBound
            for w in ["截至", "截止", "于", "在", "自", "从", "至", "到"] {
                let u = Array(w.unicodeScalars)
                if lo - u.count >= 0, Array(clause[(lo - u.count)..<lo]) == u { lo -= u.count; break }
            }
            var hi = r.upperBound
            for w in ["以来", "起", "期间"] {
                let u = Array(w.unicodeScalars)
                if hi + u.count <= clause.count, Array(clause[hi..<(hi + u.count)]) == u { hi += u.count; break }
            }
            return lo..<hi
        }
        for (i, c) in clause.enumerated() where !ranges.contains(where: { $0.contains(i) }) {
            kept.append(c)
        }
        // Drop anchors left behind by a removed date (截至, 以来, 起).
        var text = String(String.UnicodeScalarView(kept))
        for w in ["截至", "截止", "以来", "期间", "至今"] where text.hasPrefix(w) { text.removeFirst(w.count) }
        var u = Array(text.unicodeScalars)
        while let f = u.first, leadingNoise.contains(f) { u.removeFirst() }
        while let l = u.last, trailingNoise.contains(l) { u.removeLast() }
        // A quote mark whose partner went with the removed date (「在“大会”上」 → 「大会”上」) is dropped.
        let pairs: [(Unicode.Scalar, Unicode.Scalar)] = [("“", "”"), ("「", "」"), ("《", "》"), ("（", "）"), ("(", ")")]
        for (open, close) in pairs {
            var depth = 0
            var balanced: [Unicode.Scalar] = []
            for c in u {
                if c == open { depth += 1 }
                if c == close {
                    if depth == 0 { continue }
                    depth -= 1
                }
                balanced.append(c)
            }
            if depth > 0, let last = balanced.lastIndex(of: open) { balanced.remove(at: last) }
            u = balanced
        }
        while let f = u.first, leadingNoise.contains(f) { u.removeFirst() }
        var out = String(String.UnicodeScalarView(u))
        if out.count > 40 {
            let prefix = Array(out.prefix(40))
            if let cut = prefix.lastIndex(where: { $0 == "，" || $0 == "、" || $0 == "；" }), cut >= 12 {
                out = String(prefix[..<cut])
            } else {
                out = String(out.prefix(39)) + "…"
            }
        }
        return out
    }
}
