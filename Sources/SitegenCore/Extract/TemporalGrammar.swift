/// What the text says about a date before it is resolved against the publication date and
/// the dates mentioned earlier. The grammar fills this in; `TemporalResolver` turns it into a value.
struct DateSpec {
    enum YearPart: Equatable {
        case none
        case absolute(Int)
        /// 今年 = 0, 去年 = -1, 明年 = +1 … relative to the publication date.
        case relative(Int)
        /// 同年 / 当年: the year of the date mentioned just before.
        case same
    }

    enum Offset: Equatable {
        case days(Int), weeks(Int), months(Int), years(Int)
    }

    var year: YearPart = .none
    var month: Int?
    /// 本月 = 0, 上月 = -1, relative to the publication date.
    var monthRelative: Int?
    /// 同月 / 当月 in narrative: the month of the date mentioned just before.
    var sameMonth = false
    var day: Int?
    /// 今天 = 0, 昨天 = -1 … relative to the publication date.
    var dayRelative: Int?
    /// 同日 = 0, 次日 = +1 … relative to the date mentioned just before.
    var dayAnaphoric: Int?
    var quarter: Int?
    /// 前三季度: quarters 1 … quarterEnd.
    var quarterEnd: Int?
    var half: Int?
    /// 本周 = 0, 上周 = -1 … (ISO weeks) relative to the publication date.
    var weekRelative: Int?
    var mod: TemporalModifier?
    /// 3天后, 两年前: an offset from the publication date.
    var offset: Offset?
    /// 数小时后 and similar: the reference day, at day precision.
    var referenceDay = false
    /// 「去年同期」: the date mentioned just before, this many years earlier.
    var samePeriodYearsBack: Int?
    /// 「今（4）日」: (offset from the reference day, the day of the month the text states).
    var bracketDay: (Int, Int)?
    /// 「2024年1—9月」: the last month of a month range inside one year.
    var monthRangeEnd: Int?

    var hasExplicitYear: Bool {
        if case .absolute = year { return true }
        if case .relative = year { return true }
        return false
    }
}

struct GrammarMatch {
    var start: Int
    var end: Int
    var spec: DateSpec
    /// The end of a range (「8月底至9月」). Kept behind a reference, because most matches have none
    /// and every matcher returns a match by value: inline, a second `DateSpec` doubled what each
    /// return copied (memmove was 13% of `sitegen dates`).
    var endSpec: DateSpec? {
        get { endBox?.spec }
        set { endBox = newValue.map(EndSpecBox.init) }
    }
    var anchor: TemporalAnchor?
    private var endBox: EndSpecBox?

    init(start: Int, end: Int, spec: DateSpec, endSpec: DateSpec? = nil) {
        self.start = start
        self.end = end
        self.spec = spec
        self.endSpec = endSpec
    }

    private final class EndSpecBox {
        let spec: DateSpec
        init(_ spec: DateSpec) { self.spec = spec }
    }
}

/// The Chinese date grammar, a hand-written scanner over folded Unicode scalars.
/// Hand-written because this is the product's own logic: the precise guards that keep 9.11,
/// Qwen2.5, 3个月 and 第 61 期 out are the point, and regular expressions over `Character`
/// would be both slower and harder to read for that.
struct TemporalGrammar {
    let s: [Unicode.Scalar]
    /// True for positions inside 《…》: years in book and report titles are names, not dates.
    let inTitle: [Bool]

    /// Longest 《…》 taken as a title. A 《 with no 》 within this many scalars (or before a line
    /// break) is a stray mark, and must not hide every date after it in the paragraph.
    static let longestTitle = 120

    init(folded: [Unicode.Scalar]) {
        s = folded
        var flags = [Bool](repeating: false, count: folded.count)
        var i = 0
        while i < folded.count {
            guard folded[i] == "《", let close = Self.titleEnd(in: folded, openingAt: i) else { i += 1; continue }
            for k in i...close { flags[k] = true }
            i = close + 1
        }
        inTitle = flags
    }

    /// Index of the 》 that closes the 《 at `open` (nested pairs counted), or nil when none does
    /// within `longestTitle` scalars on the same line.
    static func titleEnd(in s: [Unicode.Scalar], openingAt open: Int) -> Int? {
        var depth = 0
        var k = open
        let limit = min(s.count, open + longestTitle)
        while k < limit {
            switch s[k] {
            case "《": depth += 1
            case "》":
                depth -= 1
                if depth == 0 { return k }
            case "\n", "\r": return nil
            default: break
            }
            k += 1
        }
        return nil
    }

    // MARK: scanning

