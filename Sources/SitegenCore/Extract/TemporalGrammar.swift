/// An optional small number (a month, a day, an offset of a few units) in one byte, `Int8.min` for
/// none. Every matcher returns its `DateSpec` by value: with fifteen plain `Int?` fields (16 bytes
/// each) the spec was 300 bytes, and copying it was the largest single cost of `sitegen dates`.
@propertyWrapper
struct Small: Equatable {
    private var raw: Int8 = .min

    init() {}
    init(wrappedValue: Int?) { self.wrappedValue = wrappedValue }

    var wrappedValue: Int? {
        get { raw == .min ? nil : Int(raw) }
        set { raw = newValue.map { Int8(clamping: $0) } ?? .min }
    }
}

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
    @Small var month: Int?
    /// 本月 = 0, 上月 = -1, relative to the publication date.
    @Small var monthRelative: Int?
    /// 同月 / 当月 in narrative: the month of the date mentioned just before.
    var sameMonth = false
    @Small var day: Int?
    /// 今天 = 0, 昨天 = -1 … relative to the publication date.
    @Small var dayRelative: Int?
    /// 同日 = 0, 次日 = +1 … relative to the date mentioned just before.
    @Small var dayAnaphoric: Int?
    @Small var quarter: Int?
    /// 前三季度: quarters 1 … quarterEnd.
    @Small var quarterEnd: Int?
    @Small var half: Int?
    /// 本周 = 0, 上周 = -1 … (ISO weeks) relative to the publication date.
    @Small var weekRelative: Int?
    var mod: TemporalModifier?
    /// 3天后, 两年前: an offset from the publication date.
    var offset: Offset?
    /// 数小时后 and similar: the reference day, at day precision.
    var referenceDay = false
    /// 「去年同期」: the date mentioned just before, this many years earlier.
    @Small var samePeriodYearsBack: Int?
    /// 「今（4）日」: (offset from the reference day, the day of the month the text states).
    var bracketDay: (Int, Int)? {
        get { bracketOffset.flatMap { o in bracketStated.map { (o, $0) } } }
        set { bracketOffset = newValue?.0; bracketStated = newValue?.1 }
    }
    @Small private var bracketOffset: Int?
    @Small private var bracketStated: Int?
    /// 「2024年1—9月」: the last month of a month range inside one year.
    @Small var monthRangeEnd: Int?
    /// 周三 = 3 … 周日 = 7 (ISO weekday).
    @Small var weekday: Int?
    /// 本周三 = 0, 上周三 = -1, 下周三 = +1, in ISO weeks from the reference's; nil for a plain 周三.
    @Small var weekdayWeek: Int?
    /// 「週三（29日）」: the day the bracket states; the weekday only says which month it is in.
    @Small var statedDay: Int?
    /// 第12周, 2025年的第一週: an ISO week of `year`.
    @Small var week: Int?
    /// 近日, 日前, 近期, 日内, 最近, 早前: around the reference day.
    var approx = false
    /// 两天后, 数小时后, 一周后: counted from the date the narrative stands at, not from publication.
    var afterNarrative = false
    /// 前6个月 (and 前三季度, via `quarterEnd`): a cumulative span from the start of the year.
    var cumulative = false

    /// Written without any year, so the year comes from context (and a future marker can move it).
    var isYearless: Bool {
        guard year == .none, monthRelative == nil, !sameMonth, dayRelative == nil, dayAnaphoric == nil,
              weekRelative == nil, offset == nil, !referenceDay, samePeriodYearsBack == nil, bracketDay == nil,
              !approx, weekdayWeek == nil else { return false }
        return month != nil || day != nil || weekday != nil || quarter != nil || half != nil || week != nil
    }

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
    /// What the date does in its sentence (baseline, period, dateline), read from its surroundings.
    var role: TemporalRole = .event
    /// A future marker (将, 计划, 预计 …) stands before a yearless date.
    var future = false
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
    /// The text before folding, same offsets: 週 (always a week) and 周 (also a surname) fold alike.
    let raw: [Unicode.Scalar]
    /// True for positions inside 《…》: years in book and report titles are names, not dates.
    let inTitle: [Bool]

    /// Longest 《…》 taken as a title. A 《 with no 》 within this many scalars (or before a line
    /// break) is a stray mark, and must not hide every date after it in the paragraph.
    static let longestTitle = 120

    init(folded: [Unicode.Scalar], raw: [Unicode.Scalar]? = nil) {
        s = folded
        self.raw = raw ?? folded
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
            if var m = matchRange(at: i) {
                // 「5月12日（週一）」: the bracketed weekday only confirms the day; it is part of the date.
                if m.spec.day != nil, m.endSpec == nil, let e = bracketedWeekdayEnd(at: m.end) { m.end = e }
                m = withAnchor(m)
                classify(&m)
                if m.spec.isYearless { m.future = futureMarked(before: m.start) }
                out.append(m)
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
        if c == "廿" || c == "卅" {
            // 廿三 = 23, 卅 = 30, 卅一 = 31: the old compact tens of dates.
            if let p = at(i - 1), Self.isChineseNumeral(p) || p == "几" || p == "数" { return nil }
            var v = c == "廿" ? 20 : 30, j = i + 1
            if let u = at(j), let d = ChineseText.chineseDigit(u), d > 0 { v += d; j += 1 }
            if let n = at(j), Self.isChineseNumeral(n) { return nil }
            return Number(value: v, end: j, arabic: false, digits: 2)
        }
        guard ChineseText.chineseDigit(c) != nil || c == "十" else { return nil }
        if let p = at(i - 1), Self.isChineseNumeral(p) || p == "几" || p == "数" { return nil }
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

    static func isChineseNumeral(_ c: Unicode.Scalar) -> Bool {
        ChineseText.chineseDigit(c) != nil || c == "十" || c == "廿" || c == "卅"
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
        if ChineseText.isDigit(c) || Self.isChineseNumeral(c) {
            if let m = matchISO(at: i) { return m }
            if let m = matchYearLed(at: i) { return m }
            if let m = matchOffset(at: i) { return m }
            if let m = matchMonthLed(at: i) { return m }
            if let m = matchQuarterWord(at: i) { return m }
            if let m = matchBareDay(at: i) { return m }
            if let m = matchFestival(at: i) { return m }
            return nil
        }
        // Only a few characters can start a word-based date; everything else is skipped at once
        // (this gate is most of the engine's speed on ordinary text).
        guard Self.wordStarts.contains(c) else { return nil }
        switch c {
        case "周", "星", "礼": return matchWeekday(at: i)
        case "近", "日", "最", "早": return matchVague(at: i)
        case "双": return matchFestival(at: i)
        case "中": return matchBareTenDay(at: i)
        case "上", "下": if let m = matchBareTenDay(at: i) { return m }
        default: break
        }
        if let m = matchRelativeWord(at: i) { return m }
        if let m = matchQuarterWord(at: i) { return m }
        if c == "第", let m = matchWeekOfYear(at: i) { return m }
        if c == "前", let m = matchCumulativeMonths(at: i) { return m }
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
        if let e = yearUnit(at: j, &spec) { return e }
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
            return weekAfterPeriod(e, &spec)
        }
        return k
    }

    /// 「2025年的第一週」「今年双11」「今年前6个月」: a week, a shopping festival or the first months of the year.
    private func yearUnit(at j: Int, _ spec: inout DateSpec) -> Int? {
        var k = j
        if at(k) == "的" { k = skipSpaces(k + 1) }
        if let (w, e) = weekOfYear(at: k) { spec.week = w; return e }
        if let (m, d, e) = festivalName(at: k) {
            // 「2024年618家企业」: a count, not the festival.
            if let n = at(e), ChineseText.isDigit(n) || ChineseText.isASCIILetter(n)
                || Self.afterNumberUnits.contains(n) {
                return nil
            }
            spec.month = m; spec.day = d
            return e
        }
        if let (n, e) = cumulativeMonths(at: k) {
            spec.month = 1; spec.monthRangeEnd = n; spec.cumulative = true
            return e
        }
        return nil
    }

    /// 「年初第一週」: a week named with the part of the year it opens.
    private func weekAfterPeriod(_ e: Int, _ spec: inout DateSpec) -> Int {
        var k = skipSpaces(e)
        if at(k) == "的" { k = skipSpaces(k + 1) }
        guard let (w, end) = weekOfYear(at: k) else { return e }
        spec.week = w
        spec.mod = nil
        return end
    }

    /// 「第12周」「第一週」「第3个星期」: (ISO week, end).
    private func weekOfYear(at j: Int) -> (Int, Int)? {
        guard at(j) == "第", let n = number(at: j + 1), (1...53).contains(n.value), n.digits <= 2 else { return nil }
        let u = skipSpaces(n.end)
        let e: Int
        if at(u) == "周" { e = u + 1 } else if has("个星期", at: u) { e = u + 3 } else { return nil }
        // 第十周年 (an anniversary), 第3周期 (a cycle): not weeks of the year.
        if let c = at(e), c == "年" || c == "期" || c == "岁" || ChineseText.isDigit(c) || Self.isChineseNumeral(c) {
            return nil
        }
        return (n.value, e)
    }

    /// 第12周 standing alone, at the head of a clause: the week of the year in context.
    private func matchWeekOfYear(at i: Int) -> GrammarMatch? {
        // 「上线后的第一周」 counts from a launch, not from New Year.
        if let p = at(i - 1), !Self.isClauseBoundary(p), p != "于", p != "在" { return nil }
        guard let (w, e) = weekOfYear(at: i) else { return nil }
        var spec = DateSpec(); spec.week = w
        return GrammarMatch(start: i, end: e, spec: spec)
    }

    /// 「前6个月」「前十个月」: (last month, end) of the months from January on.
    private func cumulativeMonths(at j: Int) -> (Int, Int)? {
        guard at(j) == "前", let n = number(at: j + 1), (2...12).contains(n.value), n.digits <= 2 else { return nil }
        let u = skipSpaces(n.end)
        if has("个月", at: u) { return (n.value, u + 2) }
        if at(u) == "月" { return (n.value, u + (at(u + 1) == "份" ? 2 : 1)) }
        return nil
    }

    /// 「前6个月，」 at the head of a clause: the year's first months (「上线前6个月」 is not).
    private func matchCumulativeMonths(at i: Int) -> GrammarMatch? {
        if let p = at(i - 1), !Self.isClauseBoundary(p) { return nil }
        guard let (n, e) = cumulativeMonths(at: i) else { return nil }
        var spec = DateSpec(); spec.month = 1; spec.monthRangeEnd = n; spec.cumulative = true
        return GrammarMatch(start: i, end: e, spec: spec)
    }

    /// 618, 双11, 双十一, 双12, 双十二: (month, day, end) of the shopping festival named at `i`.
    private func festivalName(at i: Int) -> (Int, Int, Int)? {
        if has("618", at: i) {
            if let p = at(i - 1), ChineseText.isDigit(p) || ChineseText.isASCIILetter(p) || p == "." || p == "_" {
                return nil
            }
            if let n = at(i + 3), ChineseText.isDigit(n) || n == "." { return nil }
            return (6, 18, i + 3)
        }
        guard at(i) == "双" else { return nil }
        for (w, m) in [("十一", 11), ("十二", 12), ("11", 11), ("12", 12)] where has(w, at: i + 1) {
            let e = i + 3
            if let n = at(e), ChineseText.isDigit(n) || Self.isChineseNumeral(n) { return nil }
            return (m, m, e)
        }
        return nil
    }

    /// A shopping festival standing alone is a date only with a time word after it (「618期间」「双11当天」):
    /// otherwise 618 and 双11 are as often names of campaigns, figures or brands.
    private func matchFestival(at i: Int) -> GrammarMatch? {
        guard let (m, d, e) = festivalName(at: i) else { return nil }
        let k = skipSpaces(e)
        guard Self.festivalTimeWords.contains(where: { has($0, at: k) }) else { return nil }
        var spec = DateSpec(); spec.month = m; spec.day = d
        return GrammarMatch(start: i, end: e, spec: spec)
    }

    private static let festivalTimeWords = ["期间", "当天", "当日", "当晚", "前夕"].map { Array($0.unicodeScalars) }
    /// Measure words and units that make the number before them a count.
    private static let afterNumberUnits = ScalarSet("%万亿元家个名款项次位人台件场户种条吨篇部只股份")

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
        if !d.arabic, !isDatelineSuffix(at: u + 1) {
            // 一日千里, 十日谈: Chinese-numeral bare days only when they clearly stand as a date; 五日 (also a
            // count of days) only at the head of a clause. After 于/在 (「于五日召开」), or 至/到 closing a
            // range of days, the text has already said a date follows.
            let prev = at(i - 1)
            let introduced = prev == "于" || prev == "在" || (d.value >= 10 && (prev == "至" || prev == "到"))
            let before: [Unicode.Scalar] = d.value >= 10 ? ["至", "到", "的"] : ["至", "到"]
            // 「行政院五日通過」「鴻海廿三日宣布」: wire copy puts the day between the actor and the verb.
            let beforeVerb = prev.map { ChineseText.isIdeograph($0) && !Self.isChineseNumeral($0) } == true
                && Happening.predicates.longest(at: 0, in: LexiconFold.fold(Array(s[(u + 1)..<min(s.count, u + 5)]))) != nil
            guard introduced || beforeVerb || clauseBoundary(prev) || before.contains(prev!),
                  introduced || beforeVerb || clauseBoundary(next) || ["起", "晚", "上", "下", "凌"].contains(next!)
            else { return nil }
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
        case .hour: if sign > 0 { spec.offset = .days(0) } else { spec.referenceDay = true }
        }
        // 「6月3日…两天后」: an offset forward follows the story; 「两年前」 counts back from publication.
        spec.afterNarrative = sign > 0
        return GrammarMatch(start: i, end: k, spec: spec)
    }

    /// 数小时后, 几个小时前: vague, but still the reference day.
    private func matchVagueHours(at i: Int) -> GrammarMatch? {
        var k = i + 1
        if has("个小时", at: k) { k += 3 } else if has("小时", at: k) { k += 2 } else { return nil }
        for w in ["之后", "以后", "后", "之前", "以前", "前"] where has(w, at: k) {
            var spec = DateSpec()
            if w.hasSuffix("后") {
                spec.offset = .days(0)
                spec.afterNarrative = true
            } else {
                spec.referenceDay = true
            }
            return GrammarMatch(start: i, end: k + w.unicodeScalars.count, spec: spec)
        }
        return nil
    }

    /// First characters of every word-based form: relative words, 第/前/首 quarters, Q3,
    /// 上半年/下半年, bare 年初/年底, 数小时后.
    static let wordStarts: ScalarSet = {
        var set: [Unicode.Scalar] = ["第", "前", "首", "Q", "q", "上", "下", "年", "数", "几", "今", "昨", "明", "半", "月"]
        set += extraWordStarts
        for (w, _) in yearWords { set.append(w.unicodeScalars.first!) }
        for (w, _, _) in dayWords { set.append(w.unicodeScalars.first!) }
        for (w, _) in monthWords { set.append(w.unicodeScalars.first!) }
        for (w, _) in weekWords { set.append(w.unicodeScalars.first!) }
        return ScalarSet(set)
    }()
    /// Digits, Chinese numerals and word starts: the only places a date can begin.
    static let dateStarts: ScalarSet = {
        var set = Array("0123456789十〇零○一二两三四五六七八九廿卅".unicodeScalars)
        set += ["第", "前", "首", "Q", "q", "上", "下", "年", "数", "几", "今", "昨", "明", "半", "月"]
        set += extraWordStarts
        for (w, _) in yearWords { set.append(w.unicodeScalars.first!) }
        for (w, _, _) in dayWords { set.append(w.unicodeScalars.first!) }
        for (w, _) in monthWords { set.append(w.unicodeScalars.first!) }
        for (w, _) in weekWords { set.append(w.unicodeScalars.first!) }
        return ScalarSet(set)
    }()

    /// Weekdays (周/星期/礼拜), vague recency (近日, 日前, 最近, 早前), bare 中旬, 双11.
    private static let extraWordStarts: [Unicode.Scalar] = ["周", "星", "礼", "近", "日", "最", "早", "中", "双"]

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
        // A part of the day names its day: 昨晚 is yesterday, 当晚 the evening of the day just told.
        ("昨晚", -1, false), ("昨夜", -1, false), ("昨晨", -1, false), ("昨早", -1, false), ("昨午", -1, false),
        ("今晚", 0, false), ("今晨", 0, false), ("今早", 0, false), ("今夜", 0, false), ("今午", 0, false),
        ("明晚", 1, false), ("明晨", 1, false), ("明早", 1, false), ("明夜", 1, false), ("明午", 1, false),
        ("前日", -2, false), ("前晚", -2, false), ("前夜", -2, false),
        ("隔天", 1, true), ("隔日", 1, true), ("次晨", 1, true), ("翌晨", 1, true), ("当晚", 0, true), ("当夜", 0, true),
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
        if at(i) == "后", let p = at(i - 1), ChineseText.isDigit(p) { return nil }
        // 本週五, 上周一, 下个星期二 before 本周/上周 as weeks.
        if let c = at(i), c == "本" || c == "这" || c == "上" || c == "下", let m = matchWeekday(at: i) { return m }
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
            // 大选前夜, 发布会的前日: 前 after an occasion is "the eve of", not "two days ago" (「台積電前日宣布」 is).
            if w[0] == "前", w[1] != "天", let p = at(i - 1), Self.occasionEnds.contains(p) { return nil }
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
        return GrammarMatch(start: i, end: weekAfterPeriod(e, &spec), spec: spec)
    }
}

