import Foundation
import Testing
@testable import SitegenCore

/// Table-driven tests of the date classes of issue 24 and the narrative time of issue 20 §2:
/// (reference date, text, expected "text=value[/mod][>end][ role][ future]" list). Each row is written
/// from the rules in the issues, not from the engine's output.
struct TemporalClassTests {
    typealias Row = TemporalGrammarTests.Row

    static func render(_ e: TemporalExpression) -> String {
        var s = TemporalGrammarTests.render(e)
        if e.role != .event { s += " \(e.role.rawValue)" }
        if e.isFutureReading { s += " future" }
        return s
    }

    static func run(_ row: Row) -> [String] {
        TemporalJSON.expressions(in: row.text, reference: CivilDate(iso: row.reference)!).map(render)
    }

    // 2025-08-09 is a Saturday (ISO week 32, Monday 08-04).
    static let weekdays: [Row] = [
        Row("2025-08-09", "週三，雙方會面。", ["週三=2025-08-06"]),
        Row("2025-08-09", "周三，双方会面。", ["周三=2025-08-06"]),
        Row("2025-08-09", "星期六，公司宣布。", ["星期六=2025-08-09"]),
        Row("2025-08-09", "禮拜一，台股下跌。", ["禮拜一=2025-08-04"]),
        Row("2025-08-09", "礼拜天，双方签约。", ["礼拜天=2025-08-03"]),
        Row("2025-08-09", "星期日，双方签约。", ["星期日=2025-08-03"]),
        Row("2025-08-09", "本週五，蘋果舉行發表會。", ["本週五=2025-08-08"]),
        Row("2025-08-09", "这周一，公司上线新版。", ["这周一=2025-08-04"]),
        Row("2025-08-09", "上周一，美团公布财报。", ["上周一=2025-07-28"]),
        Row("2025-08-09", "上個星期五，輝達大跌。", ["上個星期五=2025-08-01"]),
        Row("2025-08-09", "下週二，台積電將召開法說會。", ["下週二=2025-08-12"]),
        Row("2025-08-09", "下周日，展会闭幕。", ["下周日=2025-08-17"]),
        Row("2025-08-09", "公司将于周五召开股东大会。", ["周五=2025-08-15 future"]),
        Row("2025-08-09", "计划周六发布。", ["周六=2025-08-09 future"]),
        Row("2025-08-09", "5月12日（週一）宣布，週三上線，週五開源。",
            ["5月12日（週一）=2025-05-12", "週三=2025-05-14", "週五=2025-05-16"]),
        Row("2025-08-09", "週一至週三，股價連漲。", ["週一至週三=2025-08-04>2025-08-06"]),
        Row("2025-08-09", "美國商務部週三（6日）宣布新規。", ["週三（6日）=2025-08-06"]),
        Row("2025-08-02", "蘋果週三（30日）公布財報。", ["週三（30日）=2025-07-30"]),
        Row("2025-08-09", "美东时间周四晚间，英伟达公布财报。", ["周四=2025-08-07"]),
        Row("2025-08-09", "阿里巴巴周三发布新模型。", ["周三=2025-08-06"]),
    ]

    static let weekdayNonDates: [Row] = [
        Row("2025-08-09", "每周三开例会，隔周一复盘，一周三次直播。", []),
        Row("2025-08-09", "周一鸣表示，周三丰也到场。", []),
        Row("2025-08-09", "股价上周一度大涨。", ["上周=2025-W31"]),
        Row("2025-08-09", "该应用周日均访问量超千万。", []),
        Row("2025-08-09", "本周一直在谈判。", ["本周=2025-W32"]),
        Row("2025-08-09", "周末，周天，周年庆。", []),
    ]

