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
