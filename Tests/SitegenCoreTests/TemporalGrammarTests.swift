import Testing
@testable import SitegenCore

/// Table-driven tests of the date grammar: (reference date, text, expected "text=value[/mod][>end]" list).
/// Each row is written from the rules in the issue, not from the engine's output.
struct TemporalGrammarTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var reference: String
        var text: String
        var expected: [String]
        var testDescription: String { text }
        init(_ reference: String, _ text: String, _ expected: [String]) {
            self.reference = reference
            self.text = text
            self.expected = expected
        }
    }

    static func render(_ e: TemporalExpression) -> String {
        var s = "\(e.text)=\(e.value.string)"
        if let m = e.mod { s += "/\(m.rawValue)" }
        if let end = e.end { s += ">\(end.string)" }
        return s
    }

    static func run(_ row: Row) -> [String] {
        TemporalJSON.expressions(in: row.text, reference: CivilDate(iso: row.reference)!).map(render)
    }

    static let absolute: [Row] = [
        Row("2024-12-31", "2024年5月15日，字节跳动发布豆包。", ["2024年5月15日=2024-05-15"]),
        Row("2024-12-31", "２０２４年６月１日起实施。", ["２０２４年６月１日=2024-06-01"]),
        Row("2024-12-31", "二〇二四年三月五日召开。", ["二〇二四年三月五日=2024-03-05"]),
        Row("2024-12-31", "2023 年 4 月，国内至少有 19 家企业涉足。", ["2023 年 4 月=2023-04"]),
        Row("2024-12-31", "版本于2024-06-18发布，另一版2024/6/18上线。", ["2024-06-18=2024-06-18", "2024/6/18=2024-06-18"]),
        Row("2024-12-31", "2024.06.18 公告", ["2024.06.18=2024-06-18"]),
        Row("2024-12-31", "5月份的数据显示", ["5月份=2024-05"]),
        Row("2024-12-31", "2024年度报告", ["2024年度=2024"]),
        Row("2024-12-31", "十二月二十二日，会议举行。", ["十二月二十二日=2024-12-22"]),
        Row("2024-12-31", "2022年11月底ChatGPT发布", ["2022年11月底=2022-11/END"]),
        Row("2024-12-31", "2024年3Q财报", ["2024年=2024"]),
        Row("2024-12-31", "2024Q3营收增长", ["2024Q3=2024-Q3"]),
    ]

    static let modifiers: [Row] = [
        Row("2024-12-31", "8月上旬、8月中旬和8月下旬", ["8月上旬=2024-08/START", "8月中旬=2024-08/MID", "8月下旬=2024-08/END"]),
        Row("2024-12-31", "2024年初，2024年年中，2024年底，2024年末", ["2024年初=2024/START", "2024年年中=2024/MID", "2024年底=2024/END", "2024年末=2024/END"]),
        Row("2024-12-31", "2024年上半年与2024年下半年", ["2024年上半年=2024-H1", "2024年下半年=2024-H2"]),
        Row("2024-12-31", "2024年第三季度营收", ["2024年第三季度=2024-Q3"]),
        Row("2024-12-31", "2024年一季度", ["2024年一季度=2024-Q1"]),
        Row("2024-12-31", "2024年Q4", ["2024年Q4=2024-Q4"]),
        Row("2024-12-31", "前三季度，消费支出贡献率达49.9%。", ["前三季度=2024-Q1>2024-Q3"]),
        Row("2024-12-31", "2024年半年报显示", ["2024年半年报=2024-H1"]),
        Row("2024-12-31", "2023年年报显示", ["2023年年报=2023"]),
        Row("2024-12-31", "12月初，腾讯上线。", ["12月初=2024-12/START"]),
        Row("2024-12-31", "12月末，OpenAI推出O1系列", ["12月末=2024-12/END"]),
    ]

    static let relative: [Row] = [
        Row("2024-12-23", "今年8月底至9月，国产视频生成大模型迎来爆发。", ["今年8月底至9月=2024-08/END>2024-09"]),
        Row("2023-12-25", "去年，前年，明年", ["去年=2022", "前年=2021", "明年=2024"]),
        Row("2024-05-15", "今天、昨天、前天、明天", ["今天=2024-05-15", "昨天=2024-05-14", "前天=2024-05-13", "明天=2024-05-16"]),
        Row("2024-05-15", "本月、上月、上个月、下月", ["本月=2024-05", "上月=2024-04", "上个月=2024-04", "下月=2024-06"]),
        Row("2024-05-15", "本周发布，上周宣布，下周上线", ["本周=2024-W20", "上周=2024-W19", "下周=2024-W21"]),
        Row("2024-05-15", "3天后公布，两个月前宣布，两年前成立", ["3天后=2024-05-18", "两个月前=2024-03", "两年前=2022"]),
        Row("2024-05-15", "昨日，公司宣布", ["昨日=2024-05-14"]),
        Row("2024-05-15", "今年上半年", ["今年上半年=2024-H1"]),
        Row("2024-05-15", "今年年初", ["今年年初=2024/START"]),
        Row("2024-12-31", "1—11月，社会消费品零售总额达44.3万亿元", ["1—11月=2024-01>2024-11"]),
    ]

    static let anaphora: [Row] = [
        Row("2024-12-31", "如5月21日阿里通义千问宣布大降价；同日，百度宣布文心大模型全面免费；22日，腾讯也公布了方案。",
            ["5月21日=2024-05-21", "同日=2024-05-21", "22日=2024-05-22"]),
        Row("2024-12-31", "2023年8月推出，同年11月升级", ["2023年8月=2023-08", "同年11月=2023-11"]),
        Row("2024-12-31", "2023年3月5日发布，次日上线", ["2023年3月5日=2023-03-05", "次日=2023-03-06"]),
        Row("2024-12-31", "在2024年5月开始对外服务，11月月活跃用户近6000万", ["2024年5月=2024-05", "11月=2024-11"]),
        Row("2024-06-10", "当天，公司发布新品", ["当天=2024-06-10"]),
        Row("2026-01-08", "12月19日，北京西单商场的清仓商品吸引顾客选购。", ["12月19日=2025-12-19"]),
        Row("2024-03-01", "2023年12月30日发布，1月3日更新", ["2023年12月30日=2023-12-30", "1月3日=2024-01-03"]),
    ]

    static let ranges: [Row] = [
        Row("2024-12-31", "5月21日至23日举办", ["5月21日至23日=2024-05-21>2024-05-23"]),
        Row("2024-12-31", "8-9月是旺季", ["8-9月=2024-08>2024-09"]),
        Row("2024-12-31", "2023-2024年的数据", ["2023-2024年=2023>2024"]),
        Row("2024-12-31", "从2023年到2024年", ["2023年到2024年=2023>2024"]),
        Row("2023-12-25", "截至12月24日，A股69家AIGC概念股市值合计8182.47亿元", ["12月24日=2023-12-24"]),
        Row("2024-12-31", "自2023年以来，大模型火热", ["2023年=2023"]),
        Row("2024-12-31", "2023年3月以来", ["2023年3月=2023-03"]),
        Row("2024-12-31", "2024年春节期间", ["2024年=2024"]),
        // A 《 nobody closes is a stray mark, not a title that hides every date after it.
        Row("2024-12-31", "见《报告。2023年5月1日发布", ["2023年5月1日=2023-05-01"]),
        Row("2024-12-31", "《报告\n2023年5月1日》", ["2023年5月1日=2023-05-01"]),
    ]

    static let nonDates: [Row] = [
        Row("2024-12-31", "9.11和9.9哪个大？", []),
        Row("2024-12-31", "性能提升3.5倍，Qwen2.5和GPT-4o、Llama3.3 70b、DeepSeek V3", []),
        Row("2024-12-31", "价格为0.0008元/千Tokens，融资1.1亿，股价116.20港元，19 家企业", []),
        Row("2024-12-31", "四个月内完成，过去10年，70多年发展", []),
        Row("2024-12-31", "股票代码600519，电话0771-6113592，010-12345678", []),
        Row("2023-12-14", "2023 年第 61 期 (总第 217 期)", ["2023 年=2023"]),
        Row("2024-12-31", "《2023年中国大模型发展报告》指出", []),
        Row("2024-12-31", "《《2023年》年鉴》与《人工智能》", []),
        Row("2024-12-31", "地铁1号线和3号楼", []),
        Row("2024-12-31", "2024年中国AI市场规模", ["2024年=2024"]),
        Row("2024-12-31", "2000亿元的投资", []),
        Row("2024-12-31", "一年时间，十年磨一剑", []),
        Row("2024-12-31", "国内数据量超 10 亿的大模型已经超 80 个", []),
        Row("2024-12-31", "初步判断，初次尝试", []),
        Row("2024-12-31", "GPT-3.5和iOS 18.2", []),
    ]

    static let traditional: [Row] = [
        Row("2024-05-15", "上週，公司宣佈新模型", ["上週=2024-W19"]),
        Row("2024-05-15", "數小時後，股價大漲", ["數小時後=2024-05-15"]),
        Row("2024-05-15", "兩年前成立", ["兩年前=2022"]),
        Row("2024-12-31", "2024年5月15日，字節跳動發佈豆包", ["2024年5月15日=2024-05-15"]),
    ]

    @Test("absolute forms", arguments: absolute) func absoluteForms(_ row: Row) { #expect(Self.run(row) == row.expected) }
    @Test("precision modifiers", arguments: modifiers) func modifierForms(_ row: Row) { #expect(Self.run(row) == row.expected) }
    @Test("relative to publication", arguments: relative) func relativeForms(_ row: Row) { #expect(Self.run(row) == row.expected) }
    @Test("anaphora and year inference", arguments: anaphora) func anaphoraForms(_ row: Row) { #expect(Self.run(row) == row.expected) }
    @Test("ranges and anchors", arguments: ranges) func rangeForms(_ row: Row) { #expect(Self.run(row) == row.expected) }
    @Test("never dates", arguments: nonDates) func nonDateForms(_ row: Row) { #expect(Self.run(row) == row.expected) }
    @Test("traditional Chinese", arguments: traditional) func traditionalForms(_ row: Row) { #expect(Self.run(row) == row.expected) }

    @Test func anchorsAreRecorded() {
        let ref = CivilDate(iso: "2024-12-31")!
        let until = TemporalJSON.expressions(in: "截至12月24日，市值合计", reference: ref)
        #expect(until.first?.anchor == .until)
        let since = TemporalJSON.expressions(in: "自2023年以来", reference: ref)
        #expect(since.first?.anchor == .since)
    }

    @Test func contractJSONShape() {
        let json = TemporalJSON.encode(TemporalJSON.expressions(in: "2024年8月底至9月", reference: CivilDate(iso: "2024-12-31")!))
        #expect(json.contains(#""text": "2024年8月底至9月""#))
        #expect(json.contains(#""value": "2024-08""#))
        #expect(json.contains(#""mod": "END""#))
        #expect(json.contains(#""end": "2024-09""#))
    }
}

struct CivilDateTests {
    @Test func rejectsImpossibleDates() {
        #expect(CivilDate(iso: "2024-02-30") == nil)
        #expect(CivilDate(iso: "2023-02-29") == nil)
        #expect(CivilDate(iso: "2024-02-29") != nil)
        #expect(CivilDate(iso: "2024-13-01") == nil)
        #expect(CivilDate(iso: "24-01-01") == nil)
    }

    @Test func dayNumbersRoundTrip() {
        for n in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CivilDate(dayNumber: n).dayNumber == n)
        }
        #expect(CivilDate(iso: "1970-01-01")!.dayNumber == 0)
        #expect(CivilDate(iso: "2000-03-01")!.dayNumber == 11017)
    }

    @Test func isoWeeks() {
        // Known ISO weeks: 2021-01-03 belongs to 2020-W53; 2024-12-30 to 2025-W01.
        #expect(CivilDate(iso: "2021-01-03")!.isoWeek == (2020, 53))
        #expect(CivilDate(iso: "2024-12-30")!.isoWeek == (2025, 1))
        #expect(CivilDate(iso: "2024-05-15")!.isoWeek == (2024, 20))
        #expect(CivilDate.mondayOf(isoYear: 2024, week: 20) == CivilDate(iso: "2024-05-13")!)
    }

    @Test func valuesSortByStartThenPrecision() {
        let day = TemporalValue(string: "2024-05-01")!
        let month = TemporalValue(string: "2024-05")!
        let quarter = TemporalValue(string: "2024-Q2")!
        #expect(day < month)
        #expect(quarter < month)  // Q2 starts in April
        #expect(TemporalValue(string: "2024")!.sortDay(mod: .end) > TemporalValue(string: "2024-11")!.sortDay(mod: nil) - 40)
        #expect(TemporalValue(string: "2024-H3") == nil)
        #expect(TemporalValue(string: "2024-W20")!.firstDay == CivilDate(iso: "2024-05-13")!)
    }
}