    static let numerals: [Row] = [
        Row("2025-08-09", "五日，該公司同意和解。", ["五日=2025-08-05"]),
        Row("2025-08-09", "于五日召开董事会。", ["五日=2025-08-05"]),
        Row("2025-08-20", "十五日，公司宣布。", ["十五日=2025-08-15"]),
        Row("2025-08-25", "二十日，监管部门发布新规。", ["二十日=2025-08-20"]),
        Row("2025-08-25", "廿三日，股東會通過決議。", ["廿三日=2025-08-23"]),
        Row("2025-08-31", "卅日，公司公布財報。", ["卅日=2025-08-30"]),
        Row("2025-08-30", "卅一日，公司公布財報。", ["卅一日=2025-07-31"]),
        Row("2025-08-09", "八月五日，公司發布公告。", ["八月五日=2025-08-05"]),
        Row("2025-12-01", "十一月廿三日，双方签约。", ["十一月廿三日=2025-11-23"]),
        Row("2025-08-09", "七月二十日至廿五日举行。", ["七月二十日至廿五日=2025-07-20>2025-07-25"]),
        Row("2025-08-09", "三日内完成，为期五日，他工作了五日，一日千里，廿四小时。", []),
        // Wire copy puts the day between the actor and the verb.
        Row("2025-08-09", "台積電五日宣布擴大投資。", ["五日=2025-08-05"]),
        Row("2025-08-25", "國科會二十日公布補助名單。", ["二十日=2025-08-20"]),
        Row("2025-08-25", "鴻海廿三日召開股東會。", ["廿三日=2025-08-23"]),
        Row("2025-08-09", "团队五日内完成迁移，工期十日左右。", []),
    ]

    static let partsOfDay: [Row] = [
        Row("2025-08-09", "昨晚，公司發布公告。", ["昨晚=2025-08-08"]),
        Row("2025-08-09", "昨夜、昨晨、昨早、昨午", ["昨夜=2025-08-08", "昨晨=2025-08-08", "昨早=2025-08-08", "昨午=2025-08-08"]),
        Row("2025-08-09", "今晨、今早、今午、今晚、今夜", ["今晨=2025-08-09", "今早=2025-08-09", "今午=2025-08-09", "今晚=2025-08-09",
                                                       "今夜=2025-08-09"]),
        Row("2025-08-09", "明晨、明早、明午、明晚、明夜", ["明晨=2025-08-10", "明早=2025-08-10", "明午=2025-08-10", "明晚=2025-08-10",
                                                       "明夜=2025-08-10"]),
        Row("2025-08-09", "前日，雙方達成協議；前晚，台积电公布营收。", ["前日=2025-08-07", "前晚=2025-08-07"]),
        Row("2025-08-09", "5月3日发布；当晚，服务器宕机；次晨恢复。", ["5月3日=2025-05-03", "当晚=2025-05-03", "次晨=2025-05-04"]),
        Row("2024-12-31", "2024年11月18日宣佈，隔天開放，隔日擴大。", ["2024年11月18日=2024-11-18", "隔天=2024-11-19", "隔日=2024-11-20"]),
        Row("2025-08-09", "台積電前日宣布擴產。", ["前日=2025-08-07"]),
        Row("2025-08-09", "大选前夜，发布会的前日，开幕前晚。", []),
    ]

    /// 當日, 同日, 当天 need a day to hang on: a year, quarter or half is none, so they are read as the
    /// reference day, never as that period (issue 24: 當日 must never become a year).
    static let dayWordsNeverAPeriod: [Row] = [
        Row("2024-12-31", "2024年，公司成立。當日，股價大漲。", ["2024年=2024", "當日=2024-12-31"]),
        Row("2024-12-31", "2024年第三季度，营收增长；同日，股价大涨。", ["2024年第三季度=2024-Q3", "同日=2024-12-31"]),
        Row("2024-12-31", "2024年上半年，用户翻倍；当天，股价大涨。", ["2024年上半年=2024-H1", "当天=2024-12-31"]),
        Row("2024-12-31", "2024年6月，公司成立；当日，股价大涨；次日回落。", ["2024年6月=2024-06", "当日=2024-06", "次日=2024-06"]),
    ]

    static let bareDays: [Row] = [
        Row("2025-08-09", "30日，公司宣布裁員。", ["30日=2025-07-30"]),
        Row("2025-08-09", "9日，公司宣布。", ["9日=2025-08-09"]),
        Row("2025-10-05", "31日，公司发布公告。", ["31日=2025-08-31"]),
        Row("2025-03-10", "29日，公司发布公告。", ["29日=2025-01-29"]),
        Row("2024-03-10", "29日，公司发布公告。", ["29日=2024-02-29"]),
        Row("2025-08-20", "公司将于25日召开股东会。", ["25日=2025-08-25 future"]),
        Row("2025-08-20", "結果預計15日公布。", ["15日=2025-09-15 future"]),
        Row("2025-08-20", "将于20日公布。", ["20日=2025-08-20 future"]),
        Row("2025-01-30", "将于31日公布，计划在30日开会。", ["31日=2025-01-31 future", "30日=2025-01-30 future"]),
        Row("2025-08-09", "7月5日发布；28日升级。", ["7月5日=2025-07-05", "28日=2025-07-28"]),
    ]