// MARK: weekdays, vague recency, parts of a month

extension TemporalGrammar {
    /// Not a clause's content: punctuation, brackets, spaces or the text's edge.
    static func isClauseBoundary(_ c: Unicode.Scalar) -> Bool {
        !ChineseText.isIdeograph(c) && !ChineseText.isDigit(c) && !ChineseText.isASCIILetter(c)
    }

    /// 每周三, 一周三次, 隔周一: a recurring or counted day, not a date.
    private static let beforeWeekdayNot = ScalarSet("每隔逢个几数双单半整全")
    /// 周日均, 周一度, 周三次, 星期一直: the numeral belongs to the word after it.
    private static let afterWeekdayNot = ScalarSet("次倍成期均年个天轮份届名位款度直般举致线些场家同系批带体样道定切共旦律点刻方面向流部员号")
    /// What follows a Simplified 周X that is a weekday rather than a name (周一鸣): a time of day, a
    /// connective, or the verbs news put right after it (「阿里周三发布」).
    private static let afterZhouWeekday = ScalarSet("晚早上下午凌夜深清傍中起至到前后当的和与及或宣发推公表称召举开正再又也将在于已收盘股美港欧透披指报")

    /// 周三 / 週三 / 星期三 / 礼拜三 / 周日 / 星期天 at `i`: (ISO weekday, end, whether the word is only ever a weekday).
    private func weekdayCore(at i: Int) -> (Int, Int, Bool)? {
        var k: Int
        var unambiguous = true
        if at(i) == "周" {
            k = i + 1
            // 週 is only ever a week; the Simplified 周 is also a surname.
            unambiguous = raw[i] != "周"
        } else if has("星期", at: i) || has("礼拜", at: i) {
            k = i + 2
        } else {
            return nil
        }
        guard let c = at(k) else { return nil }
        let day: Int
        switch c {
        case "日": day = 7
        case "天":
            // 星期天, 礼拜天; 周天 is no weekday word.
            guard k == i + 2 else { return nil }
            day = 7
        default:
            guard c != "两", let d = ChineseText.chineseDigit(c), (1...6).contains(d) else { return nil }
            day = d
        }
        k += 1
        if let n = at(k), ChineseText.isDigit(n) || Self.isChineseNumeral(n) || Self.afterWeekdayNot.contains(n) {
            return nil
        }
        return (day, k, unambiguous)
    }

