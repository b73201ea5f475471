/// What the resolver knows while it reads an article top to bottom: the publication date and
/// the dates already mentioned. Anaphoric forms (同日, a bare 22日, 同年) and yearless dates
/// (5月21日) are read against it, as a reader would.
public struct TemporalContext: Sendable {
    public var reference: CivilDate
    /// The last resolved date anywhere before this point (for 同日, 次日, a bare 22日).
    public var documentLast: TemporalValue?
    /// The last resolved date in the current paragraph (gives yearless dates their year).
    public var paragraphLast: TemporalValue?

    public init(reference: CivilDate) {
        self.reference = reference
    }

    /// Yearless dates take their year from the paragraph they stand in; a new paragraph starts
    /// over from the publication date.
    public mutating func beginParagraph() {
        paragraphLast = nil
    }
}

/// Finds and normalizes the temporal expressions of Chinese text. One instance is cheap and
/// stateless; the reading state lives in `TemporalContext`.
public struct TemporalRecognizer: Sendable {
    /// Bumped whenever the grammar or resolution changes, so cached extraction results are redone.
    public static let engineVersion = 2

    public init() {}

    /// Recognizes the expressions of one paragraph (or sentence) and advances `context`.
    public func recognize(_ text: String, context: inout TemporalContext) -> [TemporalExpression] {
        let original = Array(text.unicodeScalars)
        return recognize(scalars: original, context: &context)
    }

    public func recognize(scalars original: [Unicode.Scalar], context: inout TemporalContext) -> [TemporalExpression] {
        let folded = ChineseText.fold(original)
        let grammar = TemporalGrammar(folded: folded)
        var out: [TemporalExpression] = []
        for m in grammar.scan() {
            guard let (value, mod, relative) = resolve(m.spec, context: context), Self.isRepresentable(value) else { continue }
            var expr = TemporalExpression(
                text: String(String.UnicodeScalarView(original[m.start..<m.end])),
                range: m.start..<m.end, value: value, mod: mod, anchor: m.anchor, isRelative: relative)
            if let q = m.spec.quarterEnd, q > (m.spec.quarter ?? 1) {
                expr.end = TemporalValue(year: value.year, unit: .quarter(q))
            }
            if let last = m.spec.monthRangeEnd, let first = value.month, last > first {
                expr.end = .month(value.year, last)
            }
            if let endSpec = m.endSpec {
                var inner = context
                inner.documentLast = value
                inner.paragraphLast = value
                if case (var endValue, let endMod, _)? = resolve(endSpec, context: inner) {
                    // 「12月至次年2月」 written without the year: the end cannot precede the start.
                    if !endSpec.hasExplicitYear, endValue < value, endValue.precision != .year {
                        endValue.year += 1
                    }
                    // A different modifier alone (「年初至年底」) makes a range too, but never one that
                    // ends before it starts (「2024年底至2023年初」).
                    if Self.isRepresentable(endValue),
                       value < endValue || (endValue.firstDay > value.firstDay) || (mod != endMod && endValue.lastDay >= value.firstDay) {
                        expr.end = endValue
                        expr.endMod = endMod
                    }
                }
            }
            context.documentLast = value
            context.paragraphLast = value
            out.append(expr)
        }
        return out
    }

    /// Whether the contract can write the value: a year of four digits. Offsets from an extreme
    /// publication date (「10天后」 read on 9999-12-31) can leave that range; such a date is dropped.
    static func isRepresentable(_ v: TemporalValue) -> Bool { (0...9999).contains(v.year) }

