import Foundation
import PropertyBased
import Testing
@testable import SitegenCore

/// What must hold for every date the engine reports, whatever the text: shared by the property
/// tests and the replay of inputs that once made the fuzzer fail (`Fuzz/regressions/`).
enum TemporalInvariants {
    static let references = [CivilDate(year: 2024, month: 12, day: 23), CivilDate(year: 2025, month: 1, day: 3),
                             CivilDate(year: 1, month: 1, day: 1), CivilDate(year: 9999, month: 12, day: 31)]

    /// Problems with what the engine found in `text` (empty when all is well).
    static func problems(in text: String) -> [String] {
        var out: [String] = []
        for reference in references {
            let expressions = TemporalJSON.expressions(in: text, reference: reference)
            for e in expressions {
                out += problems(with: e, in: text).map { "\(reference.iso): \($0)" }
            }
            let json = TemporalJSON.encode(expressions)
            let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
            if parsed?.count != expressions.count { out.append("\(reference.iso): JSON does not parse back: \(json)") }
        }
        // The recognizer's ranges are Unicode-scalar offsets into the paragraph it was given.
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let scalars = Array(paragraph.unicodeScalars)
            var context = TemporalContext(reference: references[0])
            for e in TemporalRecognizer().recognize(String(paragraph), context: &context) {
                guard e.range.lowerBound >= 0, e.range.lowerBound < e.range.upperBound, e.range.upperBound <= scalars.count else {
                    out.append("range \(e.range) of '\(e.text)' outside the \(scalars.count) scalars of its paragraph")
                    continue
                }
                let slice = String(String.UnicodeScalarView(scalars[e.range]))
                if slice != e.text { out.append("text '\(e.text)' is not the input at \(e.range) ('\(slice)')") }
            }
        }
        return out
    }

    static func problems(with e: TemporalExpression, in text: String) -> [String] {
        var out: [String] = []
        // Bytes, not Characters: an expression may end before a combining mark that joins its last character.
        if Data(text.utf8).range(of: Data(e.text.utf8)) == nil { out.append("'\(e.text)' is not in the input") }
        if TemporalValue(string: e.value.string) != e.value { out.append("value \(e.value.string) of '\(e.text)' does not round-trip") }
        // APPROX stands for "around the reference day", never a coarser period.
        if e.mod == .approx, e.value.precision != .day { out.append("'\(e.text)' is APPROX at \(e.value.string)") }
        if e.isFutureReading, e.role != .event { out.append("'\(e.text)' is a \(e.role) read as future") }
        if let end = e.end {
            if TemporalValue(string: end.string) != end { out.append("end \(end.string) of '\(e.text)' does not round-trip") }
            if end.lastDay < e.value.firstDay {
                out.append("'\(e.text)' ends (\(end.string) \(e.endMod?.rawValue ?? "")) before it starts (\(e.value.string) \(e.mod?.rawValue ?? ""))")
            }
        }
        return out
    }
}

/// Random Chinese-ish text — digits, full-width digits, the characters dates are made of,
/// punctuation, any CJK ideograph, now and then any character at all — never crashes the engine
/// and never yields an expression that breaks the contract.
@Suite struct TemporalPropertyTests {
    static let tokens: [String] = Array("0123456789０１２３４５６７８９〇零一二两三四五六七八九十年月日号季度上下半初中底末旬今去明前后同次当本周星期第首数几个天小时至到起自从以来截止期间")
        .map(String.init) + [
            "季度", "上半年", "下半年", "年初", "年底", "年末", "中旬", "下旬", "今年", "去年", "同日", "次日", "当月", "上周", "本周",
            "2024", "1999", "2199", "25Q1", "Q3", "H1", "２０２４", "二〇二四", "十二", "三十一", "—", "——", "-", "~", "–", "、", "，",
            "。", "；", "：", "（", "）", "(", ")", "《", "》", "/", ".", " ", "\u{3000}", "\n", "至今", "以来", "截至", "去年同期",
            // Issue 24: weekdays, numerals, parts of the day, vague recency, datelines, comparisons, future markers.
            "周三", "週五", "星期日", "礼拜天", "本周", "上周一", "下週二", "廿", "卅", "昨晚", "今晨", "前日", "隔天", "当晚", "近日",
            "日前", "近期", "日内", "最近", "早前", "电", "電）", "讯", "较", "比", "由", "降至", "累计", "将于", "计划", "预计", "拟",
            "第一周", "第12周", "上旬", "中旬", "下旬", "双11", "618", "期间", "两天后", "数小时后",
        ]

