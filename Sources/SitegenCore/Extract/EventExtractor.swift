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

    // The word lists above as UTF-8, searched byte for byte (TextSearch): Foundation's
    // `String.contains` goes through CFString with cluster folding and UTF-16 reads.
    static let topicSearch = TextSearch.Words(topicWords)
    static let vagueTime = ScalarLexicon(words: vagueTimeWords)

    public func extract(_ article: ParsedArticle) -> [ExtractedEvent] {
        extractWithTrace(article).events
    }

    /// A name in a clause: catalogue match or provisional actor, with its absolute range.
    struct Name {
        var id: String
        var range: Range<Int>
        var surface: String
        var provisional: Entity?
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
        let local = articleNames(article)
        var topics = TopicState()
        let title = Array(article.meta.title.unicodeScalars)
        let titleNames = names(in: title, folded: LexiconFold.fold(title), clause: 0..<title.count, dates: [], local: local)
        if !titleNames.isEmpty { topics.article = topic(Array(titleNames.prefix(1)), sentence: article.meta.title) }
        var previousWasLead = false
        // A heading's date rules the yearless dates under it (「### 2024年」 then 「- 6月，…」).
        var headingDate: (value: TemporalValue, level: Int)?
        // The last day-precision date of the previous paragraph of the section, for market reactions
        // reported in the paragraph after their date (「美东时间3月10日，…」 then 「特斯拉股价暴跌15.4%」).
        var lastDay: (expr: TemporalExpression, section: Int)?
        for block in article.blocks {
            context.beginParagraph()
            if let h = headingDate { context.paragraphLast = h.value }
            let s = Array(block.text.unicodeScalars)
            let f = LexiconFold.fold(s)
            // 「（中央社記者林宜萱台北30日電）」: the wire and its reporter are no actors.
            var stamp = [Bool](repeating: false, count: f.count)
            Headline.dropDatelines(f, &stamp)
            if block.kind == .heading {
                // Headings carry dates for context (「2024年：…」) and name who the section is about,
                // but are not events themselves.
                let dates = recognizer.recognize(scalars: s, context: &context)
                let level = max(1, block.headingLevel)
                if let d = dates.last {
                    headingDate = (d.value, level)
                } else if let h = headingDate, level <= h.level {
                    headingDate = nil
                }
                let names = names(in: s, folded: f, clause: 0..<s.count, dates: dates.map(\.range), local: local)
                topics.heading(names.isEmpty ? nil : topic(names, sentence: block.text), level: level)
                if topics.article == nil, let first = names.first { topics.article = topic([first], sentence: block.text) }
                previousWasLead = false
                continue
            }
            topics.beginBlock(previousWasLead: previousWasLead)
            // An interview's answer (「答：」) speaks for the article's subject, as a heading would.
            if s.count > 2, s[0] == "答" || s[0] == "A", LexiconFold.fold([s[1]]) == [":"], topics.section == nil {
                topics.section = topics.article
            }
            previousWasLead = s.last(where: { !ChineseText.isSpace($0) }).map { $0 == "：" || $0 == ":" } ?? false
            let onTopic = relevantSections.contains(block.section)
            var carried: TemporalExpression?
            // A market wrap keeps its day across its subheadings; only a figure-and-move clause takes it.
            let previousDay = lastDay?.expr
            for sentence in SentenceSplitter.sentences(s) {
                let sentenceScalars = Array(s[sentence])
                var exprs = recognizer.recognize(scalars: sentenceScalars, context: &context)
                for k in exprs.indices {
                    exprs[k].range = (exprs[k].range.lowerBound + sentence.lowerBound)..<(exprs[k].range.upperBound + sentence.lowerBound)
                }
                // 「创2020年9月以来最大单日跌幅」: a record's baseline dates nothing that happened then.
                // A dateline says when the wire filed the story (it becomes the reference for what
                // follows, and the review page says so); a baseline is what a figure is compared with.
                for e in exprs where e.role == .dateline {
                    skipped.append(SkippedStatement(articleSlug: article.meta.slug, line: block.line, blockIndex: block.index,
                                                    text: InlineSpace.trimmed(s[sentence]), dateText: e.text, reason: .dateline))
                }
                exprs.removeAll { $0.role == .dateline || $0.role == .baseline || Self.isRecordBaseline($0, in: f) }
                let dateRanges = exprs.map(\.range)
                var starts = SentenceSplitter.clauseStarts(s, folded: f, sentence: sentence, dateStarts: exprs.map(\.range.lowerBound))
                // 「7月4日，2024年世界人工智能大会开幕，…」: a clause that is only a date leads the next one,
                // so the next clause's own date (here part of a name) does not replace it.
                starts = starts.enumerated().filter { n, start in
                    guard n > 0 else { return true }
                    let prev = starts[n - 1]..<start
                    let content = s[prev].filter { !SentenceSplitter.clauseBreaks.contains($0) && !ChineseText.isSpace($0) }.count
                    let dateLen = exprs.filter { prev.contains($0.range.lowerBound) }.reduce(0) { $0 + $1.range.count }
                    return dateLen == 0 || content > dateLen
                }.map(\.element)
                starts = actorClauseStarts(s, folded: f, sentence: sentence, starts: starts, dates: dateRanges)
                // A question asks; it does not report (interview questions, 「今年是智能体元年吗？」).
                let isQuestion = s[sentence].contains { $0 == "？" || $0 == "?" }
                // Trimmed once, when a topic, an event or a skipped statement needs it.
                var trimmedSentence: String?
                func sentenceText() -> String {
                    if let t = trimmedSentence { return t }
                    let t = InlineSpace.trimmed(s[sentence])
                    trimmedSentence = t
                    return t
                }
                var previousActors: [String] = []
                var previousSurfaces: [String: String] = [:]
                var previousCarried: [String] = []
                var previousActorSentence: String?
                var insideOpinion = false
                var sentenceDate: TemporalExpression?
                var afterSpeech = false
                for (n, start) in starts.enumerated() {
                    let end = n + 1 < starts.count ? starts[n + 1] : sentence.upperBound
                    defer { afterSpeech = Discourse.endsWithSpeech(f, clause: start..<end) }
                    let clause = start..<end
                    let clauseDates = exprs.filter { clause.contains($0.range.lowerBound) }
                    let ownRanges = clauseDates.map(\.range)
                    let clauseScalars = Array(s[clause])
                    let clauseFolded = Array(f[clause])
                    // Names the article does not repeat are looked for only where an event can be: a clause
                    // with a date of its own or one to carry (the article's own names track the topic).
                    let mayDate = !clauseDates.isEmpty || sentenceDate != nil || carried != nil || previousDay != nil
                    let named = names(in: s, folded: f, clause: clause, clauseFolded: clauseFolded, dates: dateRanges,
                                      local: local, findNew: mayDate)
                        .filter { !stamp[$0.range.lowerBound] }
                    let (compared, comparedDates) = Discourse.comparedNames(
                        named.map { ($0.range.lowerBound - start)..<($0.range.upperBound - start) },
                        folded: f, clause: clause, dates: ownRanges)
                    // 「比2023年的GPT-3.5 Turbo便宜」: the date belongs to the yardstick, not to this event.
                    let own = clauseDates.filter { !comparedDates.contains($0.range) }
                    // Names before the first predicate, not governed by a preposition, are the subject;
                    // the rest are objects and settings (「向港交所递交」「与阿里云签署」).
                    let verdict = Happening.assess(f, range: clause)
                    let firstPredicate = verdict.firstPredicate.map { clause.lowerBound + $0 }
                    var subject: [Name] = []
                    var objects: [Name] = []
                    var mentions: [String] = []
                    for (k, name) in named.enumerated() {
                        if compared.contains(k) {
                            if !mentions.contains(name.id) { mentions.append(name.id) }
                        } else if name.range.lowerBound < (firstPredicate ?? clause.upperBound),
                                  !Discourse.governed(f, at: name.range.lowerBound, clauseStart: clause.lowerBound) {
                            subject.append(name)
                        } else {
                            objects.append(name)
                        }
                    }
                    var carriedActors: [String] = []
                    var actorSentence: String?
                    let (reference, zeroSubject) = Discourse.reference(f, from: clause.lowerBound, to: clause.upperBound,
                                                                       skipping: ownRanges)
                    let kindOf: (String) -> EntityKind? = { id in
                        entityKinds[id] ?? named.first(where: { $0.id == id })?.provisional?.kind
                            ?? topics.kind(of: id)
                    }
                    var actors: [String] = []
                    var surfaces: [String: String] = [:]
                    for n in subject where !actors.contains(n.id) {
                        actors.append(n.id)
                        surfaces[n.id] = n.surface
                    }
                    var actorTopic: TopicState.Topic?
                    if actors.isEmpty {
                        // 「袁帅…表示，2024年，大模型行业展现出…」: what a speaker says about a crowd or an industry
                        // is the speaker's view, not the speaker's event.
                        let genericSubject = afterSpeech && (firstPredicate.map {
                            Discourse.genericSubjects.occurs(in: f, range: clause.lowerBound..<$0)
                        } ?? false)
                        if genericSubject {
                        } else if !previousActors.isEmpty, reference != .none || objects.isEmpty && n > 0 {
                            // The sentence's earlier clause gave the subject (「…发布了K2，并开源了权重」).
                            actors = previousActors
                            surfaces = previousSurfaces
                            carriedActors = previousCarried
                            actorSentence = previousActorSentence
                        } else if reference != .none || topics.listsUnderTopic && objects.isEmpty,
                                  let t = topics.resolve(reference == .none ? .topic : reference,
                                                         zeroSubject: reference == .none || zeroSubject, kindOf: kindOf) {
                            // 「6月，向港交所递交材料」「该公司成立于…」「它发布了…」: the actor the text is about.
                            actors = t.entities
                            surfaces = t.surfaces
                            carriedActors = t.entities
                            actorSentence = t.sentence
                            actorTopic = t
                        }
                    }
                    if actors.isEmpty, !(zeroSubject && !objects.isEmpty && reference != .none) {
                        // No subject to be found: the names of the clause stand for it, as written — but not
                        // when the subject was dropped (「向港交所递交」 is not 港交所's event).
                        for n in objects where !actors.contains(n.id) {
                            actors.append(n.id)
                            surfaces[n.id] = n.surface
                        }
                        objects = []
                    }
                    var entities = actors
                    for n in objects where !entities.contains(n.id) {
                        entities.append(n.id)
                        surfaces[n.id] = surfaces[n.id] ?? n.surface
                    }
                    mentions.removeAll { entities.contains($0) }
                    if !actors.isEmpty, !isQuestion {
                        previousActors = actors
                        previousSurfaces = surfaces
                        previousCarried = carriedActors
                        previousActorSentence = actorSentence
                        let order = named.enumerated().filter { !compared.contains($0.offset) }.map(\.element)
                        if carriedActors.isEmpty {
                            topics.paragraph = topic(subject.isEmpty ? order : subject, sentence: sentenceText(),
                                                     named: order)
                        } else if var t = actorTopic ?? topics.paragraph {
                            // The carried actor stays the focus; the names of this clause can be 后者 next.
                            t.named = t.entities + order.map(\.id).filter { !t.entities.contains($0) }
                            for n in order where t.surfaces[n.id] == nil { t.surfaces[n.id] = n.surface }
                            for n in order { if let p = n.provisional, !t.provisional.contains(p) { t.provisional.append(p) } }
                            topics.paragraph = t
                        }
                    }
                    let date: TemporalExpression?
                    if let first = own.first(where: { $0.anchor != .since }) ?? own.first {
                        date = first
                        sentenceDate = first
                    } else if let d = sentenceDate ?? carried {
                        date = d
                    } else if let d = previousDay, verdict.hasStrongPredicate, Happening.hasFigure(f, range: clause) {
                        date = d
                    } else {
                        date = nil
                    }
                    func skip(_ reason: SkippedStatement.Reason) {
                        let text = InlineSpace.trimmed(s[clause])
                        skipped.append(SkippedStatement(articleSlug: article.meta.slug, line: block.line, blockIndex: block.index,
                                                        text: text, dateText: date?.text, reason: reason))
                    }
                    // 「业内人士认为，2024年…」: the clauses after an opinion are its content.
                    let openedInsideOpinion = insideOpinion
                    let opinion = Happening.isOpinion(f, range: clause)
                    let opinionFrame = opinion || named.isEmpty && Discourse.isGenericSpeech(f, range: clause)
                    if opinion { insideOpinion = true }
                    guard let date else {
                        if Self.looksDated(Array(s[clause])) { skip(.notADate) }
                        continue
                    }
                    guard onTopic else { if !own.isEmpty { skip(.offTopic) }; continue }
                    guard !isQuestion else { if !own.isEmpty { skip(.question) }; continue }
                    guard !entities.isEmpty else {
                        if !own.isEmpty { skip(mentions.isEmpty ? .noEntity : .comparisonOnly) }
                        continue
                    }
                    if opinionFrame || openedInsideOpinion || Happening.commentary.occurs(in: f, range: clause)
                        || Happening.isOneOf(f, range: clause) {
                        if !own.isEmpty { skip(.commentary) }
                        continue
                    }
                    // A clause whose date or actor is only carried over must report a step of its own
                    // (发布, 宣布, 跌); one with its own date may report a trend, a figure or a statement.
                    if own.isEmpty || !carriedActors.isEmpty {
                        // A carried actor with a date of its own may report a figure or a trend (「截至12月10日，
                        // 拥有超600万用户」); with a carried date too it must be a step.
                        let reported = own.isEmpty ? verdict.hasStrongPredicate
                            : verdict.hasStrongPredicate || verdict.hasPredicate || Happening.hasFigure(f, range: clause)
                        if !reported || (own.isEmpty && Self.vagueTime.occurs(in: f, range: clause)) {
                            if !own.isEmpty { skip(.noHappening) }
                            continue
                        }
                    } else if !verdict.hasPredicate && !verdict.hasSpeech && !Happening.hasFigure(f, range: clause) {
                        skip(.noHappening)
                        continue
                    }
                    // The dates that say when go; a date after the predicate is part of what is said
                    // (「较去年同期增长40%」「并于五月十九日发表演讲」).
                    let predicateAt = firstPredicate ?? clause.upperBound
                    let relativeDates = own.filter { $0.range.lowerBound < predicateAt || $0.range == date.range }
                        .map { ($0.range.lowerBound - start)..<($0.range.upperBound - start) }
                    var headline = Headline.make(clauseScalars, folded: clauseFolded, removing: relativeDates, actor: nil)
                    // A clause whose subject was dropped or carried (「…，在2024年5月开始对外服务」「其旗下…上线」)
                    // leads its headline with its main actor, as the article writes it.
                    let leadActors = actors.isEmpty ? entities : actors
                    if !carriedActors.isEmpty || !Self.namesAny(headline, of: leadActors, surfaces: surfaces, matcher: matcher),
                       let main = leadActors.first(where: { entityKinds[$0] == .product || kindOf($0) == .product })
                           ?? leadActors.first(where: { entityKinds[$0] == .person }) ?? leadActors.first,
                       let name = surfaces[main] ?? entityNames[main] ?? named.first(where: { $0.id == main })?.surface,
                       !(carriedActors.isEmpty == false && headline.hasPrefix(name)) {
                        let joiner = entityKinds[main] == .person || kindOf(main) == .person ? "：" : ""
                        headline = Headline.make(clauseScalars, folded: clauseFolded, removing: relativeDates, actor: name + joiner)
                    }
                    guard headline.unicodeScalars.count >= 4 else { skip(.nothingHappens); continue }
                    let clauseText = String(String.UnicodeScalarView(clauseScalars))
                    var keyBase = article.meta.slug + ":" + StableHash.hex(StableHash.of(Self.normalizedForKey(clauseText)), digits: 10)
                    keyCounts[keyBase, default: 0] += 1
                    if let c = keyCounts[keyBase], c > 1 { keyBase += "-\(c)" }
                    let forecast = date.value.firstDay > article.meta.date || date.isFutureReading
                        || Happening.forecastWords.occurs(in: f, range: clause)
                    var kind = verdict.kind
                    if kind == nil && forecast { kind = .forecast }
                    var source = EventSource(articleSlug: article.meta.slug, quote: sentenceText(), blockIndex: block.index,
                                             line: block.line, key: keyBase)
                    source.actorSentence = actorSentence
                    var event = ExtractedEvent(
                        date: date, headline: headline, entities: entities, kind: kind, isForecast: forecast,
                        isFollowUp: Happening.followUpWords.occurs(in: f, range: clause), source: source)
                    event.carriedEntities = carriedActors
                    event.mentions = mentions
                    let involved = Set(entities + mentions)
                    var provisional: [Entity] = []
                    for name in named { if let p = name.provisional, involved.contains(p.id), !provisional.contains(p) { provisional.append(p) } }
                    if !carriedActors.isEmpty, let t = topics.resolve(.topic, zeroSubject: false) {
                        for p in t.provisional where carriedActors.contains(p.id) && !provisional.contains(p) { provisional.append(p) }
                    }
                    event.provisionalEntities = provisional
                    events.append(event)
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
                            source: EventSource(articleSlug: article.meta.slug, quote: sentenceText(), blockIndex: block.index,
                                                line: block.line, key: innerKey)))
                    }
                }
                if let d = sentenceDate { carried = d }
            }
            if let c = carried, c.value.precision == .day { lastDay = (c, block.section) } else if carried != nil { lastDay = nil }
        }
        return (events, skipped)
    }

    /// Countries and regions whose public bodies share names with the domestic ones in the catalogue.
    static let foreignQualifiers = ScalarLexicon(words: [
        "美国", "美方", "日本", "韩国", "英国", "德国", "法国", "欧盟", "印度", "俄罗斯", "台湾", "新加坡", "加拿大", "澳大利亚",
        "澳洲", "以色列", "沙特", "荷兰", "意大利", "西班牙", "瑞士", "越南", "马来西亚", "印尼", "泰国", "巴西", "墨西哥",
        "联邦", "美", "日", "韩", "英", "德", "法", "台",
    ])

    static let recordMarks = ScalarLexicon(words: ["最大", "最高", "最低", "最多", "最少", "最快", "最慢", "最差", "最好",
                                                  "新高", "新低", "之最", "最深", "最强", "首次"])

    /// 「创2020年9月以来最大单日跌幅」「为2022年以来新低」: a since-date that only measures a record.
    static func isRecordBaseline(_ e: TemporalExpression, in f: [Unicode.Scalar]) -> Bool {
        guard e.anchor == .since || e.range.upperBound + 2 <= f.count
                && String(String.UnicodeScalarView(f[e.range.upperBound..<(e.range.upperBound + 2)])) == "以来" else { return false }
        var k = e.range.upperBound
        if k + 2 <= f.count, String(String.UnicodeScalarView(f[k..<(k + 2)])) == "以来" { k += 2 }
        if k < f.count, f[k] == "的" { k += 1 }
        if recordMarks.longest(at: k, in: f) != nil { return true }
        var b = e.range.lowerBound
        if b > 0, f[b - 1] == "自" || f[b - 1] == "从" { b -= 1 }
        return b > 0 && (f[b - 1] == "创" || f[b - 1] == "为" || f[b - 1] == "是")
            && (k < f.count && (f[k] == "最" || recordMarks.longest(at: k, in: f) != nil))
    }

    /// 「MiniMax发布video-01，阿里云发布通义万相，美图宣布…」: each comma that opens a clause with its own
    /// actor and predicate, after a stretch that had both, starts a clause of its own — one happening,
    /// one event. Commas inside quotes or brackets never split.
    func actorClauseStarts(_ s: [Unicode.Scalar], folded f: [Unicode.Scalar], sentence: Range<Int>, starts: [Int],
                           dates: [Range<Int>]) -> [Int] {
        // Two actors at least, or there is nothing to split.
        guard matcher.matches(inFolded: Array(f[sentence])).count >= 2 else { return starts }
        var out = starts
        var depth = 0
        var segmentStart = sentence.lowerBound
        for i in sentence {
            switch s[i] {
            case "“", "「", "（", "(", "《", "『", "【": depth += 1
            case "”", "」", "）", ")", "》", "』", "】": depth = max(0, depth - 1)
            default: break
            }
            if out.contains(i) { segmentStart = i }
            guard depth == 0, s[i] == "，" || s[i] == ",", i + 1 < sentence.upperBound else { continue }
            let next = i + 1
            let nextEnd = (next..<sentence.upperBound).first { s[$0] == "，" || s[$0] == "," || s[$0] == "；" || s[$0] == "。" }
                ?? sentence.upperBound
            let before = segmentStart..<i
            guard before.count >= 4, nextEnd - next >= 4 else { continue }
            var k = Discourse.skipLead(f, from: next, to: nextEnd, dates: dates)
            while k < nextEnd, ChineseText.isSpace(f[k]) { k += 1 }
            // 「OpenAI发布GPT-4 Turbo，并且开放了GPTs」: a second step on another product is a second event.
            if let conj = Self.stepConjunctions.longest(at: next, in: f, limit: nextEnd) {
                let rest = conj.range.upperBound..<nextEnd
                let step = Happening.assess(f, range: rest)
                let products = matcher.matches(inFolded: Array(f[rest])).filter { entityKinds[$0.entityID] == .product }
                let earlier = Set(matcher.matches(inFolded: Array(f[segmentStart..<i])).map(\.entityID))
                if step.kind == .release, let p = step.firstPredicate, p <= 3,
                   products.contains(where: { !earlier.contains($0.entityID) }),
                   Happening.assess(f, range: segmentStart..<i).hasStrongPredicate {
                    out.append(next)
                    segmentStart = next
                }
                continue
            }
            guard let first = matcher.matches(inFolded: Array(f[k..<nextEnd])).first, first.range.lowerBound == 0 else { continue }
            let after = Happening.assess(f, range: (k + first.range.upperBound)..<nextEnd)
            guard after.hasPredicate, let p = after.firstPredicate, p <= 12 else { continue }
            let prior = Happening.assess(f, range: before)
            guard prior.hasPredicate, !matcher.matches(inFolded: Array(f[before])).isEmpty else { continue }
            out.append(next)
            segmentStart = next
        }
        return Array(Set(out)).sorted()
    }

    /// Names the catalogue lacks that the article itself uses as names: an organisation, model or
    /// product that the article names twice or more, anywhere, or once as an actor. They are then
    /// found wherever the article writes them (「栖远智能或许是…」 as well as 「栖远智能宣布…」).
    struct LocalNames {
        var matcher: EntityMatcher
        var entities: [String: Entity]
    }

    func articleNames(_ article: ParsedArticle) -> LocalNames {
        var counts: [String: Int] = [:]
        var acting: Set<String> = []
        var byID: [String: Entity] = [:]
        var texts = [article.meta.title]
        for b in article.blocks { texts.append(b.text) }
        for text in texts {
            let s = Array(text.unicodeScalars)
            let f = LexiconFold.fold(s)
            let known = matcher.matches(inFolded: f).map(\.range)
            for found in ProvisionalEntities.find(original: s, folded: f, clause: 0..<s.count, known: known, dates: [],
                                                  anyPosition: true) {
                counts[found.entity.id, default: 0] += 1
                if byID[found.entity.id] == nil { byID[found.entity.id] = found.entity }
                if found.acts { acting.insert(found.entity.id) }
            }
        }
        let kept = byID.filter { counts[$0.key, default: 0] >= 2 || acting.contains($0.key) }
        // Within the article, 「深澜智能」 is also written 「深澜」: its stem names it too.
        let list = kept.values.sorted { $0.id < $1.id }.map { e -> Entity in
            var e = e
            let folded = LexiconFold.fold(Array(e.name.unicodeScalars))
            for ending in ["科技", "智能", "集团", "公司"] {
                let u = Array(ending.unicodeScalars)
                guard folded.count >= u.count + 2, Array(folded.suffix(u.count)) == u else { continue }
                let stem = Array(e.name.unicodeScalars.dropLast(u.count))
                if !ProvisionalEntities.isGeneric(LexiconFold.fold(stem), 0..<stem.count) {
                    e.aliases.append(String(String.UnicodeScalarView(stem)))
                }
                break
            }
            return e
        }
        return LocalNames(matcher: EntityMatcher(entities: list), entities: kept)
    }

    static let stepConjunctions = ScalarLexicon(words: ["并且", "并", "同时", "还", "此外", "另外", "也", "随后又", "又"])

    /// Catalogue matches and provisional actors of one clause, left to right (absolute ranges).
    func names(in s: [Unicode.Scalar], folded f: [Unicode.Scalar], clause: Range<Int>, clauseFolded: [Unicode.Scalar]? = nil,
               dates: [Range<Int>], local: LocalNames, findNew: Bool = true) -> [Name] {
        let clauseFolded = clauseFolded ?? Array(f[clause])
        var out: [Name] = matcher.matches(inFolded: clauseFolded).map { m in
            let r = (m.range.lowerBound + clause.lowerBound)..<(m.range.upperBound + clause.lowerBound)
            // 「美国商务部」 is not the catalogue's 商务部: a foreign qualifier before a public body makes it
            // another body, kept apart as a provisional entity (a catalogue entry for it would match first).
            if entityKinds[m.entityID] == .organization,
               let q = Self.foreignQualifiers.hits(in: f, range: max(clause.lowerBound, r.lowerBound - 4)..<r.lowerBound).last,
               q.range.upperBound == r.lowerBound {
                let whole = q.range.lowerBound..<r.upperBound
                let e = ProvisionalEntities.entity(String(String.UnicodeScalarView(s[whole])), folded: Array(f[whole]),
                                                   kind: .organization)
                return Name(id: e.id, range: whole, surface: e.name, provisional: e)
            }
            return Name(id: m.entityID, range: r, surface: String(String.UnicodeScalarView(s[r])), provisional: nil)
        }
        for m in local.matcher.matches(inFolded: clauseFolded) {
            let r = (m.range.lowerBound + clause.lowerBound)..<(m.range.upperBound + clause.lowerBound)
            guard !out.contains(where: { $0.range.overlaps(r) }), let e = local.entities[m.entityID] else { continue }
            out.append(Name(id: e.id, range: r, surface: String(String.UnicodeScalarView(s[r])), provisional: e))
        }
        guard findNew else { return out.sorted { $0.range.lowerBound < $1.range.lowerBound } }
        let found = ProvisionalEntities.find(original: s, folded: f, clause: clause, known: out.map(\.range), dates: dates)
        out += found.map { Name(id: $0.entity.id, range: $0.range, surface: $0.entity.name, provisional: $0.entity) }
        return out.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    func topic(_ names: [Name], sentence: String, named all: [Name]? = nil) -> TopicState.Topic {
        var ids: [String] = []
        var order: [String] = []
        var surfaces: [String: String] = [:]
        var provisional: [Entity] = []
        for n in names where !ids.contains(n.id) { ids.append(n.id) }
        for n in all ?? names {
            if !order.contains(n.id) { order.append(n.id) }
            if surfaces[n.id] == nil { surfaces[n.id] = n.surface }
            if let p = n.provisional, !provisional.contains(p) { provisional.append(p) }
        }
        for n in names where surfaces[n.id] == nil { surfaces[n.id] = n.surface }
        return TopicState.Topic(entities: ids, named: order, sentence: sentence, surfaces: surfaces, provisional: provisional)
    }

    /// Whether the headline names one of the actors (by catalogue match or as written).
    static func namesAny(_ headline: String, of entities: [String], surfaces: [String: String], matcher: EntityMatcher) -> Bool {
        let ids = Set(entities)
        if matcher.matches(in: Array(headline.unicodeScalars)).contains(where: { ids.contains($0.entityID) }) { return true }
        return entities.contains { id in surfaces[id].map { !$0.isEmpty && headline.contains($0) } ?? false }
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

    static func normalizedForKey(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { ChineseText.isIdeograph($0) || ChineseText.isDigit($0) || ChineseText.isASCIILetter($0) }))
    }
}
