/// Reading across clauses and sentences: who a clause is about when it does not say (zero anaphora,
/// 它/其/该公司/后者/双方), and which names a clause only compares against (对标, 媲美, 逼近…).
enum Discourse {
    // MARK: comparison frames

    /// Words after which a name is a yardstick, not a participant: 「性能逼近GPT-4」.
    static let frameWords = ScalarLexicon(words: [
        "对标", "媲美", "相比", "相较", "相较于", "比", "超过", "超越", "逼近", "接近", "仅为", "不输于", "不逊于", "不输",
        "优于", "强于", "领先于", "领先", "追平", "赶超", "对比", "较", "比肩", "看齐", "碾压", "击败", "打败", "挑战",
        "取代", "替代", "追赶", "落后于", "低于", "高于", "好于", "胜过", "平替", "竞品", "对手",
    ])
    /// 「与X相比」「和X相当」: the name between is compared.
    static let frameOpeners = ScalarLexicon(words: ["与", "和", "同", "跟", "较之", "相对于"])
    static let frameClosers = ScalarLexicon(words: ["相比", "相较", "相当", "持平", "相近", "看齐", "类似", "差不多", "比肩",
                                                    "相媲美", "媲美", "一样", "同级", "同等"])
    /// What may stand between a frame word and the name: 「超过了2023年3月发布的原始GPT-4」.
    static let frameFiller: Set<Unicode.Scalar> = ["了", "的", "过", "于", "上", "其", "原", "始", "同", "类", "版", "本", " "]

    /// Indices of `names` (matches in `folded`, clause-relative ranges) that are only compared against.
    static func comparedNames(_ names: [Range<Int>], folded: [Unicode.Scalar], clause: Range<Int>,
                              dates: [Range<Int>]) -> (names: Set<Int>, dates: Set<Range<Int>>) {
        var out: Set<Int> = []
        var outDates: Set<Range<Int>> = []
        for (n, r) in names.enumerated() {
            let start = clause.lowerBound + r.lowerBound
            // Walk back over filler and dates to the word before the name.
            var k = start
            var steps = 0
            var passed: [Range<Int>] = []
            while k > clause.lowerBound, steps < 24 {
                if let d = dates.first(where: { $0.upperBound == k }) { k = d.lowerBound; passed.append(d); steps += 1; continue }
                if frameFiller.contains(folded[k - 1]) { k -= 1; steps += 1; continue }
                // 「…发布的」 between the frame and the name
                if k >= clause.lowerBound + 3, folded[k - 1] == "的",
                   Happening.predicates.longest(at: k - 3, in: folded, limit: k - 1) != nil { k -= 3; steps += 1; continue }
                break
            }
            var framed = false
            for len in 1...3 where k - len >= clause.lowerBound {
                if let hit = frameWords.longest(at: k - len, in: folded, limit: k), hit.range.upperBound == k {
                    framed = true
                    break
                }
            }
            // 「与X相比」: an opener right before and a closer right after the name (or after its 的…).
            if !framed, start > clause.lowerBound {
                let before = start - 1
                if frameOpeners.longest(at: before, in: folded, limit: start) != nil
                    || (before > clause.lowerBound && frameOpeners.longest(at: before - 1, in: folded, limit: start) != nil) {
                    let after = clause.lowerBound + r.upperBound
                    var j = after
                    while j < min(clause.upperBound, after + 8) {
                        if frameClosers.longest(at: j, in: folded, limit: clause.upperBound) != nil { framed = true; break }
                        if SentenceSplitter.clauseBreaks.contains(folded[j]) { break }
                        j += 1
                    }
                }
            }
            if framed {
                out.insert(n)
                outDates.formUnion(passed)
            }
        }
        return (out, outDates)
    }

    // MARK: anaphora

    enum Reference: Equatable { case none, topic, company, own, latter, former, both }

