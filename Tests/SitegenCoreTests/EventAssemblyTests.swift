import Foundation
import PropertyBased
import Testing
@testable import SitegenCore

/// Reading an article as a story: carried actors, clause splitting, non-events, comparisons,
/// headlines, both scripts and unknown actors. One table per rule; each row is a small article
/// written for the rule.
struct EventAssemblyTests {
    static let entities = [
        Entity(id: "bytedance", name: "字节跳动", kind: .company, aliases: ["字節跳動"]),
        Entity(id: "doubao", name: "豆包", kind: .product, aliases: ["豆包大模型"], parent: "bytedance"),
        Entity(id: "alibaba", name: "阿里巴巴", kind: .company, aliases: ["阿里"]),
        Entity(id: "baidu", name: "百度", kind: .company),
        Entity(id: "tencent", name: "腾讯", kind: .company, aliases: ["騰訊"]),
        Entity(id: "openai", name: "OpenAI", kind: .company),
        Entity(id: "gpt-4", name: "GPT-4", kind: .product, parent: "openai"),
        Entity(id: "stepfun", name: "阶跃星辰", kind: .company),
        Entity(id: "step-2", name: "Step-2", kind: .product, parent: "stepfun"),
        Entity(id: "sensetime", name: "商汤科技", kind: .company),
        Entity(id: "broadcom", name: "博通", kind: .company),
        Entity(id: "moonshot", name: "月之暗面", kind: .company),
        Entity(id: "01-ai", name: "零一万物", kind: .company),
        Entity(id: "sequoia", name: "红杉中国", kind: .company, aliases: ["红杉"]),
        Entity(id: "mofcom", name: "商务部", kind: .organization),
        Entity(id: "meitu", name: "美图公司", kind: .company),
    ]

    static func extract(_ body: String, date: String = "2024-12-31", title: String = "t",
                        slug: String = "t") -> (events: [ExtractedEvent], skipped: [SkippedStatement]) {
        // The closing line puts every section of the body on the AI industry's topic.
        let text = "---\ntitle: \(title)\ndate: \(date)\n---\n" + body + "\n\n本文关注人工智能行业。\n"
        let article = try! ArticleLoader().load(data: Data(text.utf8), relativePath: "articles/\(slug).md")
        return EventExtractor(entities: entities).extractWithTrace(MarkdownParser().parse(article))
    }

    // MARK: 1. actors carried across sentences and clauses

    struct CarryCase: CustomTestStringConvertible, Sendable {
        var body: String
        var date: String
        /// (date value, an actor it must have, whether that actor is carried)
        var expected: [(String, String, Bool)]
        var testDescription: String { String(body.prefix(24)) }
    }

    static let carryCases: [CarryCase] = [
        CarryCase(body: "阶跃星辰的Step-2模型颇受关注。自今年3月开放测试以来，累计调用量已超过8亿次。", date: "2024-09-10",
                  expected: [("2024-03", "step-2", true)]),
        CarryCase(body: "商汤科技并未止步于此。6月，向香港联交所递交补充材料；9月，又被传出正与多家银行洽谈银团贷款。",
                  date: "2025-10-08", expected: [("2025-06", "sensetime", true), ("2025-09", "sensetime", true)]),
        CarryCase(body: "美东时间3月12日，费城半导体指数下跌4.1%。博通股价跌约9%，市值蒸发近700亿美元。", date: "2025-03-13",
                  expected: [("2025-03-12", "broadcom", false)]),
        CarryCase(body: "## 字节跳动大事记\n\n### 2024年\n\n- 3月，发布豆包大模型。\n- 6月，宣布下调API价格。\n", date: "2025-01-05",
                  expected: [("2024-03", "doubao", false), ("2024-06", "bytedance", true)]),
        CarryCase(body: "月之暗面今年的动作如下：\n\n- 2月，完成10亿美元融资。\n- 10月，推出k1视觉思考模型。\n", date: "2024-12-20",
                  expected: [("2024-02", "moonshot", true), ("2024-10", "moonshot", true)]),
        CarryCase(body: "零一万物发布了新模型。\n\n5月，该公司宣布降价。", date: "2024-06-30",
                  expected: [("2024-05", "01-ai", true)]),
        CarryCase(body: "5月20日，月之暗面发布新版本，后者的对手零一万物随后跟进。", date: "2024-06-30",
                  expected: [("2024-05-20", "moonshot", false)]),
        CarryCase(body: "5月20日，腾讯与字节跳动签署合作协议，双方将共建算力中心。", date: "2024-06-30",
                  expected: [("2024-05-20", "tencent", false)]),
    ]