    /// All matches, left to right, non-overlapping, longest at each position.
    func scan() -> [GrammarMatch] {
        var out: [GrammarMatch] = []
        var i = 0
        while i < s.count {
            if inTitle[i] { i += 1; continue }
            let c = s[i]
            if !Self.dateStarts.contains(c) {
                i += 1
                continue
            }
            if let m = matchRange(at: i) {
                out.append(withAnchor(m))
                i = max(m.end, i + 1)
            } else {
                i += 1
            }
        }
        return out
    }

    private func at(_ i: Int) -> Unicode.Scalar? { i >= 0 && i < s.count ? s[i] : nil }

    @inline(__always)
    private func has(_ word: [Unicode.Scalar], at i: Int) -> Bool {
        guard i >= 0, i + word.count <= s.count else { return false }
        for k in 0..<word.count where s[i + k] != word[k] { return false }
        return true
    }

    @inline(__always)
    private func has(_ word: String, at i: Int) -> Bool {
        guard i >= 0, i < s.count else { return false }
        var j = i
        for c in word.unicodeScalars {
            guard j < s.count, s[j] == c else { return false }
            j += 1
        }
        return true
    }

    private func skipSpaces(_ i: Int) -> Int {
        var j = i
        while j < s.count, ChineseText.isSpace(s[j]) { j += 1 }
        return j
    }

    private func isIdeographAt(_ i: Int) -> Bool { at(i).map(ChineseText.isIdeograph) ?? false }

    // MARK: numbers

    struct Number { var value: Int; var end: Int; var arabic: Bool; var digits: Int }

    /// An Arabic or Chinese number starting exactly at `i`, with the left-boundary guards that
    /// keep version numbers, decimals and longer numbers from being read as date parts.
    private func number(at i: Int) -> Number? {
        guard let c = at(i) else { return nil }
        if ChineseText.isDigit(c) {
            if let p = at(i - 1), ChineseText.isDigit(p) || ChineseText.isASCIILetter(p) || p == "." || p == "_" { return nil }
            var j = i, v = 0
            while j < s.count, ChineseText.isDigit(s[j]), j - i < 9 { v = v * 10 + Int(s[j].value - 48); j += 1 }
            if let n = at(j), ChineseText.isDigit(n) { return nil }
            // 3.5, 9.11: a decimal is never a date part.
            if at(j) == ".", let n = at(j + 1), ChineseText.isDigit(n) { return nil }
            return Number(value: v, end: j, arabic: true, digits: j - i)
        }
        guard ChineseText.chineseDigit(c) != nil || c == "十" else { return nil }
        if let p = at(i - 1), ChineseText.chineseDigit(p) != nil || p == "十" || p == "几" || p == "数" { return nil }
        var j = i
        while j < s.count, ChineseText.chineseDigit(s[j]) != nil || s[j] == "十" { j += 1 }
        let run = Array(s[i..<j])
        if run.contains("十") {
            guard run.count <= 3, let tenIndex = run.firstIndex(of: "十") else { return nil }
            let tens = tenIndex == 0 ? 1 : (tenIndex == 1 ? ChineseText.chineseDigit(run[0]) : nil)
            guard let t = tens, t > 0 else { return nil }
            var units = 0
            if tenIndex + 1 < run.count {
                guard tenIndex + 2 == run.count, let u = ChineseText.chineseDigit(run[tenIndex + 1]), u > 0 else { return nil }
                units = u
            }
            return Number(value: t * 10 + units, end: j, arabic: false, digits: 2)
        }
        if run.count == 1 { return Number(value: ChineseText.chineseDigit(run[0])!, end: j, arabic: false, digits: 1) }
        if run.count == 4 {
            // 二〇二四: positional digits, only ever a year.
            let v = run.reduce(0) { $0 * 10 + ChineseText.chineseDigit($1)! }
            return Number(value: v, end: j, arabic: false, digits: 4)
        }
        return nil
    }

    private func yearNumber(at i: Int) -> Number? {
        guard let n = number(at: i), n.digits == 4, (1900...2199).contains(n.value) else { return nil }
        return n
    }

    // MARK: ranges and anchors

    private static let connectors = ScalarSet("至到—–-~〜―－")
    /// 「5、6月份」: two listed months read as the span they cover (only for months).
    private static let listSeparators = ScalarSet("、")

    private func matchRange(at i: Int) -> GrammarMatch? {
        if let r = matchNumberRange(at: i) { return r }
        guard var m = matchSingle(at: i) else { return nil }
        var k = skipSpaces(m.end)
        guard let c = at(k), Self.connectors.contains(c) else { return m }
        k += 1
        if c == "—" && at(k) == "—" { k += 1 }
        k = skipSpaces(k)
        // 「X至今」 is an open range up to the publication date: keep X, mark it as a since-anchor.
        if has("今", at: k) && (c == "至" || c == "到"), !(at(k + 1).map { ["年", "天", "日", "晨", "晚", "后"].contains($0) } ?? false) {
            m.anchor = .since
            return m
        }
        if let y = matchSingle(at: k), y.spec.offset == nil {
            m.endSpec = y.spec
            m.end = y.end
        }
        return m
    }