    /// One piece of text: usually a token, sometimes an ideograph, rarely any character.
    static let piece = zip(Gen.int(in: 0...99), Gen<String?>.element(of: tokens),
                           Gen.unicodeScalar(in: "\u{4E00}"..."\u{9FA5}"), Gen.unicodeScalar(in: "\u{1}"..."\u{D7FF}"))
        .map { roll, token, ideograph, any -> String in
            roll < 80 ? token ?? "" : roll < 95 ? String(ideograph) : String(any)
        }
    static let text = piece.array(of: 0...40).map { $0.joined() }

    @Test func everyExpressionKeepsTheContract() async {
        await propertyCheck(count: 1500, input: Self.text) { text in
            let problems = TemporalInvariants.problems(in: text)
            #expect(problems.isEmpty, "\(text.debugDescription): \(problems.prefix(5))")
        }
    }

    /// Dates that are there for sure: 「YYYY年M月D日」 of any valid day is read back exactly,
    /// whatever surrounds it.
    @Test func aFullDateIsFoundWhateverSurroundsIt() async {
        let dates = zip(Gen.int(in: 1900...2199), Gen.int(in: 1...12), Gen.int(in: 1...31))
        await propertyCheck(count: 800, input: zip(Self.text, dates, Self.text)) { before, date, after in
            let (y, m, d) = date
            guard CivilDate.isValid(year: y, month: m, day: d) else { return }
            let written = "\(y)年\(m)月\(d)日"
            // Keep the surroundings from joining the date's own digits or reading on from it, and
            // from opening a book title (《…, whose years are names, not dates).
            // Scalars, not Characters: 《 followed by a combining mark is one Character that a
            // Character-level replace would miss.
            let opening = before.unicodeScalars.filter { $0 != "《" }
            let text = String(String.UnicodeScalarView(opening)) + "。" + written + "发布。" + after
            let found = TemporalJSON.expressions(in: text, reference: CivilDate(year: 2024, month: 12, day: 23))
            let value = TemporalValue.day(CivilDate(year: y, month: m, day: d))
            #expect(found.contains { $0.text == written && $0.value == value }, "\(text.debugDescription): \(found.map(\.text))")
        }
    }

    /// Ranges 「A至B」 of two explicit dates never end before they start.
    @Test func explicitRangesAreOrdered() async {
        let part = zip(Gen.int(in: 2000...2030), Gen.int(in: 1...12), Gen<String?>.element(of: ["", "初", "中", "底", "末", "上旬", "下旬"]))
        await propertyCheck(count: 800, input: zip(part, part, Gen<String?>.element(of: ["至", "到", "—", "-", "~"]))) { a, b, connector in
            let text = "\(a.0)年\(a.1)月\(a.2 ?? "")\(connector ?? "至")\(b.0)年\(b.1)月\(b.2 ?? "")"
            for e in TemporalJSON.expressions(in: text, reference: CivilDate(year: 2024, month: 12, day: 23)) {
                #expect(TemporalInvariants.problems(with: e, in: text).isEmpty, "\(text): \(TemporalInvariants.problems(with: e, in: text))")
            }
        }
    }
}

/// Inputs that once made `scripts/fuzz` fail, replayed on every test run.
@Suite struct FuzzRegressionTests {
    static func inputs(_ target: String) -> [(String, Data)] {
        let dir = Repo.root.appendingPathComponent("Fuzz/regressions/\(target)")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        return names.compactMap { name in FileManager.default.contents(atPath: dir.appendingPathComponent(name).path).map { (name, $0) } }
    }

    @Test func dateInputs() {
        for (name, data) in Self.inputs("dates") {
            let problems = TemporalInvariants.problems(in: String(decoding: data, as: UTF8.self))
            #expect(problems.isEmpty, "\(name): \(problems)")
        }
    }