    static let datelines: [Row] = [
        Row("2025-08-09", "（中央社台北30日電）美國商務部30日宣布。", ["30日=2025-07-30 dateline", "30日=2025-07-30"]),
        Row("2025-08-09", "（中央社記者吳家豪台北30日電）輝達今天表示，將於下週二公布財報。",
            ["30日=2025-07-30 dateline", "今天=2025-07-30", "下週二=2025-08-05"]),
        Row("2025-05-22", "新华社北京5月21日电 记者从工信部获悉，昨天发布新规。", ["5月21日=2025-05-21 dateline", "昨天=2025-05-20"]),
        Row("2025-08-06", "本报北京8月5日讯 今天上午，会议召开。", ["8月5日=2025-08-05 dateline", "今天=2025-08-05"]),
        Row("2025-08-09", "（路透社倫敦8日電）英國央行週四宣布降息。", ["8日=2025-08-08 dateline", "週四=2025-08-07"]),
        Row("2025-08-09", "（中央社台北五日電）", ["五日=2025-08-05 dateline"]),
        Row("2025-08-09", "【本報訊】阿里巴巴昨日宣布降價。", ["昨日=2025-08-08"]),
        Row("2025-08-09", "5月21日电价上调；22日电商大促。", ["5月21日=2025-05-21", "22日=2025-05-22"]),
        // A dateline is not an anchor: 两天后 counts from the reference it set.
        Row("2025-08-09", "（中央社台北30日電）兩天後，雙方將再度會談。", ["30日=2025-07-30 dateline", "兩天後=2025-08-01"]),
    ]

    static let vague: [Row] = [
        Row("2025-08-09", "近日，阿里宣布新模型。", ["近日=2025-08-09/APPROX"]),
        Row("2025-08-09", "日前，記者獲悉；公司近期將推出新品；最近，OpenAI發布；早前，騰訊宣布；結果將於日內公布。",
            ["日前=2025-08-09/APPROX", "近期=2025-08-09/APPROX", "最近=2025-08-09/APPROX", "早前=2025-08-09/APPROX",
             "日內=2025-08-09/APPROX"]),
        Row("2025-08-09", "阿里巴巴日前宣布降价。", ["日前=2025-08-09/APPROX"]),
        Row("2025-08-09", "近日，阿里宣布新模型；次日，百度跟进；两天后，腾讯跟进。",
            ["近日=2025-08-09/APPROX", "次日=2025-08-10/APPROX", "两天后=2025-08-12/APPROX"]),
        Row("2025-12-30", "近日，公司回顾了1月发布的模型。", ["近日=2025-12-30/APPROX", "1月=2025-01"]),
        Row("2025-08-09", "节日前夕，附近日本企业，日内瓦车展，接近日本，最近一次，最近的中心，一早前往，5日前。",
            ["5日前=2025-08-04"]),
    ]

    static let weeks: [Row] = [
        Row("2025-08-09", "2025年的第一週，股價大漲。", ["2025年的第一週=2025-W01"]),
        Row("2025-08-09", "第12周，公司发布新模型。", ["第12周=2025-W12"]),
        Row("2025-03-01", "第12周，公司发布新模型。", ["第12周=2024-W12"]),
        Row("2025-03-01", "预计于第12周发布。", ["第12周=2025-W12 future"]),
        Row("2025-08-09", "年初第一週，市場回暖。", ["年初第一週=2025-W01"]),
        Row("2025-08-09", "今年第三十周，去年第3个星期", ["今年第三十周=2025-W30", "去年第3个星期=2024-W03"]),
        Row("2026-12-31", "2026年第53周", ["2026年第53周=2026-W53"]),
        Row("2025-12-31", "2025年第53周", []),
        Row("2025-08-09", "上線後的第一週，第十周年，第3周期。", []),
    ]