    /// Words a clause refers back to its actor with.
    static let anaphors: ScalarLexicon<Reference> = ScalarLexicon([
        ("它", .topic), ("它们", .topic), ("其", .topic), ("该公司", .company), ("该集团", .company), ("该企业", .company),
        ("该平台", .topic), ("该模型", .topic), ("该产品", .topic), ("该应用", .topic), ("该机构", .topic),
        ("该部门", .topic), ("该团队", .topic), ("该芯片", .topic), ("该系列", .topic), ("该服务", .topic),
        ("公司", .company), ("集团", .company), ("这家公司", .company), ("这家企业", .company), ("这家初创公司", .company),
        ("这家创业公司", .company), ("此次", .topic), ("本次", .topic), ("此举", .topic), ("对方", .topic),
        ("我们", .own), ("我", .topic), ("我国", .none), ("我方", .none), ("我市", .none), ("我省", .none), ("我司", .company), ("本公司", .company), ("我们公司", .company), ("我们团队", .own),
        ("后者", .latter), ("前者", .former), ("双方", .both), ("两家公司", .both), ("二者", .both), ("两者", .both),
    ])

    /// What a clause may start with when its subject is dropped: an adverb, a preposition or the
    /// predicate itself (「6月，向港交所递交材料」「又被传出…」「正式发布…」).
    static let zeroSubjectOpeners = ScalarLexicon(words: [
        "又", "也", "还", "再", "已", "已经", "正式", "首次", "率先", "再次", "随即", "随后", "将", "计划", "拟", "被", "向",
        "于", "通过", "凭借", "联合", "携手", "分别", "先后", "相继", "陆续", "共",
        "一举", "火速", "紧急", "悄然", "低调", "高调", "同步", "同时", "即将", "终于", "最终", "接连", "连续", "则",
        "更", "便", "就", "才", "均", "都", "亦", "再度", "首度", "开始", "继续", "进一步", "全面", "大幅", "宣布",
        "推出", "发布", "上线", "开源", "完成", "获得", "获", "启动", "成立", "入股", "领投", "发起", "召开", "举行",
    ])

    /// Subjects that are not an actor of the timeline.
    static let genericSubjects = ScalarLexicon(words: [
        "厂商", "多家", "不少", "许多", "众多", "各家", "业内", "行业", "市场", "用户", "投资者", "投资人", "开发者", "消费者",
        "企业", "大厂", "玩家", "人们", "外界", "媒体", "分析师", "机构", "资本", "公司们", "板块", "指数", "股市", "大盘",
        "美股", "港股", "a股", "台股", "日股", "欧股", "监管", "政府", "专家", "学者", "网友", "员工", "团队", "客户",
        "法人", "业内人士", "知情人士", "人士", "分析人士", "券商", "研报", "观察者", "业界", "有人", "不少人",
        "大模型行业", "大模型", "人工智能行业", "ai行业", "产业", "整体", "国内厂商", "海外厂商",
    ])

    /// 「法人也提醒」「分析师指出」「业内人士表示」: what an unnamed crowd says is commentary.
    static func isGenericSpeech(_ f: [Unicode.Scalar], range: Range<Int>) -> Bool {
        guard let first = Happening.predicates.first(in: f, range: range), case .speech = first.tag else { return false }
        return genericSubjects.occurs(in: f, range: range.lowerBound..<first.range.lowerBound)
    }

    /// Whether a clause ends in a speech verb and its comma (「…表示，」): the next clause is what was said.
    static func endsWithSpeech(_ f: [Unicode.Scalar], clause: Range<Int>) -> Bool {
        var e = clause.upperBound
        while e > clause.lowerBound, SentenceSplitter.clauseBreaks.contains(f[e - 1]) || ChineseText.isSpace(f[e - 1]) { e -= 1 }
        for len in 1...2 where e - len >= clause.lowerBound {
            if let hit = Happening.predicates.longest(at: e - len, in: f, limit: e), hit.range.upperBound == e,
               case .speech = hit.tag { return true }
        }
        return false
    }

    /// Prepositions whose object is no subject: 「向港交所」「与阿里云」「在快手App」.
    static let prepositions = ScalarSet("向与和同跟对在于从给为被由把将据替让")