    /// 「8-9月」, 「1—11月」, 「2023-2024年」, 「21至23日」: two bare numbers sharing one unit.
    private func matchNumberRange(at i: Int) -> GrammarMatch? {
        guard let a = number(at: i) else { return nil }
        var k = skipSpaces(a.end)
        guard let c = at(k), Self.connectors.contains(c) || Self.listSeparators.contains(c) else { return nil }
        let listed = Self.listSeparators.contains(c)
        k += 1
        if c == "—" && at(k) == "—" { k += 1 }
        k = skipSpaces(k)
        guard let b = number(at: k) else { return nil }
        let u = skipSpaces(b.end)
        guard let unit = at(u) else { return nil }
        switch unit {
        case "年":
            guard !listed, a.digits == 4, b.digits == 4, (1900...2199).contains(a.value), b.value > a.value, b.value - a.value < 100 else { return nil }
            if has("年代", at: u) { return nil }
            var x = DateSpec(); x.year = .absolute(a.value)
            var y = DateSpec(); y.year = .absolute(b.value)
            var end = u + 1
            if at(end) == "度" { end += 1 }
            return GrammarMatch(start: i, end: end, spec: x, endSpec: y)
        case "月":
            guard (1...12).contains(a.value), (1...12).contains(b.value), a.value < b.value, at(u + 1) != "份" || true else { return nil }
            var x = DateSpec(); x.month = a.value
            var y = DateSpec(); y.month = b.value
            let end = afterMonth(u + 1, &y)
            return GrammarMatch(start: i, end: end, spec: x, endSpec: y)
        case "日", "号":
            guard !listed, (1...31).contains(a.value), (1...31).contains(b.value), a.value < b.value, a.arabic == b.arabic else { return nil }
            if let n = at(u + 1), ["内", "前", "后", "均"].contains(n) { return nil }
            var x = DateSpec(); x.day = a.value
            var y = DateSpec(); y.day = b.value
            return GrammarMatch(start: i, end: u + 1, spec: x, endSpec: y)
        default:
            return nil
        }
    }

    private func withAnchor(_ m: GrammarMatch) -> GrammarMatch {
        var m = m
        if m.anchor != nil { return m }
        var b = m.start - 1
        while b >= 0, ChineseText.isSpace(s[b]) { b -= 1 }
        func endsBefore(_ w: String) -> Bool {
            let u = Array(w.unicodeScalars)
            guard b - u.count + 1 >= 0 else { return false }
            return Array(s[(b - u.count + 1)...b]) == u
        }
        let a = skipSpaces(m.end)
        if endsBefore("截至") || endsBefore("截止") || endsBefore("截止到") || endsBefore("截止至") {
            m.anchor = .until
        } else if has("以来", at: a) || has("至今", at: a) || ((endsBefore("自") || endsBefore("从")) && (has("起", at: a) || has("开始", at: a))) {
            m.anchor = .since
        } else if has("期间", at: a) {
            m.anchor = .during
        }
        return m
    }

    // MARK: single expressions

    private func matchSingle(at i: Int) -> GrammarMatch? {
        guard let c = at(i) else { return nil }
        if ChineseText.isDigit(c) || ChineseText.chineseDigit(c) != nil || c == "十" {
            if let m = matchISO(at: i) { return m }
            if let m = matchYearLed(at: i) { return m }
            if let m = matchOffset(at: i) { return m }
            if let m = matchMonthLed(at: i) { return m }
            if let m = matchQuarterWord(at: i) { return m }
            if let m = matchBareDay(at: i) { return m }
            return nil
        }
        // Only a few characters can start a word-based date; everything else is skipped at once
        // (this gate is most of the engine's speed on ordinary text).
        guard Self.wordStarts.contains(c) else { return nil }
        if let m = matchRelativeWord(at: i) { return m }
        if let m = matchQuarterWord(at: i) { return m }
        if let m = matchBarePeriod(at: i) { return m }
        if (c == "数" || c == "几") , let m = matchVagueHours(at: i) { return m }
        return nil
    }

