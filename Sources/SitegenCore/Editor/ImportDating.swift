import Foundation

/// Where `sitegen import` got an article's publication date, with the sentence that says so.
public struct DateClue: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Given on the command line (`--date`).
        case given
        /// Printed in the document: a masthead date line, a `日期:` field.
        case stated
        /// Decoded from a Baidu Baijiahao link, whose `id` encodes the publishing time.
        case link
        /// The latest dated happening in the text, resolved with the date engine.
        case happening
        /// Nothing in the text dates it: today's date, to be checked.
        case none
    }

    public var kind: Kind
    public var date: CivilDate
    /// One line, for the YAML comment on `date:` and for the command's output.
    public var explanation: String
}

/// Publication-date clues in raw article text. A date the document states wins; then the time a
/// Baijiahao link encodes; otherwise the latest dated happening the text reports.
enum ImportDating {
    /// Parses a whole line or field that is only a date: 「2023 年 12 月 14 日」, 2023-12-14, 2023/12/14, 2023.12.14.
    static func statedDate(_ raw: String) -> CivilDate? {
        var numbers: [String] = []
        var current = ""
        for ch in raw.trimmingCharacters(in: .whitespaces) {
            if let a = ch.asciiDigitFolded {
                current.append(a)
            } else if " 年月日号-/.　".contains(ch) {
                if !current.isEmpty { numbers.append(current); current = "" }
            } else {
                return nil
            }
        }
        if !current.isEmpty { numbers.append(current) }
        guard numbers.count == 3, numbers[0].count == 4, let y = Int(numbers[0]), let m = Int(numbers[1]), let d = Int(numbers[2]),
              (1990...2100).contains(y), CivilDate.isValid(year: y, month: m, day: d) else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    /// A Baijiahao article id is a snowflake: `id >> 20` is the publishing time in Unix milliseconds.
    static func baijiahao(_ url: String) -> DateClue? {
        guard let comps = URLComponents(string: url), let host = comps.host, host.hasSuffix("baijiahao.baidu.com"),
              let idText = comps.queryItems?.first(where: { $0.name == "id" })?.value, let id = UInt64(idText) else { return nil }
        let ms = id >> 20
        let beijing = Int(ms / 1000) + 8 * 3600
        let day = CivilDate(dayNumber: beijing / 86400)
        guard (2016...2100).contains(day.year) else { return nil }
        let minutes = (beijing % 86400) / 60
        let time = CivilDate.pad(minutes / 60, 2) + ":" + CivilDate.pad(minutes % 60, 2)
        return DateClue(kind: .link, date: day,
                        explanation: "inferred: the Baijiahao link id \(idText) >> 20 = Unix ms \(ms) = \(day.iso) \(time) Beijing time")
    }

    /// Words that make a clause about the future or a plan: its date is not a happening.
    static let futureWords = ["预计", "预测", "有望", "将", "计划", "拟", "即将", "目标", "展望", "届时", "力争"]
    /// Date words read against the (unknown) publication date: no evidence of it.
    static let relativeMarks = ["今", "明", "去", "昨", "前年", "后年", "前天", "后天", "前三", "前两", "同", "次", "本", "近", "当", "该",
                                "上个", "下个", "上月", "下月", "上周", "下周", "上年", "下年", "上半", "下半"]

    struct Found {
        var expression: TemporalExpression
        var paragraph: Int
        /// Not about the future, and fixed by the text itself rather than by the reference.
        var usable: Bool
    }

    /// Every temporal expression of the paragraphs, read with the date engine as a build reads them.
    static func scan(_ paragraphs: [[Unicode.Scalar]], reference: CivilDate) -> [Found] {
        let recognizer = TemporalRecognizer()
        var context = TemporalContext(reference: reference)
        var out: [Found] = []
        for (p, s) in paragraphs.enumerated() {
            context.beginParagraph()
            for e in recognizer.recognize(scalars: s, context: &context) {
                out.append(Found(expression: e, paragraph: p, usable: !isFuture(s, e.range) && isFixed(e.text)))
            }
        }
        return out
    }

    static func isFixed(_ text: String) -> Bool {
        if relativeMarks.contains(where: { text.contains($0) }) { return false }
        // 「年底」「上半年」 alone say nothing without the year they are read against.
        return text.unicodeScalars.contains { ChineseText.isDigit(ChineseText.fold($0)) } || text.contains("月")
    }

    static func isFuture(_ s: [Unicode.Scalar], _ r: Range<Int>) -> Bool {
        let breaks: Set<Unicode.Scalar> = ["，", "。", "；", "！", "？", ",", ";", "!", "?", "\n"]
        var lo = r.lowerBound
        while lo > 0, !breaks.contains(s[lo - 1]) { lo -= 1 }
        var hi = r.upperBound
        while hi < s.count, !breaks.contains(s[hi]) { hi += 1 }
        let clause = String(String.UnicodeScalarView(s[lo..<hi]))
        return futureWords.contains { clause.contains($0) }
    }

    /// The latest dated happening: the year comes from the explicit years of the text (not those of
    /// forecasts); a day-precision clue gets one day for publication, an end-of-period clue
    /// (「12月末」「2024年底」) dates the article at the period's end.
    static func latestHappening(_ paragraphs: [String], today: CivilDate) -> DateClue? {
        let scalars = paragraphs.map { Array($0.unicodeScalars) }
        // Pass 1: the explicit years (far-future reference so that nothing yearless poses as one).
        let probe = scan(scalars, reference: CivilDate(year: 2999, month: 12, day: 31))
        var yearText: String?
        var year: Int?
        for f in probe where f.usable && !f.expression.isRelative {
            let y = max(f.expression.value.year, f.expression.end?.year ?? 0)
            if y <= today.year + 1, y > (year ?? 0) { year = y; yearText = f.expression.text }
        }
        let referenceYear = year ?? today.year
        let reference = CivilDate(year: referenceYear, month: 12, day: 31)
        // Pass 2: everything read against the end of that year.
        var best: (date: CivilDate, precision: TemporalPrecision, expr: TemporalExpression, lag: Bool)?
        for f in scan(scalars, reference: reference) where f.usable {
            let e = f.expression
            let period = e.end ?? e.value
            let mod = e.end != nil ? e.endMod : e.mod
            let candidate: CivilDate
            var lag = false
            if period.precision == .day {
                candidate = period.firstDay.adding(days: 1)
                lag = true
            } else if mod == .end {
                candidate = period.lastDay
            } else {
                candidate = period.firstDay
            }
            // Nothing dates the article after the end of the year its explicit dates reach.
            guard candidate <= reference.adding(days: 1) else { continue }
            if let b = best {
                if candidate < b.date { continue }
                if candidate == b.date && period.precision >= b.precision { continue }
            }
            best = (candidate, period.precision, e, lag)
        }
        guard let b = best else { return nil }
        let e = b.expr
        let period = e.end ?? e.value
        var what = "inferred: latest dated happening in the text 「\(e.text)」 = \(period.string)"
        if (e.end != nil ? e.endMod : e.mod) == .end { what += " (end)" }
        if e.isRelative {
            what += year != nil ? ", year from 「\(yearText ?? "")」" : ", no year in the text: read against today"
        }
        what += b.lag ? ", + 1 day for publication" : ""
        return DateClue(kind: .happening, date: b.date, explanation: what)
    }
}

extension Character {
    /// The ASCII digit for a half- or full-width digit.
    var asciiDigitFolded: Character? {
        guard let u = unicodeScalars.first, unicodeScalars.count == 1 else { return nil }
        let f = ChineseText.fold(u)
        return ChineseText.isDigit(f) ? Character(f) : nil
    }
}