    /// Whether the name at `i` is governed by a preposition (「向港交所递交」), counting a few modifiers
    /// between them (「与国内多家银行」 no; 「向香港联交所」 yes). A name at the clause start is never governed.
    static func governed(_ f: [Unicode.Scalar], at i: Int, clauseStart: Int) -> Bool {
        guard i > clauseStart else { return false }
        let before = f[i - 1]
        guard prepositions.contains(before) else { return false }
        // 「阿里与腾讯宣布」: 与 between two names joins subjects.
        if before == "与" || before == "和" || before == "同" || before == "跟" {
            var k = i - 2
            while k >= clauseStart, ChineseText.isIdeograph(f[k]) || ChineseText.isASCIILetter(f[k]) { k -= 1 }
            // a name right before the conjunction makes it a joined subject; the caller sees it first
            return k == i - 2
        }
        return true
    }

    /// Leading words a clause's subject test looks past: connectives and time words.
    static let connectives = ScalarLexicon(words: [
        "而且", "并且", "此外", "同时", "与此同时", "而", "据悉", "据了解", "据报道", "另据", "另外", "值得一提的是", "不过",
        "但是", "但", "然而", "对此", "其中", "随后", "此后", "之后", "然后", "接着", "紧接着", "后来", "先回", "如",
        "比如", "例如", "譬如", "据称", "消息称", "据介绍", "报道称", "数据显示", "公告显示", "公告称", "资料显示", "首先",
        "其次", "最后", "再往前", "更早", "更早前", "更早之前", "再早", "早在", "当时", "彼时", "目前", "如今", "眼下",
        "当下", "至此", "截至目前", "今年以来", "次日", "当天", "当日", "同日", "随之", "紧随其后",
    ])

    /// How the clause at `start` (folded, absolute offsets) refers to an actor it does not name.
    static func reference(_ folded: [Unicode.Scalar], from start: Int, to end: Int,
                          skipping dates: [Range<Int>]) -> (Reference, zeroSubject: Bool) {
        var i = skipLead(folded, from: start, to: end, dates: dates)
        guard i < end else { return (.none, false) }
        if let a = anaphors.longest(at: i, in: folded, limit: end) {
            // 「公司」 alone is an anaphor only before a predicate (「公司表示」, not 「公司治理」).
            if a.tag == .company, a.range.count == 2, folded[i] == "公" || folded[i] == "集" {
                let after = a.range.upperBound
                let verdict = Happening.assess(folded, range: after..<min(end, after + 6))
                if verdict.firstPredicate == nil { return (.none, false) }
            }
            return (a.tag, false)
        }
        // A subject of its own that is no entity (「各大厂商也…」「市场…」): nobody is carried into it.
        if let firstPredicate = Happening.assess(folded, range: i..<end).firstPredicate,
           genericSubjects.occurs(in: folded, range: i..<min(end, i + firstPredicate)) {
            return (.none, false)
        }
        if zeroSubjectOpeners.longest(at: i, in: folded, limit: end) != nil { return (.topic, true) }
        if let p = Happening.predicates.longest(at: i, in: folded, limit: end) {
            _ = p
            return (.topic, true)
        }
        // 「自今年3月开放测试以来」: the date took the opening; the predicate follows it.
        i = skipLead(folded, from: i, to: end, dates: dates)
        return (.none, false)
    }

    /// Past punctuation, connectives, dates and their prepositions at the clause start.
    static let leadPunctuation = ScalarSet("“”「」（）()【】，,；;：:、 \t")
    static let dateTails = ScalarLexicon(words: ["以来", "起", "期间", "前后", "左右", "开始", "时", "后", "前"])
    static let datePrepositions = ScalarLexicon(words: ["自", "从", "于", "在", "截至", "截止", "到", "至"])

    static func skipLead(_ folded: [Unicode.Scalar], from start: Int, to end: Int, dates: [Range<Int>]) -> Int {
        var i = start
        var guardCount = 0
        while i < end, guardCount < 32 {
            guardCount += 1
            if leadPunctuation.contains(folded[i]) {
                i += 1
                continue
            }
            if let d = dates.first(where: { $0.contains(i) }) {
                i = d.upperBound
                if let t = dateTails.longest(at: i, in: folded, limit: end) { i = t.range.upperBound }
                continue
            }
            if let c = connectives.longest(at: i, in: folded, limit: end) { i = c.range.upperBound; continue }
            if let p = datePrepositions.longest(at: i, in: folded, limit: end),
               dates.contains(where: { $0.lowerBound == p.range.upperBound }) {
                i = p.range.upperBound
                continue
            }
            break
        }
        return i
    }
}