    /// 2024-06-18, 2024/6/18, 2024.06.18, 2024-06, 2024Q3, 2024H1.
    private func matchISO(at i: Int) -> GrammarMatch? {
        // 「25Q1」: analysts' two-digit year with a quarter.
        if i + 4 <= s.count, ChineseText.isDigit(s[i]), ChineseText.isDigit(s[i + 1]), s[i + 2] == "Q" || s[i + 2] == "H",
           ChineseText.isDigit(s[i + 3]), !(at(i - 1).map { ChineseText.isDigit($0) || ChineseText.isASCIILetter($0) } ?? false),
           !(at(i + 4).map { ChineseText.isDigit($0) || ChineseText.isASCIILetter($0) } ?? false) {
            let y = 2000 + Int(s[i].value - 48) * 10 + Int(s[i + 1].value - 48)
            let v = Int(s[i + 3].value - 48)
            var spec = DateSpec(); spec.year = .absolute(y)
            if s[i + 2] == "Q" { guard (1...4).contains(v) else { return nil }; spec.quarter = v } else { guard (1...2).contains(v) else { return nil }; spec.half = v }
            return GrammarMatch(start: i, end: i + 4, spec: spec)
        }
        // Read the year by hand: the decimal guard in `number` would refuse the 2024 of 2024.06.18.
        if let p = at(i - 1), ChineseText.isDigit(p) || ChineseText.isASCIILetter(p) || p == "." || p == "_" || p == "-" || p == "/" { return nil }
        guard i + 4 <= s.count, s[i..<(i + 4)].allSatisfy(ChineseText.isDigit) else { return nil }
        if let n = at(i + 4), ChineseText.isDigit(n) { return nil }
        let yv = s[i..<(i + 4)].reduce(0) { $0 * 10 + Int($1.value - 48) }
        guard (1900...2199).contains(yv) else { return nil }
        let y = Number(value: yv, end: i + 4, arabic: true, digits: 4)
        var k = y.end
        if let q = at(k), q == "Q" || q == "q" || q == "H" || q == "h", let d = at(k + 1), ChineseText.isDigit(d) {
            let v = Int(d.value - 48)
            if let n = at(k + 2), ChineseText.isDigit(n) || ChineseText.isASCIILetter(n) { return nil }
            var spec = DateSpec(); spec.year = .absolute(y.value)
            if q == "Q" || q == "q" { guard (1...4).contains(v) else { return nil }; spec.quarter = v }
            else { guard (1...2).contains(v) else { return nil }; spec.half = v }
            return GrammarMatch(start: i, end: k + 2, spec: spec)
        }
        guard let sep = at(k), sep == "-" || sep == "/" || sep == "." else { return nil }
        k += 1
        guard let m = numberAfterSeparator(k), (1...12).contains(m.value) else { return nil }
        var spec = DateSpec(); spec.year = .absolute(y.value); spec.month = m.value
        k = m.end
        if at(k) == sep, let d = numberAfterSeparator(k + 1), (1...31).contains(d.value),
           CivilDate.isValid(year: y.value, month: m.value, day: d.value) {
            spec.day = d.value
            return GrammarMatch(start: i, end: d.end, spec: spec)
        }
        // Year-month alone only with '-' or '/' and a two-digit month: 2024.5 is a version number.
        guard sep != ".", m.end - (y.end + 1) == 2 else { return nil }
        if let n = at(k), n == "-" || n == "/" || n == "." || ChineseText.isASCIILetter(n) { return nil }
        return GrammarMatch(start: i, end: k, spec: spec)
    }

    private func numberAfterSeparator(_ k: Int) -> Number? {
        var j = k, v = 0
        while j < s.count, ChineseText.isDigit(s[j]), j - k < 2 { v = v * 10 + Int(s[j].value - 48); j += 1 }
        guard j > k else { return nil }
        if let n = at(j), ChineseText.isDigit(n) { return nil }
        return Number(value: v, end: j, arabic: true, digits: j - k)
    }

    /// 2024年…, 二〇二四年…, 2023 年 4 月…, 2024年度.
    private func matchYearLed(at i: Int) -> GrammarMatch? {
        guard let y = yearNumber(at: i) else { return nil }
        let k = skipSpaces(y.end)
        guard at(k) == "年" else { return nil }
        if has("年代", at: k) { return nil }
        var spec = DateSpec(); spec.year = .absolute(y.value)
        let end = afterYear(k + 1, &spec)
        return GrammarMatch(start: i, end: end, spec: spec)
    }

