import Testing
@testable import SitegenCore

/// Related-event lists stay small and correct however busy a day or an entity is.
@Suite struct EventGraphTests {
    static let headlines = ["发布新模型", "完成融资", "宣布降价", "开源代码模型", "上线企业版", "获得备案", "公布财报", "推出智能体",
                            "签署合作协议", "发布芯片", "召开发布会", "更新版本", "开放接口", "宣布免费", "发布白皮书", "成立研究院",
                            "发布视频模型", "推出助手", "举办大会", "发布报告"]

    /// One event per (day, entity), each with its own entity so that nothing merges.
    static func graph(days: [CivilDate], entityPerEvent: (Int) -> String) -> EventGraph {
        var extracted: [ExtractedEvent] = []
        var ids = Set<String>()
        for (n, day) in days.enumerated() {
            let entity = entityPerEvent(n)
            ids.insert(entity)
            let text = "\(day.year)年\(day.month)月\(day.day)日"
            let date = TemporalExpression(text: text, range: 0..<text.unicodeScalars.count, value: .day(day), mod: nil,
                                          end: nil, endMod: nil, anchor: nil, isRelative: false)
            let headline = "\(entity)\(headlines[n % headlines.count])\(n)"
            extracted.append(ExtractedEvent(date: date, headline: headline, entities: [entity], kind: nil, isForecast: false,
                                            isFollowUp: false,
                                            source: EventSource(articleSlug: "a\(n)", quote: text + "，" + headline, blockIndex: 0,
                                                                line: n + 1, key: "k\(n)")))
        }
        let entities = ids.sorted().map { Entity(id: $0, name: $0, kind: .company) }
        return EventGraph(extracted: extracted, entities: entities,
                          articleDates: Dictionary(uniqueKeysWithValues: days.indices.map { ("a\($0)", CivilDate(year: 2025, month: 1, day: 1)) }))
    }

    @Test func sameDayListsOnlyTheNearestButCountsAll() {
        let day = CivilDate(year: 2024, month: 5, day: 15)
        let g = Self.graph(days: Array(repeating: day, count: 40) + [CivilDate(year: 2024, month: 5, day: 16)]) { "co-\($0)" }
        #expect(g.events.count == 41)
        let sameDayIndices = g.events.indices.filter { g.events[$0].date == .day(day) }
        #expect(sameDayIndices.count == 40)
        for i in sameDayIndices {
            let r = g.related(i)
            #expect(r.sameDayTotal == 39)
            #expect(r.sameDay.count == EventGraph.sameDayLimit)
            #expect(!r.sameDay.contains(i))
            #expect(r.sameDay == r.sameDay.sorted())
            #expect(r.sameDay.allSatisfy { g.events[$0].date == .day(day) })
            // Nearest: nothing left out is closer than something listed.
            let farthest = r.sameDay.map { abs($0 - i) }.max() ?? 0
            let closerLeftOut = sameDayIndices.filter { $0 != i && !r.sameDay.contains($0) && abs($0 - i) < farthest }
            #expect(closerLeftOut.isEmpty, "event \(i): \(closerLeftOut) are closer than \(farthest)")
        }
        let other = g.events.indices.first { g.events[$0].date != .day(day) }!
        #expect(g.related(other).sameDay.isEmpty)
        #expect(g.related(other).sameDayTotal == 0)
    }

    @Test func entityNeighboursFollowTheChain() {
        // 300 events of one busy entity on consecutive days, plus a second entity every third day.
        let start = CivilDate(year: 2023, month: 1, day: 1)
        let days = (0..<300).map { start.adding(days: $0) }
        let g = Self.graph(days: days) { $0 % 3 == 0 ? "co-b" : "co-a" }
        let chainA = g.eventsByEntity["co-a"] ?? []
        #expect(chainA.count == 200)
        for (pos, i) in chainA.enumerated() {
            let r = g.related(i)
            let previous = r.previousSameEntity.first { $0.entity == "co-a" }?.event
            let next = r.nextSameEntity.first { $0.entity == "co-a" }?.event
            #expect(previous == (pos > 0 ? chainA[pos - 1] : nil))
            #expect(next == (pos + 1 < chainA.count ? chainA[pos + 1] : nil))
        }
        #expect(EventGraph.position(of: 5, in: [1, 3, 5, 7]) == 2)
        #expect(EventGraph.position(of: 4, in: [1, 3, 5, 7]) == nil)
        #expect(EventGraph.position(of: 9, in: []) == nil)
    }

    /// One statement for the merge tests: article, kind and wording vary; date and entity are shared.
    static func statement(_ article: String, _ kind: EventKind?, _ text: String) -> ExtractedEvent {
        let dateText = "2024年5月15日"
        let quote = dateText + "，星河科技" + text
        let date = TemporalExpression(text: dateText, range: 0..<dateText.unicodeScalars.count,
                                      value: .day(CivilDate(year: 2024, month: 5, day: 15)), mod: nil, end: nil, endMod: nil,
                                      anchor: nil, isRelative: false)
        return ExtractedEvent(date: date, headline: "星河科技" + text, entities: ["xinghe"], kind: kind, isForecast: false,
                              isFollowUp: false,
                              source: EventSource(articleSlug: article, quote: quote, blockIndex: 0, line: 1, key: article + text))
    }

    static func merged(_ statements: [ExtractedEvent]) -> [[String]] {
        let g = EventGraph(extracted: statements, entities: [Entity(id: "xinghe", name: "星河科技", kind: .company)],
                           articleDates: Dictionary(uniqueKeysWithValues: Set(statements.map(\.source.articleSlug)).map { ($0, CivilDate(year: 2024, month: 6, day: 1)) }))
        return g.events.map { $0.sources.map(\.articleSlug).sorted() }.sorted { $0.description < $1.description }
    }

    @Test func sameHappeningInTwoArticlesMerges() {
        #expect(Self.merged([Self.statement("a", .release, "正式发布星河大模型"), Self.statement("b", .release, "推出了新一代星河大模型")]) == [["a", "b"]])
        #expect(Self.merged([Self.statement("a", nil, "宣布星河大模型正式开放公测"), Self.statement("b", nil, "宣布星河大模型正式开放公测，用户可申请")]) == [["a", "b"]])
    }

    /// Sharing the date and the company is not enough: a launch and a funding round of the same
    /// day stay two events, and a third statement does not chain them together.
    @Test func differentHappeningsOfTheSameDayAndCompanyStayApart() {
        #expect(Self.merged([Self.statement("a", .release, "正式发布星河大模型"), Self.statement("b", .funding, "完成新一轮融资")]).count == 2)
        #expect(Self.merged([Self.statement("a", nil, "宣布降价"), Self.statement("b", nil, "完成新一轮融资")]).count == 2)
        let chain = Self.merged([Self.statement("a", .release, "发布新模型并完成新一轮融资"),
                                 Self.statement("b", nil, "完成新一轮融资，发布新模型"),
                                 Self.statement("c", .funding, "完成新一轮融资")])
        #expect(!chain.contains(["a", "b", "c"]), "\(chain)")
    }
}