    static let monthParts: [Row] = [
        Row("2025-08-31", "8月上旬发布，中旬上线，下旬开源。", ["8月上旬=2025-08/START", "中旬=2025-08/MID", "下旬=2025-08/END"]),
        Row("2025-08-20", "上旬，公司发布新模型。", ["上旬=2025-08/START"]),
        Row("2025-11-01", "10月中旬至下旬，展會舉行。", ["10月中旬至下旬=2025-10/MID>2025-10"]),
        Row("2025-08-09", "2024年双11期间，今年618期間", ["2024年双11=2024-11-11", "今年618=2025-06-18"]),
        Row("2025-08-09", "618期间，发布新品。\n双十一当天，阿里跟进。", ["618=2025-06-18", "双十一=2024-11-11", "当天=2024-11-11"]),
        Row("2025-08-09", "雙12前夕，電商促銷。\n公司预计双11期间销量翻倍。", ["雙12=2024-12-12", "双11=2025-11-11 future"]),
        Row("2025-08-09", "618大促销售额，雙11銷售額，2024年618家企业，型号618。", ["2024年=2024"]),
    ]

    static let baselinesAndPeriods: [Row] = [
        Row("2025-08-09", "今年前6個月累計營收較去年同期增長30%。",
            ["今年前6個月=2025-01>2025-06 period", "去年同期=2024-01>2024-06 baseline"]),
        Row("2025-08-09", "市佔率由四年前的九成半降至五成。", ["四年前=2021 baseline"]),
        Row("2025-08-09", "营收较去年同期增长30%，与上年同期持平。", ["去年同期=2024-08 baseline", "上年同期=2024-08 baseline"]),
        Row("2025-08-09", "與2023年相比，成本下降一半；價格比2022年便宜；相较于2021年翻倍。",
            ["2023年=2023 baseline", "2022年=2022 baseline", "2021年=2021 baseline"]),
        Row("2025-08-09", "2024年前三季度营收增长；前6个月，用户翻倍；今年的前十个月", [
            "2024年前三季度=2024-Q1>2024-Q3 period", "前6个月=2024-01>2024-06 period", "今年的前十个月=2025-01>2025-10 period"]),
        Row("2025-08-09", "今年以來累計融資超百億；1—7月累计出货500万台。", ["今年=2025 period", "1—7月=2025-01>2025-07 period"]),
        Row("2025-08-09", "滲透率從2023年的5%提升至2025年的20%。", ["2023年=2023 baseline", "2025年=2025"]),
        Row("2025-08-09", "从2023年到2024年，公司由2022年成立的团队扩展而来。", ["2023年到2024年=2023>2024", "2022年=2022"]),
        Row("2025-08-09", "截至6月底累计用户破亿。", ["6月底=2025-06/END"]),
        Row("2025-08-09", "上线前6个月，用户增长缓慢。", []),
    ]