/// Who the text is about at this point: the actors last named, and the sentence that named them.
struct TopicState {
    struct Topic {
        var entities: [String]
        /// All names in the order the sentence gave them (for 后者/前者/双方).
        var named: [String]
        var sentence: String
        /// The names as the article wrote them, entity id → surface form.
        var surfaces: [String: String]
        /// The provisional entities among `entities`.
        var provisional: [Entity]
    }

    /// Set by a heading or a lead sentence ending in 「：」; holds for the section.
    var section: Topic?
    /// The actors of the current paragraph so far.
    var paragraph: Topic?
    /// The previous paragraph's last topic: an explicit anaphor (其/该公司) may reach back to it.
    var previousParagraph: Topic?
    /// A lead block (one ending in 「：」) hands its actors to the blocks under it, as a heading does;
    /// the previous block's actors stay reachable for an explicit 其/该公司.
    mutating func beginBlock(previousWasLead: Bool) {
        if previousWasLead, let p = paragraph { section = p }
        previousParagraph = paragraph
        paragraph = nil
    }

    /// The heading level the section topic came from; a deeper heading without names keeps it
    /// (「## 可灵AI大事记」 then 「### 2024年」).
    var sectionLevel = 0
    /// The article's subject (its title's first actor, else its lead's): what 我们/该公司 mean when
    /// nothing nearer is named.
    var article: Topic?

    mutating func heading(_ topic: Topic?, level: Int) {
        if let topic {
            section = topic
            sectionLevel = level
        } else if level <= sectionLevel || section == nil {
            section = nil
            sectionLevel = 0
        }
        paragraph = nil
        previousParagraph = nil
    }

    /// Inside a section whose heading or lead names its actor, before the block names anyone else:
    /// the entries of a 「大事记」 list inherit it even without a dropped-subject opener
    /// (「- 7月，基础模型升级并上线网页端」).
    var listsUnderTopic: Bool { section != nil && paragraph == nil }

    /// The kind of a provisional entity the topics hold.
    func kind(of id: String) -> EntityKind? {
        for t in [paragraph, previousParagraph, section, article] {
            if let p = t?.provisional.first(where: { $0.id == id }) { return p.kind }
        }
        return nil
    }

    /// The actor(s) a clause without names refers to, if the text allows it.
    func resolve(_ reference: Discourse.Reference, zeroSubject: Bool,
                 kindOf: (String) -> EntityKind? = { _ in nil }) -> Topic? {
        if reference == .company || reference == .own {
            // 「该公司」「公司」 mean the nearest company named, never a ministry or a person; 「我们」 the
            // speaker's company or body.
            let kinds: Set<EntityKind> = reference == .company ? [.company] : [.company, .organization]
            for candidate in [paragraph, previousParagraph, section, article] {
                guard var t = candidate else { continue }
                let companies = t.entities.filter { kindOf($0).map(kinds.contains) ?? false }
                if companies.isEmpty { continue }
                t.entities = Array(companies.prefix(1))
                return t
            }
            return nil
        }
        let base: Topic?
        if let p = paragraph {
            base = p
        } else if zeroSubject {
            // A dropped subject reaches only as far as the paragraph, or a heading or lead above it.
            base = section
        } else {
            base = previousParagraph ?? section ?? article
        }
        guard var t = base else { return nil }
        switch reference {
        case .none: return nil
        case .topic, .company, .own: return t
        case .latter:
            guard let last = t.named.last else { return nil }
            t.entities = [last]
        case .former:
            guard t.named.count >= 2 else { return nil }
            t.entities = [t.named[t.named.count - 2]]
        case .both:
            guard t.named.count >= 2 else { return nil }
            t.entities = Array(t.named.suffix(2))
        }
        return t
    }
}