    /// Turns a spec into a value, or nil when the text names an impossible date (2月30日).
    func resolve(_ spec: DateSpec, context: TemporalContext) -> (TemporalValue, TemporalModifier?, Bool)? {
        let ref = context.reference
        if spec.referenceDay { return (.day(ref), nil, true) }
        if let back = spec.samePeriodYearsBack {
            var v = context.documentLast ?? .month(ref.year, ref.month)
            if case .day(let m, let d) = v.unit, !CivilDate.isValid(year: v.year - back, month: m, day: d) {
                v = .month(v.year, m)
            }
            if case .week = v.unit { v = .year(v.year) }
            v.year -= back
            return (v, nil, true)
        }
        if let (off, stated) = spec.bracketDay {
            // The stated day wins; the word (今/昨) only says which month it is in.
            let approx = ref.adding(days: off)
            if CivilDate.isValid(year: approx.year, month: approx.month, day: stated), stated <= approx.day + 1 {
                return (.day(CivilDate(year: approx.year, month: approx.month, day: stated)), nil, true)
            }
            let prev = CivilDate(year: approx.year, month: approx.month, day: 1).adding(days: -1)
            guard CivilDate.isValid(year: prev.year, month: prev.month, day: stated) else { return nil }
            return (.day(CivilDate(year: prev.year, month: prev.month, day: stated)), nil, true)
        }
        if let off = spec.offset {
            switch off {
            case .days(let n): return (.day(ref.adding(days: n)), nil, true)
            case .weeks(let n):
                let w = ref.adding(days: 7 * n).isoWeek
                return (TemporalValue(year: w.year, unit: .week(w.week)), nil, true)
            case .months(let n):
                let d = ref.adding(months: n)
                return (.month(d.year, d.month), nil, true)
            case .years(let n): return (.year(ref.year + n), nil, true)
            }
        }
        if let n = spec.dayRelative { return (.day(ref.adding(days: n)), nil, true) }
        if let n = spec.dayAnaphoric {
            if let last = context.documentLast {
                if last.precision == .day { return (.day(last.firstDay.adding(days: n)), nil, true) }
                if n == 0 { return (last, nil, true) }
            }
            return (.day(ref.adding(days: n)), nil, true)
        }
        if let n = spec.weekRelative {
            let w = ref.adding(days: 7 * n).isoWeek
            return (TemporalValue(year: w.year, unit: .week(w.week)), nil, true)
        }
        if let n = spec.monthRelative {
            let d = ref.adding(months: n)
            return withDay(spec, year: d.year, month: d.month, relative: true)
        }
        if spec.sameMonth {
            let base = context.documentLast.flatMap { v in v.month.map { (v.year, $0) } } ?? (ref.year, ref.month)
            return withDay(spec, year: base.0, month: base.1, relative: true)
        }

        // A bare day: the month of the date mentioned just before (not the publication month).
        if spec.day != nil, spec.month == nil, spec.year == .none {
            if let last = context.documentLast, let m = last.month {
                return withDay(spec, year: last.year, month: m, relative: true)
            }
            return withDay(spec, year: ref.year, month: ref.month, relative: true)
        }

        let year: Int
        var relative = true
        switch spec.year {
        case .absolute(let y): year = y; relative = false
        case .relative(let n): year = ref.year + n
        case .same: year = context.documentLast?.year ?? context.paragraphLast?.year ?? ref.year
        case .none: year = inferYear(spec, context: context)
        }
        if let m = spec.month { return withDay(spec, year: year, month: m, relative: relative) }
        if let q = spec.quarter { return (TemporalValue(year: year, unit: .quarter(q)), spec.mod, relative) }
        if let h = spec.half { return (TemporalValue(year: year, unit: .half(h)), spec.mod, relative) }
        return (.year(year), spec.mod, relative)
    }

    private func withDay(_ spec: DateSpec, year: Int, month: Int, relative: Bool) -> (TemporalValue, TemporalModifier?, Bool)? {
        if let d = spec.day {
            guard CivilDate.isValid(year: year, month: month, day: d) else { return nil }
            return (.day(CivilDate(year: year, month: month, day: d)), nil, relative)
        }
        return (.month(year, month), spec.mod, relative)
    }

    /// A date written without its year: the year of the date just before it in the same paragraph;
    /// otherwise the publication year, or the year before when the date would fall after publication
    /// (a January article about 「12月19日」 means last December).
    private func inferYear(_ spec: DateSpec, context: TemporalContext) -> Int {
        if let last = context.paragraphLast {
            // 「2023年12月30日发布，1月3日更新」: a month that wraps past December is the next year.
            if let m = spec.month, let lm = last.month, lm >= 11, m <= 2 { return last.year + 1 }
            return last.year
        }
        let ref = context.reference
        var candidate = TemporalValue(year: ref.year, unit: .year)
        if let m = spec.month {
            if let d = spec.day, CivilDate.isValid(year: ref.year, month: m, day: d) {
                candidate = .day(CivilDate(year: ref.year, month: m, day: d))
            } else {
                candidate = .month(ref.year, m)
            }
        } else if let q = spec.quarter {
            candidate = TemporalValue(year: ref.year, unit: .quarter(q))
        } else if let h = spec.half {
            candidate = TemporalValue(year: ref.year, unit: .half(h))
        }
        return candidate.firstDay > ref ? ref.year - 1 : ref.year
    }
}