    /// 周三, 星期三, 本週五, 上周一, 下个星期二, and 「週三（29日）」 with the day it states.
    private func matchWeekday(at i: Int) -> GrammarMatch? {
        var k = i
        var week: Int?
        switch s[i] {
        case "本", "这": week = 0; k += 1
        case "上": week = -1; k += 1
        case "下": week = 1; k += 1
        default: break
        }
        if week != nil, at(k) == "个" { k += 1 }
        guard let (day, e, unambiguous) = weekdayCore(at: k) else { return nil }
        if week == nil {
            if let p = at(i - 1),
               ChineseText.isDigit(p) || Self.isChineseNumeral(p) || Self.beforeWeekdayNot.contains(p) {
                return nil
            }
            if !unambiguous, let n = at(e), ChineseText.isIdeograph(n), !Self.afterZhouWeekday.contains(n) {
                return nil
            }
        }
        var spec = DateSpec()
        spec.weekday = day
        spec.weekdayWeek = week
        var end = e
        if let (d, de) = bracketedDay(at: e) {
            spec.statedDay = d
            end = de
        }
        return GrammarMatch(start: i, end: end, spec: spec)
    }

    /// 「（29日）」 at `k`: (day, end).
    private func bracketedDay(at k: Int) -> (Int, Int)? {
        guard at(k) == "(", let n = number(at: k + 1), (1...31).contains(n.value) else { return nil }
        guard let unit = at(n.end), unit == "日" || unit == "号", at(n.end + 1) == ")" else { return nil }
        return (n.value, n.end + 2)
    }