    /// Narrative time hangs on the most recent event date, never on a baseline, period or dateline.
    static let narrative: [Row] = [
        Row("2024-06-20", "6月3日，月之暗面调整了API价格。两天后，零一万物宣布跟进。", ["6月3日=2024-06-03", "两天后=2024-06-05"]),
        Row("2024-06-20", "6月3日發布，幾個小時後，用戶湧入；數小時後，伺服器宕機。",
            ["6月3日=2024-06-03", "幾個小時後=2024-06-03", "數小時後=2024-06-03"]),
        Row("2024-05-20", "5月13日發表GPT-4o；當天晚些時候，谷歌預告新模型。", ["5月13日=2024-05-13", "當天=2024-05-13"]),
        // A week after a day is a day, counted from the date just before (一周后 then 两周后).
        Row("2025-08-09", "3月5日发布；一周后，公司开源；两周后，用户破亿。", ["3月5日=2025-03-05", "一周后=2025-03-12", "两周后=2025-03-26"]),
        Row("2025-08-09", "3月发布；一周后，公司开源。", ["3月=2025-03", "一周后=2025-03"]),
        // 当日 after a year hangs on the last day the text named.
        Row("2025-02-14", "董事會12日通過2025年預算，當日股價上漲。", ["12日=2025-02-12", "2025年=2025", "當日=2025-02-12"]),
        Row("2025-02-14", "公司2025年营收创新高，当日股价上涨。", ["2025年=2025", "当日=2025-02-14"]),
        Row("2025-08-09", "2023年8月推出，同年11月升级；当月用户破亿。", ["2023年8月=2023-08", "同年11月=2023-11", "当月=2023-11"]),
        Row("2025-08-09", "2024年5月，公司成立；三个月后，推出首款产品；两天后，开放下载。",
            ["2024年5月=2024-05", "三个月后=2024-08", "两天后=2024-08"]),
        Row("2025-12-31", "2023年，公司成立；两年后上市。", ["2023年=2023", "两年后=2025"]),
        Row("2024-06-20", "6月3日發布。次日，股價大漲；兩天後，對手跟進。", ["6月3日=2024-06-03", "次日=2024-06-04", "兩天後=2024-06-06"]),
        Row("2025-08-09", "2024年底发布；两个月后，用户破亿。", ["2024年底=2024/END", "两个月后=2025"]),
        Row("2025-08-09", "6月3日，公司降价，较去年同期低30%；两天后，对手跟进。",
            ["6月3日=2025-06-03", "去年同期=2024-06-03 baseline", "两天后=2025-06-05"]),
        Row("2025-08-09", "营收较去年同期增长30%；数小时后，股价大涨。", ["去年同期=2024-08 baseline", "数小时后=2025-08-09"]),
        Row("2025-08-09", "5月3日发布，市佔率由四年前的九成降至五成；次日回落。",
            ["5月3日=2025-05-03", "四年前=2021 baseline", "次日=2025-05-04"]),
        // 前-offsets count back from publication, as news write them (「两年前成立」).
        Row("2025-08-09", "6月3日发布；两年前，公司成立。", ["6月3日=2025-06-03", "两年前=2023"]),
    ]

    static let future: [Row] = [
        Row("2025-08-20", "公司计划在11月完成备案。", ["11月=2025-11 future"]),
        Row("2025-08-20", "公司計劃於11月完成備案。", ["11月=2025-11 future"]),
        Row("2025-03-10", "预计下半年推出新模型。", ["下半年=2025-H2 future"]),
        Row("2024-12-15", "小米拟于3月发布新机；苹果有望在9月推出新品。", ["3月=2025-03 future", "9月=2025-09 future"]),
        Row("2025-08-20", "新版本将于12月1日上线；該公司預計第四季度量產。", ["12月1日=2025-12-01 future", "第四季度=2025-Q4 future"]),
        Row("2025-08-20", "新功能将于8月底上线，预计最快将于10月中旬获批。", ["8月底=2025-08/END future", "10月中旬=2025-10/MID future"]),
        Row("2025-12-20", "新機將於1月發布，預定2月量產，定于3月交付。", ["1月=2026-01 future", "2月=2026-02 future", "3月=2026-03 future"]),
        Row("2025-08-20", "公司在11月完成备案。", ["11月=2024-11"]),
        Row("2025-08-09", "2024年5月，公司宣布将于11月上市。", ["2024年5月=2024-05", "11月=2024-11"]),
        Row("2025-08-20", "该公司将其3月发布的模型开源。", ["3月=2025-03"]),
        Row("2025-08-20", "团队模拟11月的流量高峰。", ["11月=2024-11"]),
        Row("2025-08-20", "将于明年3月上线，计划本月底完成。", ["明年3月=2026-03", "本月底=2025-08/END"]),
    ]

    @Test("weekdays", arguments: weekdays) func weekdayForms(_ row: Row) {
        #expect(Self.run(row) == row.expected)
    }
    @Test("weekday look-alikes", arguments: weekdayNonDates) func weekdayNonDateForms(_ row: Row) {
        #expect(Self.run(row) == row.expected)
    }
    @Test("Chinese-numeral days", arguments: numerals) func numeralForms(_ row: Row) {
        #expect(Self.run(row) == row.expected)
    }
    @Test("parts of the day", arguments: partsOfDay) func partOfDayForms(_ row: Row) {
        #expect(Self.run(row) == row.expected)
    }
    @Test("day words never a period", arguments: dayWordsNeverAPeriod) func dayWordForms(_ row: Row) {
        #expect(Self.run(row) == row.expected)
    }
    @Test("bare days", arguments: bareDays) func bareDayForms(_ row: Row) {
        #expect(Self.run(row) == row.expected)
    }
    @Test("datelines", arguments: datelines) func datelineForms(_ row: Row) {
        #expect(Self.run(row) == row.expected)
    }
    @Test("vague recency", arguments: vague) func vagueForms(_ row: Row) {
        #expect(Self.run(row) == row.expected)
    }
    @Test("weeks of the year", arguments: weeks) func weekForms(_ row: Row) {
        #expect(Self.run(row) == row.expected)
    }
    @Test("parts of a month and festivals", arguments: monthParts) func monthPartForms(_ row: Row) {
        #expect(Self.run(row) == row.expected)
    }
    @Test("baselines and periods", arguments: baselinesAndPeriods) func baselineForms(_ row: Row) {
        #expect(Self.run(row) == row.expected)
    }
    @Test("narrative time", arguments: narrative) func narrativeForms(_ row: Row) {
        #expect(Self.run(row) == row.expected)
    }
    @Test("future readings", arguments: future) func futureForms(_ row: Row) {
        #expect(Self.run(row) == row.expected)
    }