    /// What may follow 「YYYY年」 or 「今年」: a month, a quarter, a half, 初/中/底/末, 度, 年报.
    private func afterYear(_ start: Int, _ spec: inout DateSpec) -> Int {
        var k = start
        if at(k) == "度" {
            k += 1
            // 2024年度 stands alone; 「2024年度第一季度」 goes on below.
        }
        let j = skipSpaces(k)
        if let m = number(at: j), (1...12).contains(m.value) {
            let u = skipSpaces(m.end)
            if at(u) == "月" {
                spec.month = m.value
                return afterMonth(u + 1, &spec)
            }
        }
        if let (q, qEnd, e, mod) = quarter(at: j) {
            spec.quarter = q
            spec.quarterEnd = qEnd
            spec.mod = mod
            return e
        }
        // 「2024年1—9月」: a month range inside a year.
        if let r = matchNumberRange(at: j), r.spec.month != nil, let endSpec = r.endSpec {
            spec.month = r.spec.month
            spec.monthRangeEnd = endSpec.month
            return r.end
        }
        if has("上半年", at: j) { spec.half = 1; return j + 3 + (has("度", at: j + 3) ? 1 : 0) }
        if has("下半年", at: j) { spec.half = 2; return j + 3 + (has("度", at: j + 3) ? 1 : 0) }
        if has("半年度报告", at: j) { spec.half = 1; return j + 5 }
        if has("半年度", at: j) { spec.half = 1; return j + 3 }
        if has("半年报", at: j) || has("中报", at: j) { spec.half = 1; return j + (has("中报", at: j) ? 2 : 3) }
        if has("年报", at: j) { return j + 2 }
        // 年初 / 年中 / 年底 / 年末, written after the year either as 「2024年底」 or 「2024年年底」.
        var p = k
        if at(p) == "年" { p += 1 }
        if let (mod, e) = periodModifier(at: p, allowMid: true) {
            spec.mod = mod
            return e
        }
        return k
    }

    /// 初/中/底/末 and 上旬/中旬/下旬 with the guards that keep words like 初步, 中国 out.
    private func periodModifier(at p: Int, allowMid: Bool) -> (TemporalModifier, Int)? {
        guard let c = at(p) else { return nil }
        switch c {
        case "初":
            if let n = at(p + 1), ["步", "次", "衷", "心", "始", "期", "见", "创", "级", "中", "代", "稿", "版", "学"].contains(n) { return nil }
            return (.start, p + 1)
        case "底", "末":
            if c == "末", let n = at(p + 1), ["端", "位", "尾", "日"].contains(n) { return nil }
            return (.end, p + 1)
        case "中":
            if has("中旬", at: p) { return (.mid, p + 2) }
            guard allowMid else { return nil }
            // 「2024年中国…」 is far more common than 「2024年中」: accept 中 only before punctuation/end.
            if let n = at(p + 1), ChineseText.isIdeograph(n) || ChineseText.isDigit(n) || ChineseText.isASCIILetter(n) {
                // 「年中以来」「年中前后」 are still the middle of the year.
                guard ["以", "前", "后", "时", "至", "到"].contains(n) else { return nil }
            }
            return (.mid, p + 1)
        case "上":
            return has("上旬", at: p) ? (.start, p + 2) : nil
        case "下":
            return has("下旬", at: p) ? (.end, p + 2) : nil
        default:
            return nil
        }
    }

    /// 第三季度, 三季度, 一季报, Q3, 前三季度 (as quarter 1 … 3).
    private func quarter(at j: Int) -> (Int, Int?, Int, TemporalModifier?)? {
        var k = j
        var cumulative = false
        var ordinal = false
        // 首季 (Taiwan, Hong Kong): the first quarter.
        if has("首季", at: j) {
            var e = j + 2
            if has("度", at: e) { e += 1 }
            return (1, nil, e, nil)
        }
        if at(k) == "第" { k += 1; ordinal = true } else if at(k) == "前" { cumulative = true; k += 1 }
        if let q = at(k), q == "Q" || q == "q", let d = at(k + 1), ChineseText.isDigit(d), !cumulative, k == j {
            let v = Int(d.value - 48)
            if let n = at(k + 2), ChineseText.isDigit(n) || ChineseText.isASCIILetter(n) { return nil }
            guard (1...4).contains(v) else { return nil }
            return (v, nil, k + 2, nil)
        }
        guard let n = number(at: k) ?? chineseDigitOnly(at: k), (1...4).contains(n.value) else { return nil }
        let u = skipSpaces(n.end)
        var e: Int
        if has("季度", at: u) {
            e = u + 2
        } else if has("季报", at: u) && !cumulative {
            e = u + 2
        } else if (ordinal || cumulative), at(u) == "季", !has("季节", at: u) {
            // 第三季 / 前三季: the Taiwan and Hong Kong way of writing 第三季度.
            e = u + 1
        } else {
            return nil
        }
        var mod: TemporalModifier?
        if let c = at(e), c == "末" || c == "底" { mod = .end; e += 1 } else if at(e) == "初" { mod = .start; e += 1 }
        return cumulative ? (1, n.value, e, mod) : (n.value, nil, e, mod)
    }

    /// The number guard rejects a digit after 第/前 (they are not numerals), so read one digit plainly.
    private func chineseDigitOnly(at k: Int) -> Number? {
        guard let c = at(k) else { return nil }
        if let d = ChineseText.chineseDigit(c) { return Number(value: d, end: k + 1, arabic: false, digits: 1) }
        if ChineseText.isDigit(c) { return Number(value: Int(c.value - 48), end: k + 1, arabic: true, digits: 1) }
        return nil
    }