    /// 「（週一）」 at `k` (full-width brackets fold to ASCII): the end after it.
    private func bracketedWeekdayEnd(at k: Int) -> Int? {
        guard at(k) == "(", let (_, e, _) = weekdayCore(at: k + 1), at(e) == ")" else { return nil }
        return e + 1
    }

    /// Last characters of occasions (发布会, 大选, 开幕, 比赛, 节日, 仪式 …) and 的: 「大选前夜」 is their eve.
    static let occasionEnds = ScalarSet("会选幕赛节考式典展礼的战议判布市业盘季庆宴演映播夕")
    /// 附近, 接近, 临近, 逼近: nearness in space or amount, not 近日/近期.
    private static let beforeJinNot = ScalarSet("附接靠临逼贴亲将最邻就挨走拉迫趋相远较很更太离")
    /// Nouns ending in 日 (节日, 生日, 交易日, 截止日, 周日 …): 「节日前」 is "before the holiday", not 日前.
    private static let dayNounEnds = ScalarSet("节生假期易作止念幕周今昨明平当次每工个首末某该此同前元吉休忌纪届会赛选考"
                                               + "市定到截终半几数多白往旧近抗落夏冬春秋整全逐连隔翌择本即昔来诞寒暑营交结")

    /// 提早前往, 一早前往, 更早前: 早 belongs to the word before.
    private static let beforeZaoqianNot = ScalarSet("提一趁及尽更较很最越稍大清")