    // MARK: what the extractor reads

    @Test func aDatelineBecomesTheReferenceAndIsRecorded() {
        var context = TemporalContext(reference: CivilDate(iso: "2025-08-09")!)
        let recognizer = TemporalRecognizer()
        let line = recognizer.recognize("（中央社台北30日電）", context: &context)
        #expect(line.map(\.role) == [.dateline])
        #expect(context.reference == CivilDate(iso: "2025-07-30")!)
        #expect(context.datelineReference == CivilDate(iso: "2025-07-30")!)
        #expect(context.publicationDate == CivilDate(iso: "2025-08-09")!)
        #expect(context.documentLast == nil)
        context.beginParagraph()
        let body = recognizer.recognize("美國商務部昨天宣布新規。", context: &context)
        #expect(body.map(\.value.string) == ["2025-07-29"])
        // A dateline on the reference day changes nothing and records nothing.
        var same = TemporalContext(reference: CivilDate(iso: "2025-08-09")!)
        _ = recognizer.recognize("新华社北京8月9日电 记者获悉", context: &same)
        #expect(same.datelineReference == nil)
        #expect(same.reference == CivilDate(iso: "2025-08-09")!)
    }

    @Test func baselinesPeriodsAndDatelinesNeverAnchorTheNarrative() {
        let recognizer = TemporalRecognizer()
        for text in ["较去年同期增长30%", "与2023年相比", "由四年前的九成降至五成", "今年前6个月累计", "前三季度", "（中央社台北30日電）"] {
            var context = TemporalContext(reference: CivilDate(iso: "2025-08-09")!)
            context.documentLast = .day(CivilDate(iso: "2025-06-03")!)
            let found = recognizer.recognize(text, context: &context)
            #expect(!found.isEmpty && found.allSatisfy { $0.role != .event }, "\(text)")
            #expect(context.documentLast == .day(CivilDate(iso: "2025-06-03")!), "\(text)")
        }
    }

    @Test func approxIsOnlyEverAReferenceDay() {
        let ref = CivilDate(iso: "2025-08-09")!
        for e in TemporalJSON.expressions(in: "近日、日前、近期、日内、最近、早前，公司宣布。", reference: ref) {
            #expect(e.mod == .approx && e.value == .day(ref) && e.isRelative, "\(e.text)")
        }
    }

    @Test func contractJSONCarriesApproxRoleAndFutureOnlyWhenNeeded() throws {
        let ref = CivilDate(iso: "2025-08-20")!
        let json = TemporalJSON.encode(TemporalJSON.expressions(in: "近日，较去年同期增长；计划在11月完成；2024年5月发布。", reference: ref))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.count == 4)
        #expect(rows[0]["mod"] as? String == "APPROX")
        #expect(rows[1]["role"] as? String == "baseline")
        #expect(rows[2]["future"] as? Bool == true && rows[2]["value"] as? String == "2025-11")
        #expect(Set(rows[3].keys) == ["text", "value", "mod", "end"])
    }

    @Test func displayNeverShowsAnApproxDateAsAnExactDay() {
        let v = TemporalValue.day(CivilDate(iso: "2025-08-09")!)
        #expect(DateDisplay.text(v, mod: .approx) == "2025年8月9日前后")
        #expect(DateDisplay.text(v, mod: nil) == "2025年8月9日")
        #expect(v.sortDay(mod: .approx) == v.sortDay(mod: nil))
    }
}