    /// A month, 「8月」「十二月」「8月份」, with what may follow it.
    private func matchMonthLed(at i: Int) -> GrammarMatch? {
        guard let m = number(at: i), (1...12).contains(m.value), m.digits <= 2 else { return nil }
        if !m.arabic, let p = at(i - 1), p == "第" || p == "这" || p == "那" || p == "每" { return nil }
        let u = skipSpaces(m.end)
        guard at(u) == "月" else { return nil }
        if let n = at(u + 1), ["薪", "息", "球", "饼", "光", "亮", "台", "嫂", "票", "卡", "费"].contains(n) { return nil }
        var spec = DateSpec(); spec.month = m.value
        let end = afterMonth(u + 1, &spec)
        return GrammarMatch(start: i, end: end, spec: spec)
    }

    /// What may follow 「M月」: 份, a day, 上旬/中旬/下旬, 初/中/底/末.
    private func afterMonth(_ start: Int, _ spec: inout DateSpec) -> Int {
        var k = start
        if at(k) == "份" { k += 1 }
        let j = skipSpaces(k)
        if let d = number(at: j), (1...31).contains(d.value), d.digits <= 2 {
            let u = skipSpaces(d.end)
            if at(u) == "日" || at(u) == "号" {
                spec.day = d.value
                return u + 1
            }
        }
        if let (mod, e) = periodModifier(at: k, allowMid: true) {
            spec.mod = mod
            return e
        }
        return k
    }

    /// 「22日」 standing alone: the day of the month mentioned just before.
    private func matchBareDay(at i: Int) -> GrammarMatch? {
        guard let d = number(at: i), (1...31).contains(d.value), d.digits <= 2 else { return nil }
        if let p = at(i - 1), ["第", "近", "每", "前", "后", "连", "续", "数", "这", "那", "余", "多", "头", "末", "过"].contains(p) { return nil }
        let u = skipSpaces(d.end)
        guard let unit = at(u), unit == "日" || unit == "号" else { return nil }
        let next = at(u + 1)
        if let n = next, ["内", "前", "后", "均", "之", "本", "元", "左", "以"].contains(n) {
            if !(n == "以" && has("以来", at: u + 1)) { return nil }
        }
        let clauseBoundary: (Unicode.Scalar?) -> Bool = { c in
            guard let c else { return true }
            return !ChineseText.isIdeograph(c) && !ChineseText.isDigit(c) && !ChineseText.isASCIILetter(c)
        }
        if unit == "号" {
            // 1号线, 3号楼, 5号文件: only a 号 that closes a clause or starts a time is a day.
            guard clauseBoundary(next) || ["起", "晚", "上", "下", "凌", "当"].contains(next!) else { return nil }
        }
        if !d.arabic {
            // 一日千里, 十日谈: Chinese-numeral bare days only when they clearly stand as a date.
            let prev = at(i - 1)
            guard d.value >= 10,
                  clauseBoundary(prev) || ["于", "在", "至", "到", "的"].contains(prev!),
                  clauseBoundary(next) || ["起", "晚", "上", "下", "凌"].contains(next!) else { return nil }
        }
        var spec = DateSpec(); spec.day = d.value
        return GrammarMatch(start: i, end: u + 1, spec: spec)
    }

    /// 3天后, 两个月前, 10年前, 一周后, 5小时后.
    private func matchOffset(at i: Int) -> GrammarMatch? {
        guard let n = number(at: i), n.digits <= 3 else { return nil }
        var k = skipSpaces(n.end)
        enum U { case day, week, month, year, hour }
        var unit: U
        if has("天", at: k) || (has("日", at: k) && (has("后", at: k + 1) || has("前", at: k + 1))) { unit = .day; k += 1 }
        else if has("个月", at: k) { unit = .month; k += 2 }
        else if has("个星期", at: k) { unit = .week; k += 3 }
        else if has("星期", at: k) || has("周", at: k) { unit = .week; k += has("周", at: k) ? 1 : 2 }
        else if has("个小时", at: k) { unit = .hour; k += 3 }
        else if has("小时", at: k) { unit = .hour; k += 2 }
        else if has("年", at: k) { unit = .year; k += 1 }
        else { return nil }
        var sign = 0
        for (w, sg) in [("之后", 1), ("以后", 1), ("后", 1), ("之前", -1), ("以前", -1), ("前", -1)] where has(w, at: k) {
            sign = sg; k += w.unicodeScalars.count; break
        }
        guard sign != 0 else { return nil }
        var spec = DateSpec()
        switch unit {
        case .day: spec.offset = .days(sign * n.value)
        case .week: spec.offset = .weeks(sign * n.value)
        case .month: spec.offset = .months(sign * n.value)
        case .year: spec.offset = .years(sign * n.value)
        case .hour: spec.referenceDay = true
        }
        return GrammarMatch(start: i, end: k, spec: spec)
    }