    @Test func articleInputs() {
        let extractor = EventExtractor(entities: [
            Entity(id: "bytedance", name: "字节跳动", kind: .company, aliases: ["ByteDance"]),
            Entity(id: "doubao", name: "豆包", kind: .product, aliases: ["豆包大模型"], parent: "bytedance"),
            Entity(id: "openai", name: "OpenAI", kind: .company),
            Entity(id: "gpt-4", name: "GPT-4", kind: .product, parent: "openai"),
        ])
        for (name, data) in Self.inputs("article") {
            do {
                let article = try ArticleLoader().load(data: data, relativePath: "articles/fuzz.md")
                let parsed = MarkdownParser().parse(article)
                for event in extractor.extract(parsed) {
                    // The block's plain text, not the body: a soft line break inside 「2023年\n8月」 is joined there.
                    let text = parsed.blocks.indices.contains(event.source.blockIndex) ? parsed.blocks[event.source.blockIndex].text : ""
                    #expect(TemporalInvariants.problems(with: event.date, in: text).isEmpty, "\(name)")
                    #expect(!event.entities.isEmpty, "\(name)")
                }
            } catch {
                #expect(error.file == "articles/fuzz.md" && (error.line ?? 1) >= 1 && (error.column ?? 1) >= 1, "\(name): \(error)")
            }
        }
    }
}

/// General rules of narrative time (issue 20 §2) and of bare days, weekdays and future readings
/// (issue 24), over generated text and reference dates.
@Suite struct TemporalNarrativePropertyTests {
    static let references = zip(Gen.int(in: 1990...2100), Gen.int(in: 1...12), Gen.int(in: 1...28))
        .map { CivilDate(year: $0, month: $1, day: $2) }

    /// Forms that hang on the date the narrative stands at (weekdays are left out: the week of the
    /// date before is kept, so 周一 may lie before it).
    static let relatives = ["两天后", "三天后", "10天后", "兩天後", "数小时后", "幾個小時後", "一周后", "两周后", "三个月后", "两年后",
                            "次日", "翌日", "隔天", "隔日", "当天", "當日", "同日", "当晚", "次晨", "同年", "当月", "同月"]
    /// What may stand between the anchor and the relative form: none of it may become the anchor.
    static let between = ["", "营收较去年同期增长30%，", "市佔率由四年前的九成降至五成，", "今年前6个月累计增长，", "与2019年相比翻倍，",
                          "（中央社台北5日電）", "公司表示，"]