    /// 近日, 近期, 日前, 日内, 最近, 早前: around the reference day.
    private func matchVague(at i: Int) -> GrammarMatch? {
        let prev = at(i - 1), next = at(i + 1), after = at(i + 2)
        switch s[i] {
        case "近":
            guard next == "日" || next == "期" else { return nil }
            if let p = prev, Self.beforeJinNot.contains(p) { return nil }
        case "日":
            guard let n = next, n == "前" || n == "内" else { return nil }
            if let p = prev, ChineseText.isDigit(p) || Self.isChineseNumeral(p) || Self.dayNounEnds.contains(p) {
                return nil
            }
            // 日内瓦 is Geneva; 日前往 is 「X日 前往」.
            if n == "内", after == "瓦" { return nil }
            if n == "前", let x = after, ["往", "进", "行", "来", "夕"].contains(x) { return nil }
        case "最":
            guard next == "近" else { return nil }
            // 最近一次, 最近三年, 最近的: a count or "the nearest", not "recently".
            if let x = after, ChineseText.isDigit(x) || Self.isChineseNumeral(x)
                || ["的", "几", "数", "这", "那", "半", "距", "期", "日"].contains(x) { return nil }
            if let p = prev, ["离", "距", "得", "之"].contains(p) { return nil }
        case "早":
            guard next == "前" else { return nil }
            // 一早前往, 提早前进: 前 starts the next word.
            if let x = after, ["往", "进", "行", "来", "夕", "者", "面"].contains(x) { return nil }
            if let p = prev, Self.beforeZaoqianNot.contains(p) { return nil }
        default:
            return nil
        }
        var spec = DateSpec()
        spec.approx = true
        return GrammarMatch(start: i, end: i + 2, spec: spec)
    }