    /// 数小时后, 几个小时前: vague, but still the reference day.
    private func matchVagueHours(at i: Int) -> GrammarMatch? {
        var k = i + 1
        if has("个小时", at: k) { k += 3 } else if has("小时", at: k) { k += 2 } else { return nil }
        for w in ["之后", "以后", "后", "之前", "以前", "前"] where has(w, at: k) {
            var spec = DateSpec(); spec.referenceDay = true
            return GrammarMatch(start: i, end: k + w.unicodeScalars.count, spec: spec)
        }
        return nil
    }

    /// First characters of every word-based form: relative words, 第/前/首 quarters, Q3,
    /// 上半年/下半年, bare 年初/年底, 数小时后.
    static let wordStarts: ScalarSet = {
        var set: [Unicode.Scalar] = ["第", "前", "首", "Q", "q", "上", "下", "年", "数", "几", "今", "昨", "明", "半", "月"]
        for (w, _) in yearWords { set.append(w.unicodeScalars.first!) }
        for (w, _, _) in dayWords { set.append(w.unicodeScalars.first!) }
        for (w, _) in monthWords { set.append(w.unicodeScalars.first!) }
        for (w, _) in weekWords { set.append(w.unicodeScalars.first!) }
        return ScalarSet(set)
    }()
    /// Digits, Chinese numerals and word starts: the only places a date can begin.
    static let dateStarts: ScalarSet = {
        var set = Array("0123456789十〇零○一二两三四五六七八九".unicodeScalars)
        set += ["第", "前", "首", "Q", "q", "上", "下", "年", "数", "几", "今", "昨", "明", "半", "月"]
        for (w, _) in yearWords { set.append(w.unicodeScalars.first!) }
        for (w, _, _) in dayWords { set.append(w.unicodeScalars.first!) }
        for (w, _) in monthWords { set.append(w.unicodeScalars.first!) }
        for (w, _) in weekWords { set.append(w.unicodeScalars.first!) }
        return ScalarSet(set)
    }()

    private static let yearWordsU = yearWords.map { (Array($0.0.unicodeScalars), $0.1) }
    private static let dayWordsU = dayWords.map { (Array($0.0.unicodeScalars), $0.1, $0.2) }
    private static let monthWordsU = monthWords.map { (Array($0.0.unicodeScalars), $0.1) }
    private static let weekWordsU = weekWords.map { (Array($0.0.unicodeScalars), $0.1) }
    private static let jinri = Array("今日".unicodeScalars)
    private static let mingri = Array("明日".unicodeScalars)
    private static let ciyue = Array("次月".unicodeScalars)

    private static let yearWords: [(String, DateSpec.YearPart)] = [
        ("今年", .relative(0)), ("本年", .relative(0)), ("去年", .relative(-1)), ("前年", .relative(-2)),
        ("明年", .relative(1)), ("后年", .relative(2)), ("同年", .same), ("当年", .same),
    ]
    private static let dayWords: [(String, Int, Bool)] = [
        // (word, offset, anaphoric: relative to the date mentioned before rather than to publication)
        ("今天", 0, false), ("今日", 0, false), ("昨天", -1, false), ("昨日", -1, false), ("前天", -2, false),
        ("明天", 1, false), ("明日", 1, false), ("后天", 2, false), ("同日", 0, true), ("同一天", 0, true),
        ("当天", 0, true), ("当日", 0, true), ("次日", 1, true), ("翌日", 1, true), ("第二天", 1, true),
    ]
    private static let monthWords: [(String, Int?)] = [
        ("本月", 0), ("这个月", 0), ("上个月", -1), ("上月", -1), ("下个月", 1), ("下月", 1),
        ("同月", nil), ("当月", nil), ("次月", nil),
    ]
    private static let weekWords: [(String, Int)] = [
        ("本周", 0), ("这周", 0), ("上周", -1), ("上个星期", -1), ("上星期", -1), ("下周", 1), ("下个星期", 1), ("下星期", 1),
    ]