    @Test func aRelativeExpressionNeverResolvesBeforeTheDateItHangsOn() async {
        let anchors = zip(Gen.int(in: 1990...2100), Gen.int(in: 1...12), Gen.int(in: 1...31), Gen.int(in: 0...2))
        let forms = zip(Gen<String?>.element(of: Self.relatives), Gen<String?>.element(of: Self.between))
        await propertyCheck(count: 1500, input: Self.references, anchors, forms) { reference, anchor, form in
            let (y, m, d, shape) = anchor
            let anchorText = shape == 0 ? "\(y)年\(m)月\(d)日" : shape == 1 ? "\(y)年\(m)月" : "\(m)月\(d)日"
            let relative = form.0 ?? "次日"
            let text = anchorText + "，公司发布新品；" + (form.1 ?? "") + relative + "，对手跟进。"
            let found = TemporalJSON.expressions(in: text, reference: reference)
            // An impossible day (2月30日) is no anchor at all.
            guard let a = found.first, a.text == anchorText else { return }
            guard let r = found.last(where: { $0.text == relative }) else {
                Issue.record("\(reference.iso) \(text): \(relative) not found")
                return
            }
            #expect(r.isRelative && r.role == .event)
            #expect(r.value.lastDay >= a.value.firstDay, "\(reference.iso) \(text): \(r.value) before \(a.value)")
            #expect(r.value.precision > a.value.precision || r.value.firstDay >= a.value.firstDay,
                    "\(reference.iso) \(text): \(r.value) starts before \(a.value)")
        }
    }

    static func chinese(_ n: Int) -> String {
        let digits = Array("〇一二三四五六七八九")
        if n < 10 { return String(digits[n]) }
        if n == 10 { return "十" }
        if n < 20 { return "十" + String(digits[n - 10]) }
        return String(digits[n / 10]) + "十" + (n % 10 == 0 ? "" : String(digits[n % 10]))
    }

    /// A bare 22日 of a past-tense report with no month before it, or with one of an earlier month,
    /// never lands after the reference (「30日」 read on 8月9日 is 7月30日).
    @Test func aPastTenseBareDayNeverResolvesAfterTheReference() async {
        let days = zip(Gen.int(in: 1...31), Gen.int(in: 0...3), Gen.int(in: 0...24))
        let leads = Gen<String?>.element(of: ["", "公司表示，", "据悉，", "（中央社台北）", "另外，"])
        await propertyCheck(count: 1500, input: Self.references, days, leads) { reference, day, lead in
            let (d, shape, monthsBack) = day
            let written = shape == 0 ? "\(d)日" : shape == 1 ? "\(d)号" : shape == 2 ? Self.chinese(d) + "日"
                : (d >= 20 && d < 30 ? "廿" + (d == 20 ? "" : Self.chinese(d - 20)) : Self.chinese(d)) + "日"
            // monthsBack > 0: a date of an earlier month is told first, and the bare day hangs on it.
            var text = (lead ?? "") + written + "，公司宣布降价。"
            if monthsBack > 0 {
                let earlier = CivilDate(year: reference.year, month: reference.month, day: 1)
                    .adding(months: -monthsBack)
                text = "\(earlier.year)年\(earlier.month)月1日，公司发布新品。" + text
            }
            let found = TemporalJSON.expressions(in: text, reference: reference)
            guard let e = found.first(where: { $0.text == written }) else {
                // Only a day its anchor's month does not have (2月30日) may be missing.
                #expect(monthsBack > 0, "\(reference.iso) \(text): \(written) not found")
                return
            }
            #expect(e.value.precision == .day && e.value.firstDay <= reference, "\(reference.iso) \(text): \(e.value)")
            #expect(!e.isFutureReading)
        }
    }

    /// After a future marker, a yearless month, day, weekday, quarter or half read against the reference
    /// never ends before it, and says it was read as future.
    @Test func aFutureYearlessDateNeverEndsBeforeTheReference() async {
        let markers = Gen<String?>.element(of: ["将于", "计划在", "预计", "拟于", "有望在", "將於", "計劃於", "預計", "预计最快将于"])
        let dates = zip(Gen.int(in: 0...7), Gen.int(in: 1...12), Gen.int(in: 1...31))
        await propertyCheck(count: 1500, input: Self.references, markers, dates) { reference, marker, date in
            let (shape, m, d) = date
            let written: String
            switch shape {
            case 0: written = "\(m)月"
            case 1: written = "\(m)月\(d)日"
            case 2: written = "\(d)日"
            case 3: written = "周" + Self.chinese((d - 1) % 6 + 1)
            case 4: written = "第" + Self.chinese((m - 1) % 4 + 1) + "季度"
            case 5: written = m <= 6 ? "上半年" : "下半年"
            case 6: written = "\(m)月底"
            default: written = "星期" + ((d % 7 == 0) ? "日" : Self.chinese(d % 7))
            }
            let text = "公司" + (marker ?? "将于") + written + "发布新品。"
            let found = TemporalJSON.expressions(in: text, reference: reference)
            guard let e = found.first else {
                #expect(shape == 1, "\(reference.iso) \(text): nothing found")  // only 2月30日 may be missing
                return
            }
            #expect(e.text == written && e.isFutureReading, "\(reference.iso) \(text): \(e.text)")
            #expect(e.value.lastDay >= reference, "\(reference.iso) \(text): \(e.value) ends before the reference")
        }
    }

    /// A plain weekday with nothing before it is the latest such day on or before the reference.
    @Test func aPastWeekdayIsTheLatestOnOrBeforeTheReference() async {
        let forms = zip(Gen<String?>.element(of: ["周", "週", "星期", "礼拜", "禮拜"]), Gen.int(in: 1...7))
        await propertyCheck(count: 800, input: Self.references, forms) { reference, form in
            let (word, weekday) = form
            let written = (word ?? "周") + (weekday == 7 ? "日" : Self.chinese(weekday))
            let found = TemporalJSON.expressions(in: "公司" + written + "宣布降价。", reference: reference)
            guard let e = found.first, e.text == written, case .day = e.value.unit else {
                Issue.record("\(reference.iso) \(written): \(found.map(\.text))")
                return
            }
            let day = e.value.firstDay
            #expect(day <= reference && day > reference.adding(days: -7) && day.isoWeekday == weekday,
                    "\(reference.iso) \(written): \(day)")
        }
    }
}