    /// 「上旬」「中旬，」「下旬」 standing alone: that part of the month in context.
    private func matchBareTenDay(at i: Int) -> GrammarMatch? {
        guard at(i + 1) == "旬", let (mod, e) = periodModifier(at: i, allowMid: true) else { return nil }
        if let p = at(i - 1), !Self.isClauseBoundary(p), !["于", "在", "至", "到"].contains(p) { return nil }
        var spec = DateSpec()
        spec.sameMonth = true
        spec.mod = mod
        return GrammarMatch(start: i, end: e, spec: spec)
    }
}

// MARK: what a date does in its sentence

extension TemporalGrammar {
    /// 「30日電）」「5月21日电 记者」「21日讯」: the date closes a news agency's dispatch line.
    private func isDatelineSuffix(at k: Int) -> Bool {
        guard let c = at(k), c == "电" || c == "讯" else { return false }
        guard let n = at(k + 1) else { return true }
        return Self.isClauseBoundary(n)
    }

    @inline(__always)
    private func ends(at k: Int, _ w: [Unicode.Scalar]) -> Bool { has(w, at: k - w.count) }

    private static func scalars(_ words: [String]) -> [[Unicode.Scalar]] { words.map { Array($0.unicodeScalars) } }
    /// 「较去年」「比2023年」「相比于2023年」: what comes next is the point of comparison.
    private static let comparedWith = scalars(["较", "比", "较之", "相较于", "相比于", "较于", "比起"])
    /// 「与2023年相比」「和去年同期相比」.
    private static let comparisonEnds = scalars(["相比", "相较", "比较", "对比", "持平"])
    /// 「由四年前的九成半降至五成」: a change (降, 升, 增 …) followed by where it went (至, 到, 为).
    private static let changeVerbs = ScalarSet("降升增减跌涨高低长加少落缩扩提")
    private static let changeTargets = ScalarSet("至到为")
    /// A cumulative figure follows: the date is the period it covers.
    private static let accumulations = scalars(["累计", "合计", "共计", "总计", "累积"])
    private static let clauseBreaks = ScalarSet("，。；！？,;!?\n")