    private func matchRelativeWord(at i: Int) -> GrammarMatch? {
        // 「00后年轻人」: 后 belongs to 00后, so 「后年」 there is no date.
        if let p = at(i - 1), ChineseText.isDigit(p) { return nil }
        // 「较去年同月」「去年同期」: the period just mentioned, one year earlier.
        for w in ["去年同月", "去年同期", "上年同期"] where has(w, at: i) {
            var spec = DateSpec(); spec.samePeriodYearsBack = 1
            return GrammarMatch(start: i, end: i + 4, spec: spec)
        }
        for (w, part) in Self.yearWordsU where has(w, at: i) {
            let len = w.count
            // 「今年来」 is not a date word, 「当年」 before 的 is "back then" in a generic sense; keep both.
            var spec = DateSpec(); spec.year = part
            let end = afterYear(i + len, &spec)
            return GrammarMatch(start: i, end: end, spec: spec)
        }
        // 「今（4）日」「昨（17）日」: Taiwan news give the day of the month in brackets.
        if let c = at(i), c == "今" || c == "昨" || c == "明" || c == "前", let open = at(i + 1), open == "（" || open == "(" ,
           let n = number(at: i + 2), (1...31).contains(n.value), let close = at(n.end), close == "）" || close == ")",
           at(n.end + 1) == "日" {
            var spec = DateSpec()
            spec.bracketDay = (c == "今" ? 0 : c == "明" ? 1 : c == "昨" ? -1 : -2, n.value)
            return GrammarMatch(start: i, end: n.end + 2, spec: spec)
        }
        for (w, off, anaphoric) in Self.dayWordsU where has(w, at: i) {
            let len = w.count
            // 今日头条 is a product, 明日之后 a game: a day word glued to such names is not a date.
            if w == Self.jinri, has("头条", at: i + 2) { return nil }
            if w == Self.mingri, has("之后", at: i + 2) { return nil }
            var spec = DateSpec()
            if anaphoric { spec.dayAnaphoric = off } else { spec.dayRelative = off }
            return GrammarMatch(start: i, end: i + len, spec: spec)
        }
        for (w, off) in Self.monthWordsU where has(w, at: i) {
            var spec = DateSpec()
            if let off { spec.monthRelative = off } else { spec.sameMonth = true }
            // 次月 (the month after) needs the month before it; not supported, so not a date.
            if w == Self.ciyue { return nil }
            let end = afterMonth(i + w.count, &spec)
            return GrammarMatch(start: i, end: end, spec: spec)
        }
        for (w, off) in Self.weekWordsU where has(w, at: i) {
            // 「回本周期」「下周期」: 周期 (a cycle) is not a week.
            if has("期", at: i + w.count) { return nil }
            var spec = DateSpec(); spec.weekRelative = off
            return GrammarMatch(start: i, end: i + w.count, spec: spec)
        }
        return nil
    }

    /// Q3, 第三季度, 一季度, 前三季度 without a year: resolved against context.
    private func matchQuarterWord(at i: Int) -> GrammarMatch? {
        if let p = at(i - 1), ChineseText.isASCIILetter(p) || ChineseText.isDigit(p) { return nil }
        guard let (q, qEnd, e, mod) = quarter(at: i) else { return nil }
        var spec = DateSpec(); spec.quarter = q; spec.quarterEnd = qEnd; spec.mod = mod
        return GrammarMatch(start: i, end: e, spec: spec)
    }

    /// 上半年, 下半年, 年初, 年底, 年末 without a year: the year in context.
    private func matchBarePeriod(at i: Int) -> GrammarMatch? {
        if let p = at(i - 1), ChineseText.chineseDigit(p) != nil || ChineseText.isDigit(p) || ["十", "近", "每", "多", "数", "几", "半", "周", "新", "跨", "全", "整", "末"].contains(p) {
            return nil
        }
        var spec = DateSpec()
        if has("上半年", at: i) { spec.half = 1; return GrammarMatch(start: i, end: i + 3, spec: spec) }
        if has("下半年", at: i) { spec.half = 2; return GrammarMatch(start: i, end: i + 3, spec: spec) }
        // 「半年报」 (not 「半年」, a duration): the first half of the year in context.
        if has("半年报", at: i) { spec.half = 1; return GrammarMatch(start: i, end: i + 3, spec: spec) }
        // 「月中，…」「月初」: the month of the date before, or of publication.
        if at(i) == "月", let (mod, e) = periodModifier(at: i + 1, allowMid: true) {
            if let p = at(i - 1), ["个", "本", "上", "下", "当", "同", "次", "这", "每", "岁", "日", "年", "满", "跨"].contains(p) || ChineseText.isIdeograph(p) && !"，。；：、！？".unicodeScalars.contains(p) {
                return nil
            }
            spec.sameMonth = true
            spec.mod = mod
            return GrammarMatch(start: i, end: e, spec: spec)
        }
        guard at(i) == "年", let (mod, e) = periodModifier(at: i + 1, allowMid: true), mod != .mid || at(i + 1) == "中" else { return nil }
        // 「年中」 inside words (年中无休) is excluded by the modifier's own guard.
        spec.mod = mod
        return GrammarMatch(start: i, end: e, spec: spec)
    }
}