    @Test(arguments: carryCases)
    func actorsAreCarried(_ c: CarryCase) {
        let events = Self.extract(c.body, date: c.date).events
        for (value, actor, carried) in c.expected {
            let match = events.first { $0.date.value.string == value && $0.entities.contains(actor) }
            #expect(match != nil, "no \(value) event of \(actor) in \(events.map { ($0.date.value.string, $0.entities) })")
            if let match {
                #expect(match.carriedEntities.contains(actor) == carried)
                if carried { #expect(match.source.actorSentence != nil) }
            }
        }
    }

    struct NoCarryCase: CustomTestStringConvertible, Sendable {
        var body: String
        var mustNot: String
        var testDescription: String { String(body.prefix(24)) }
    }

    /// Carry-over stops where the text changes its actor or its paragraph.
    static let noCarryCases: [NoCarryCase] = [
        NoCarryCase(body: "5月10日，字节跳动发布豆包新版本。5月15日，阿里巴巴宣布降价。", mustNot: "bytedance"),
        NoCarryCase(body: "字节跳动发布了新模型。\n\n5月，宣布降价。", mustNot: "bytedance"),
        NoCarryCase(body: "5月10日，字节跳动发布豆包新版本。与此同时，行业人才流动频繁，多位技术人员离开大厂。", mustNot: "bytedance"),
        NoCarryCase(body: "5月10日，字节跳动发布豆包新版本。各大厂商也于5月积极推动模型落地。", mustNot: "bytedance"),
    ]

    @Test(arguments: noCarryCases)
    func carryOverStops(_ c: NoCarryCase) {
        let events = Self.extract(c.body, date: "2024-06-30").events
        #expect(events.filter { $0.carriedEntities.contains(c.mustNot) }.isEmpty, "\(events.map(\.headline))")
        #expect(events.filter { $0.entities.contains(c.mustNot) }.count <= 1)
    }

    /// Property: a clause that names its own actor never receives a carried one, whoever came before.
    @Test func carryOverNeverCrossesANamedActor() async {
        let actors = ["字节跳动", "阿里巴巴", "百度", "腾讯", "月之暗面", "零一万物"]
        let ids = ["字节跳动": "bytedance", "阿里巴巴": "alibaba", "百度": "baidu", "腾讯": "tencent", "月之暗面": "moonshot",
                   "零一万物": "01-ai"]
        let verbs = ["发布新模型", "宣布降价", "完成新一轮融资", "上线智能体平台"]
        let input = zip(Gen<String?>.element(of: actors), Gen<String?>.element(of: actors), Gen<String?>.element(of: verbs),
                        Gen<String?>.element(of: verbs), Gen.int(in: 1...12), Gen.int(in: 1...12))
        await propertyCheck(count: 200, input: input) { a, b, v1, v2, m1, m2 in
            guard let a, let b, let v1, let v2, a != b else { return }
            let body = "\(m1)月，\(a)\(v1)。\(m2)月，\(b)\(v2)；随后又宣布扩招。"
            let events = Self.extract(body, date: "2024-12-31").events
            for e in events where e.source.quote.contains(b) {
                #expect(!e.entities.contains(ids[a]!), "\(body): \(e.entities)")
            }
        }
    }

    // MARK: 3. one happening, one event

    @Test func twoDatesJoinedByACommaAreTwoEvents() {
        let events = Self.extract("星云智能科技于今年2月完成15亿元B轮融资，再往前的去年10月，红杉领投了其A轮。", date: "2025-06-01").events
        #expect(events.map(\.date.value.string).sorted() == ["2024-10", "2025-02"])
        #expect(events.first { $0.date.value.string == "2024-10" }?.entities.contains("sequoia") == true)
        #expect(events.first { $0.date.value.string == "2025-02" }?.entities.first?.hasPrefix("new-") == true)
    }

    @Test func oneClausePerActorAndPredicate() {
        let events = Self.extract("8月底，字节跳动正式发布视频模型，阿里巴巴在云栖大会上发布通义万相，美图公司宣布完成升级。",
                                  date: "2024-09-20").events
        #expect(events.count == 3)
        #expect(Set(events.compactMap(\.entities.first)) == ["bytedance", "alibaba", "meitu"])
    }

    static func graph(_ articles: [(slug: String, date: String, body: String)]) -> EventGraph {
        var all: [ExtractedEvent] = []
        var dates: [String: CivilDate] = [:]
        for a in articles {
            all += Self.extract(a.body, date: a.date, slug: a.slug).events
            dates[a.slug] = CivilDate(iso: a.date)
        }
        return EventGraph(extracted: all, entities: entities, articleDates: dates)
    }

    @Test func restatementsInOneArticleMerge() {
        let g = Self.graph([("a", "2024-05-20", "5月15日，字节跳动发布豆包大模型。\n\n分析称价格很低。\n\n5月15日，字节跳动在发布会上正式发布豆包大模型家族。")])
        #expect(g.events.count == 1)
        #expect(g.events.first?.sources.count == 2)
    }

    @Test func bothScriptsMergeAcrossArticles() {
        let g = Self.graph([("a", "2024-05-20", "5月15日，字节跳动发布豆包大模型，价格降至每千tokens 0.0008元。"),
                            ("b", "2024-05-21", "5月15日，字節跳動發佈豆包大模型，價格降至每千tokens 0.0008元。")])
        #expect(g.events.count == 1)
        #expect(Set(g.events.first?.sources.map(\.articleSlug) ?? []) == ["a", "b"])
    }

    @Test func disagreeingDatesAreOneEventThatSaysSo() {
        let g = Self.graph([("a", "2024-05-20", "5月15日，字节跳动发布豆包大模型，价格降至每千tokens 0.0008元。"),
                            ("b", "2024-05-21", "5月16日，字节跳动发布豆包大模型，价格降至每千tokens 0.0008元。"),
                            ("c", "2024-05-22", "5月15日，字节跳动正式发布豆包大模型，价格降至每千tokens 0.0008元。")])
        #expect(g.events.count == 1)
        let e = g.events[0]
        #expect(e.date.string == "2024-05-15")
        #expect(e.datesDisagree)
        #expect(e.sources.first { $0.articleSlug == "b" }?.reportedDate?.string == "2024-05-16")
        #expect(e.sources.first { $0.articleSlug == "a" }?.reportedDate == nil)
    }

    @Test func twoDaysOfOneArticleStayTwoEvents() {
        let g = Self.graph([("a", "2024-05-20", "5月15日，字节跳动发布豆包大模型。5月16日，字节跳动发布豆包视觉模型。"),
                            ("b", "2024-05-21", "5月16日，字节跳动发布豆包大模型。")])
        #expect(g.events.filter { $0.entities.contains("doubao") }.count >= 2)
    }

    // MARK: 4. only happenings are events

    struct NonEventCase: CustomTestStringConvertible, Sendable {
        var body: String
        var reason: SkippedStatement.Reason?
        var testDescription: String { String(body.prefix(24)) }
    }

    static let nonEventCases: [NonEventCase] = [
        NonEventCase(body: "5月20日，截至发稿，字节跳动暂无回应。", reason: .commentary),
        NonEventCase(body: "2024年，月之暗面的创始人大概是今年最忙的创始人。", reason: .commentary),
        NonEventCase(body: "字节跳动是2024年最受关注的大模型公司之一。", reason: .commentary),
        NonEventCase(body: "2024年，字节跳动会在多模态上走多远？", reason: .question),
        NonEventCase(body: "业内人士认为，2024年字节跳动的投入远超同行。", reason: .commentary),
        NonEventCase(body: "5月15日，字节跳动发布豆包大模型。这款模型支持长文本和多轮对话。", reason: nil),
    ]

    @Test(arguments: nonEventCases)
    func nonEventsAreSkippedWithTheirReason(_ c: NonEventCase) {
        let (events, skipped) = Self.extract(c.body, date: "2024-12-31")
        if let reason = c.reason {
            #expect(events.isEmpty, "\(events.map(\.headline))")
            #expect(skipped.contains { $0.reason == reason }, "\(skipped.map(\.reason))")
        } else {
            // The sentence that only continues the dated one adds nothing.
            #expect(events.count == 1, "\(events.map(\.headline))")
        }
    }

    @Test func aRecordsBaselineIsNotADate() {
        let events = Self.extract("美东时间3月10日，博通股价暴跌15.4%，创2020年9月以来最大单日跌幅。", date: "2025-03-11").events
        #expect(events.map(\.date.value.string) == ["2025-03-10"])
    }

    // MARK: 5. participants, not comparisons

    @Test func comparedNamesAreMentions() {
        let events = Self.extract("5月15日，字节跳动发布新模型，性能逼近GPT-4，价格仅为OpenAI同类产品的百分之一。", date: "2024-05-20").events
        #expect(events.count == 1)
        #expect(events.first?.entities == ["bytedance"])
        #expect(events.first?.mentions.contains("gpt-4") == true)
        #expect(events.first?.mentions.contains("openai") == true)
    }

    @Test func aDateOfTheYardstickIsNotTheEventDate() {
        let events = Self.extract("字节跳动的新模型比2023年的GPT-4便宜27倍。", date: "2024-12-31").events
        #expect(!events.contains { $0.date.value.string == "2023" })
    }

    // MARK: 6. headlines

    struct HeadlineCase: CustomTestStringConvertible, Sendable {
        var body: String
        var date = "2024-12-31"
        var headline: String
        var testDescription: String { headline }
    }

    static let headlineCases: [HeadlineCase] = [
        HeadlineCase(body: "此外，5月15日，字节跳动发布了豆包大模型。", headline: "字节跳动发布了豆包大模型"),
        HeadlineCase(body: "据悉，5月15日字节跳动发布了豆包大模型。", headline: "字节跳动发布了豆包大模型"),
        HeadlineCase(body: "继阿里巴巴降价后，5月21日，百度宣布文心大模型免费。", headline: "百度宣布文心大模型免费"),
        HeadlineCase(body: "作者｜张三 编辑｜李四 5月15日，字节跳动发布了豆包大模型。", headline: "字节跳动发布了豆包大模型"),
        HeadlineCase(body: "5月15日，字节跳动在“火山引擎原动力大会上发布豆包。", headline: "字节跳动在火山引擎原动力大会上发布豆包"),
        HeadlineCase(body: "5月15日，字节跳动,阿里巴巴相继发布新模型。", headline: "字节跳动，阿里巴巴相继发布新模型"),
        HeadlineCase(body: "字節跳動發佈豆包。5月，又宣佈降價。", date: "2024-12-31", headline: "字節跳動又宣佈降價"),
        HeadlineCase(body: "零一万物发布了新模型。\n\n5月，它宣布降价。", headline: "零一万物宣布降价"),
        HeadlineCase(body: "5月15日，字节跳动发布豆包大模型家族，覆盖通用、角色扮演、语音识别、语音合成、声音复刻、文生图等多个模型，并宣布降价。",
                     headline: "字节跳动发布豆包大模型家族"),
    ]

    @Test(arguments: headlineCases)
    func headlinesAreCleanClauses(_ c: HeadlineCase) {
        let events = Self.extract(c.body, date: c.date).events
        #expect(events.first?.headline == c.headline)
    }

    /// Property: whatever the clause, a headline keeps its brackets and quotes balanced, has no ASCII
    /// comma between Chinese characters and starts with no punctuation.
    @Test func headlinesAreAlwaysBalanced() async {
        let pieces = ["“", "”", "《", "》", "（", "）", "，", ",", "字节跳动", "发布", "豆包", "模型", "「", "」", " ", "5月15日"]
        await propertyCheck(count: 500, input: Gen<String?>.element(of: pieces).array(of: 1...14)) { parts in
            let clause = parts.compactMap { $0 }.joined()
            let scalars = Array(clause.unicodeScalars)
            let h = Headline.make(scalars, folded: LexiconFold.fold(scalars), removing: [], actor: "百度")
            for (o, c) in [("“", "”"), ("《", "》"), ("（", "）"), ("「", "」")] {
                var depth = 0
                for ch in h { if String(ch) == o { depth += 1 } else if String(ch) == c { depth -= 1; #expect(depth >= 0, "\(h)") } }
                #expect(depth == 0, "\(clause) → \(h)")
            }
            #expect(h.range(of: #"\p{Han}\s*,\s*\p{Han}"#, options: .regularExpression) == nil, "\(h)")
            #expect(!(h.first.map { "，,。；：、 ".contains($0) } ?? false), "\(h)")
        }
    }

    // MARK: 7. both scripts, and actors the catalogue lacks

    struct KindCase: CustomTestStringConvertible, Sendable {
        var body: String
        var kind: EventKind
        var testDescription: String { body }
    }

    static let kindCases: [KindCase] = [
        KindCase(body: "5月15日，字節跳動發佈豆包大模型。", kind: .release),
        KindCase(body: "5月15日，字節跳動釋出豆包新版本。", kind: .release),
        KindCase(body: "5月15日，騰訊宣佈調降混元價格。", kind: .pricing),
        KindCase(body: "5月15日，月之暗面完成新一輪募資。", kind: .funding),
        KindCase(body: "5月15日，騰訊公布第一季財報，營收年增12%。", kind: .earnings),
        KindCase(body: "5月15日，騰訊與字節跳動簽署合作協議。", kind: .partnership),
    ]

    @Test(arguments: kindCases)
    func traditionalClausesGetKinds(_ c: KindCase) {
        #expect(Self.extract(c.body, date: "2024-05-20").events.first?.kind == c.kind)
    }

    struct ProvisionalCase: CustomTestStringConvertible, Sendable {
        var body: String
        var name: String
        var kind: EntityKind
        var testDescription: String { name }
    }

    static let provisionalCases: [ProvisionalCase] = [
        ProvisionalCase(body: "6月3日，澄镜科技宣布完成B轮融资。", name: "澄镜科技", kind: .company),
        ProvisionalCase(body: "6月3日，星云智能科技有限公司发布新模型。", name: "星云智能科技有限公司", kind: .company),
        ProvisionalCase(body: "10月30日，其旗下多模态模型Nova-3 Pro正式上线。", name: "Nova-3 Pro", kind: .product),
        ProvisionalCase(body: "10月31日，字节跳动推出AI写作应用《青柚写作》。", name: "青柚写作", kind: .product),
        ProvisionalCase(body: "1月15日，美國商務部宣布新的出口管制規則。", name: "美國商務部", kind: .organization),
        ProvisionalCase(body: "8月19日，公司联合创始人兼CTO陆沉宣布离职。", name: "陆沉", kind: .person),
        ProvisionalCase(body: "7月11日，OpenAI首席执行官萨姆·奥尔特曼宣布推迟发布。", name: "萨姆·奥尔特曼", kind: .person),
    ]

    @Test(arguments: provisionalCases)
    func unknownActorsBecomeProvisionalEntities(_ c: ProvisionalCase) {
        let events = Self.extract(c.body, date: "2025-11-03").events
        let found = events.flatMap(\.provisionalEntities)
        #expect(found.contains { $0.name == c.name && $0.kind == c.kind && $0.isProvisional },
                "\(found.map(\.name)) in \(events.map(\.entities))")
        if let e = found.first(where: { $0.name == c.name }) {
            #expect(events.contains { $0.entities.contains(e.id) })
        }
    }

    /// 美國商務部 is not the catalogue's 商务部.
    @Test func aForeignBodyIsNotTheDomesticOne() {
        let events = Self.extract("1月15日，美國商務部宣布新規。1月16日，商务部新闻发言人回应称将采取必要措施。", date: "2025-01-20").events
        #expect(events.first { $0.date.value.string == "2025-01-15" }?.entities.contains("mofcom") == false)
        #expect(events.first { $0.date.value.string == "2025-01-16" }?.entities.contains("mofcom") == true)
    }

    @Test func genericDescriptionsAreNotNames() {
        for body in ["5月，头部科技公司纷纷宣布降价。", "5月，多家人工智能公司宣布完成融资。", "5月，AI算力产业链公司业绩普遍增长。"] {
            let events = Self.extract(body, date: "2024-06-30").events
            #expect(events.flatMap(\.provisionalEntities).isEmpty, "\(body): \(events.flatMap(\.provisionalEntities).map(\.name))")
        }
    }

    @Test func provisionalIdsAreTheSameInBothScripts() {
        let a = Self.extract("6月3日，星雲智能宣布降價。", date: "2024-06-30").events.flatMap(\.provisionalEntities)
        let b = Self.extract("6月3日，星云智能宣布降价。", date: "2024-06-30").events.flatMap(\.provisionalEntities)
        #expect(!a.isEmpty && a.map(\.id) == b.map(\.id))
    }
}

/// The site shows what extraction now knows: carried actors, provisional entities, compared names
/// and sources that disagree on a date — on the pages and in events.json.
@Suite(.serialized) struct EventAssemblySiteTests {
    @Test func pagesAndDataSayWhatTheTextLeftOpen() throws {
        let dir = TempDir()
        dir.write("content/site.yml", "title: t\nlanguage: zh-CN\nbase_url: https://example.org/\n")
        dir.write("content/entities.yml", "- {id: bytedance, name: 字节跳动, kind: company}\n"
                    + "- {id: doubao, name: 豆包, kind: product, parent: bytedance}\n- {id: openai, name: OpenAI, kind: company}\n")
        dir.write("content/articles/a.md", "---\ntitle: 甲\ndate: 2024-05-20\nsource: 甲报\n---\n"
                    + "5月15日，字节跳动发布豆包大模型，价格降至每千tokens 0.0008元，逼近OpenAI同类模型的能力。\n\n"
                    + "澄镜科技是一家大模型创业公司。6月，该公司宣布完成B轮融资。\n")
        dir.write("content/articles/b.md", "---\ntitle: 乙\ndate: 2024-05-21\nsource: 乙报\n---\n"
                    + "5月16日，字节跳动发布豆包大模型，价格降至每千tokens 0.0008元，大模型价格战开打。\n")
        let output = dir.url.appendingPathComponent("public")
        let builder = SiteBuilder(options: .init(content: dir.url.appendingPathComponent("content"), templates: Repo.templates,
                                                 output: output))
        _ = try builder.build()
        let data = try #require(FileManager.default.contents(atPath: output.appendingPathComponent("data/events.json").path))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let events = try #require(json["events"] as? [[String: Any]])
        let entities = try #require(json["entities"] as? [[String: Any]])

        let doubao = try #require(events.first { ($0["entities"] as? [String])?.contains("doubao") == true })
        #expect(doubao["dates_disagree"] as? Bool == true)
        #expect(doubao["date"] as? String == "2024-05-15")
        let sources = try #require(doubao["sources"] as? [[String: Any]])
        #expect(sources.contains { $0["article"] as? String == "b" && $0["date"] as? String == "2024-05-16" })
        #expect((doubao["mentions"] as? [String]) == ["openai"])
        #expect(!((doubao["entities"] as? [String]) ?? []).contains("openai"))

        let startup = try #require(entities.first { ($0["name"] as? String) == "澄镜科技" })
        #expect(startup["provisional"] as? Bool == true)
        let round = try #require(events.first { ($0["entities"] as? [String])?.contains(startup["id"] as! String) == true })
        #expect((round["carried_entities"] as? [String]) == [startup["id"] as! String])
        #expect((round["sources"] as? [[String: Any]])?.first?["actor_from"] as? String == "澄镜科技是一家大模型创业公司。")

        func page(_ path: String) throws -> String {
            String(decoding: try #require(FileManager.default.contents(atPath: output.appendingPathComponent(path).path)), as: UTF8.self)
        }
        let eventPage = try page("events/\(doubao["id"] as! String).html")
        #expect(eventPage.contains("各来源所记日期不一"))
        #expect(eventPage.contains("该文记为2024年5月16日"))
        #expect(eventPage.contains("文中比较对象"))
        let roundPage = try page("events/\(round["id"] as! String).html")
        #expect(roundPage.contains("承前文：澄镜科技是一家大模型创业公司。"))
        #expect(roundPage.contains("chip-provisional") || roundPage.contains("chip-implied"))
        let entityPage = try page("entities/\(startup["id"] as! String)/index.html")
        #expect(entityPage.contains("尚未收录于实体表"))
    }
}