    /// Sets `m.role`: a dateline, the period of a cumulative figure, or the baseline of a comparison.
    private func classify(_ m: inout GrammarMatch) {
        let spec = m.spec
        if spec.day != nil, m.endSpec == nil, isDatelineSuffix(at: skipSpaces(m.end)) { m.role = .dateline; return }
        if spec.cumulative || spec.quarterEnd != nil { m.role = .period; return }
        if spec.samePeriodYearsBack != nil { m.role = .baseline; return }
        if m.endSpec == nil, m.anchor == nil {
            var b = m.start
            while b > 0, ChineseText.isSpace(s[b - 1]) { b -= 1 }
            if Self.comparedWith.contains(where: { ends(at: b, $0) }) { m.role = .baseline; return }
            if let p = at(b - 1) {
                if p == "与" || p == "和" || p == "跟" || p == "同", clause(after: m.end, limit: 16, contains: { k in
                    Self.comparisonEnds.contains { has($0, at: k) }
                }) { m.role = .baseline; return }
                if p == "由" || p == "从", clause(after: m.end, limit: 24, contains: { k in
                    Self.changeVerbs.contains(s[k]) && at(k + 1).map(Self.changeTargets.contains) == true
                }) { m.role = .baseline; return }
            }
        }
        if m.anchor != .until {
            var k = skipSpaces(m.end)
            for w in ["以来", "期间", "内", "里", "的"] where has(w, at: k) {
                k = skipSpaces(k + w.unicodeScalars.count)
                break
            }
            if at(k) == "的" { k += 1 }
            if Self.accumulations.contains(where: { has($0, at: k) }) { m.role = .period }
        }
    }

    /// Whether some position in the clause after `start` (at most `limit` scalars) satisfies `test`.
    private func clause(after start: Int, limit: Int, contains test: (Int) -> Bool) -> Bool {
        var k = start
        while k < s.count, k < start + limit, !Self.clauseBreaks.contains(s[k]) {
            if test(k) { return true }
            k += 1
        }
        return false
    }

    /// Words that make what follows a plan or a forecast.
    private static let futureMarkers = scalars(["将", "计划", "预计", "拟", "有望", "预定", "定于", "预期", "打算", "准备"])
    /// Words that may stand between such a marker and its date: 「将于」「计划在」「预计最快将于」.
    private static let futureFillers = scalars(["于", "在", "从", "自", "会", "要", "可", "能", "最快", "最早", "最晚", "最迟",
                                                "争取", "力争", "正式", "陆续"])

    /// Whether a future marker stands right before `start`, with only fillers between.
    private func futureMarked(before start: Int) -> Bool {
        var k = start
        var filled = false
        for _ in 0..<4 {
            while k > 0, ChineseText.isSpace(s[k - 1]) { k -= 1 }
            for w in Self.futureMarkers where ends(at: k, w) {
                // 模拟/虚拟 are not 拟 (plans to); a bare 将 before a noun phrase is 把 (「将5月发布的模型开源」).
                if w == Self.futureMarkers[3], let p = at(k - 2), p == "模" || p == "虚" { continue }
                if w == Self.futureMarkers[0], !filled { continue }
                return true
            }
            guard let f = Self.futureFillers.first(where: { ends(at: k, $0) }) else { return false }
            k -= f.count
            filled = true
        }
        return false
    }
}
