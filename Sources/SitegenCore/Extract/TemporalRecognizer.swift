/// What the resolver knows while it reads an article top to bottom: the reference date and the
/// dates already mentioned. Anaphoric forms (同日, 次日, 两天后, a bare 22日, 同年) and yearless dates
/// (5月21日) are read against it, as a reader would.
public struct TemporalContext: Sendable {
    /// The date deictic words (今天, 昨晚, 上周, 近日) and yearless dates are read against: the publication
    /// date, until a dateline gives another (`datelineReference`).
    public var reference: CivilDate
    /// The date the context was made with: the article's publication date.
    public let publicationDate: CivilDate
    /// Set when a dateline (「（中央社台北30日電）」「新华社北京5月21日电」) named a day other than the
    /// reference in force: that day is the reference for the rest of the text. The review page says so.
    public var datelineReference: CivilDate?
    /// The last event date anywhere before this point: the narrative's "now", which 同日, 次日, 两天后,
    /// 数小时后, 当月, 同年, a bare 22日 and a plain 周三 hang on. Baselines (较去年同期), periods (前6个月)
    /// and datelines never become it.
    public var documentLast: TemporalValue?
    /// The modifier of `documentLast` (an APPROX anchor makes APPROX dates off it).
    var documentLastMod: TemporalModifier?
    /// The last event date of day precision: 「12日核准2025年资本预算，当日…」 hangs 当日 on the 12th, not the year.
    var documentLastDay: TemporalValue?
    /// The last event or period date in the current paragraph (gives yearless dates their year).
    public var paragraphLast: TemporalValue?
    /// The range end of `paragraphLast`, for 「去年同期」 after 「今年前6个月」.
    var paragraphLastEnd: TemporalValue?

    public init(reference: CivilDate) {
        self.reference = reference
        publicationDate = reference
    }

    /// Yearless dates take their year from the paragraph they stand in; a new paragraph starts
    /// over from the reference date.
    public mutating func beginParagraph() {
        paragraphLast = nil
        paragraphLastEnd = nil
    }
}

/// Finds and normalizes the temporal expressions of Chinese text. One instance is cheap and
/// stateless; the reading state lives in `TemporalContext`.
public struct TemporalRecognizer: Sendable {
    /// Bumped whenever the grammar or resolution changes, so cached extraction results are redone.
    public static let engineVersion = 3

    public init() {}

    /// Recognizes the expressions of one paragraph (or sentence) and advances `context`.
    public func recognize(_ text: String, context: inout TemporalContext) -> [TemporalExpression] {
        let original = Array(text.unicodeScalars)
        return recognize(scalars: original, context: &context)
    }

    public func recognize(scalars original: [Unicode.Scalar], context: inout TemporalContext) -> [TemporalExpression] {
        let folded = ChineseText.fold(original)
        let grammar = TemporalGrammar(folded: folded, raw: original)
        var out: [TemporalExpression] = []
        for m in grammar.scan() {
            guard let r = resolve(m.spec, future: m.future, context: context), Self.isRepresentable(r.value) else {
                continue
            }
            let value = r.value
            // Read as a plan or forecast: moved to its next occurrence, or (given its year by the paragraph)
            // still to come.
            let future = r.future || (m.future && value.lastDay >= context.reference)
            var expr = TemporalExpression(
                text: String(String.UnicodeScalarView(original[m.start..<m.end])),
                range: m.start..<m.end, value: value, mod: r.mod, anchor: m.anchor, isRelative: r.relative,
                role: m.role, isFutureReading: future)
            if let end = r.end, Self.isRepresentable(end) { expr.end = end }
            if let q = m.spec.quarterEnd, q > (m.spec.quarter ?? 1) {
                expr.end = TemporalValue(year: value.year, unit: .quarter(q))
            }
            if let last = m.spec.monthRangeEnd, let first = value.month, last > first {
                expr.end = .month(value.year, last)
            }
            if let endSpec = m.endSpec {
                var inner = context
                inner.documentLast = value
                inner.documentLastMod = r.mod
                inner.paragraphLast = value
                if var end = resolve(endSpec, future: false, context: inner) {
                    // 「12月至次年2月」 written without the year: the end cannot precede the start.
                    if !endSpec.hasExplicitYear, end.value < value, end.value.precision != .year {
                        end.value.year += 1
                    }
                    // A different modifier alone (「年初至年底」) makes a range too, but never one that
                    // ends before it starts (「2024年底至2023年初」).
                    let endValue = end.value, endMod = end.mod
                    if Self.isRepresentable(endValue),
                       value < endValue || (endValue.firstDay > value.firstDay)
                        || (r.mod != endMod && endValue.lastDay >= value.firstDay) {
                        expr.end = endValue
                        expr.endMod = endMod
                    }
                }
            }
            switch m.role {
            case .event:
                context.documentLast = value
                context.documentLastMod = r.mod
                if value.precision == .day, r.mod != .approx { context.documentLastDay = value }
                // A vague 近日 says nothing about the year of the dates after it.
                if r.mod != .approx {
                    context.paragraphLast = value
                    context.paragraphLastEnd = expr.end
                }
            case .period:
                context.paragraphLast = value
                context.paragraphLastEnd = expr.end
            case .baseline:
                break
            case .dateline:
                if value.precision == .day, value.firstDay != context.reference {
                    context.reference = value.firstDay
                    context.datelineReference = value.firstDay
                }
            }
            out.append(expr)
        }
        return out
    }

    /// Whether the contract can write the value: a year of four digits. Offsets from an extreme
    /// publication date (「10天后」 read on 9999-12-31) can leave that range; such a date is dropped.
    static func isRepresentable(_ v: TemporalValue) -> Bool { (0...9999).contains(v.year) }

    /// A spec resolved: its value and modifier, whether context supplied part of it, whether the
    /// future reading was taken, and a range end the spec implies (去年同期 of a range).
    struct Resolution {
        var value: TemporalValue
        var mod: TemporalModifier?
        var relative: Bool
        var future = false
        var end: TemporalValue?

        init(_ value: TemporalValue, _ mod: TemporalModifier? = nil, relative: Bool, future: Bool = false) {
            self.value = value
            self.mod = mod
            self.relative = relative
            self.future = future
        }
    }

    /// Turns a spec into a value, or nil when the text names an impossible date (2月30日).
    /// `future`: a future marker stands before the spec (only yearless specs are moved by it).
    func resolve(_ spec: DateSpec, future: Bool, context: TemporalContext) -> Resolution? {
        let ref = context.reference
        if spec.approx { return Resolution(.day(ref), .approx, relative: true) }
        if spec.referenceDay { return Resolution(.day(ref), relative: true) }
        if let back = spec.samePeriodYearsBack { return samePeriod(yearsBack: back, context: context) }
        if let (off, stated) = spec.bracketDay {
            // The stated day wins; the word (今/昨) only says which month it is in.
            let approx = ref.adding(days: off)
            if CivilDate.isValid(year: approx.year, month: approx.month, day: stated), stated <= approx.day + 1 {
                return Resolution(.day(CivilDate(year: approx.year, month: approx.month, day: stated)), relative: true)
            }
            let prev = CivilDate(year: approx.year, month: approx.month, day: 1).adding(days: -1)
            guard CivilDate.isValid(year: prev.year, month: prev.month, day: stated) else { return nil }
            return Resolution(.day(CivilDate(year: prev.year, month: prev.month, day: stated)), relative: true)
        }
        if let off = spec.offset {
            if spec.afterNarrative, let anchor = context.documentLast {
                return narrative(off, after: anchor, mod: context.documentLastMod)
            }
            switch off {
            case .days(let n): return Resolution(.day(ref.adding(days: n)), relative: true)
            case .weeks(let n):
                return Resolution(.containing(ref.adding(days: 7 * n), precision: .week), relative: true)
            case .months(let n):
                return Resolution(.containing(ref.adding(months: n), precision: .month), relative: true)
            case .years(let n): return Resolution(.year(ref.year + n), relative: true)
            }
        }
        if let n = spec.dayRelative { return Resolution(.day(ref.adding(days: n)), relative: true) }
        if let n = spec.dayAnaphoric {
            if let last = context.documentLast {
                switch last.precision {
                case .day:
                    let mod: TemporalModifier? = context.documentLastMod == .approx ? .approx : nil
                    return Resolution(.day(last.firstDay.adding(days: n)), mod, relative: true)
                case .week, .month:
                    // 次日 of 「6月」 is still in June, as far as the text tells.
                    if n == 0 { return Resolution(last, relative: true) }
                    return narrative(.days(n), after: last, mod: context.documentLastMod)
                case .quarter, .half, .year:
                    // 当日 of a year names no day of it: the last day the text named, if any (never a year).
                    if let day = context.documentLastDay {
                        return Resolution(.day(day.firstDay.adding(days: n)), relative: true)
                    }
                }
            }
            return Resolution(.day(ref.adding(days: n)), relative: true)
        }
        if let wd = spec.weekday { return weekday(wd, spec: spec, future: future, context: context) }
        if let n = spec.weekRelative {
            return Resolution(.containing(ref.adding(days: 7 * n), precision: .week), relative: true)
        }
        if let n = spec.monthRelative {
            let d = ref.adding(months: n)
            return withDay(spec, year: d.year, month: d.month, relative: true)
        }
        if spec.sameMonth {
            let base = context.documentLast.flatMap { v in v.month.map { (v.year, $0) } } ?? (ref.year, ref.month)
            return withDay(spec, year: base.0, month: base.1, relative: true)
        }

        // A bare day: the month of the date mentioned just before (not the publication month); with
        // none, the latest such day on or before the reference (a past-tense report of 「30日」 on
        // 8月9日 means 7月30日), or the next one after a future marker.
        if let d = spec.day, spec.month == nil, spec.year == .none {
            if let last = context.documentLast, context.documentLastMod != .approx, let m = last.month {
                return withDay(spec, year: last.year, month: m, relative: true)
            }
            guard let day = Self.occurrence(ofDay: d, around: ref, forward: future) else { return nil }
            return Resolution(.day(day), relative: true, future: future)
        }

        var year: Int
        var relative = true
        var futureReading = false
        switch spec.year {
        case .absolute(let y): year = y; relative = false
        case .relative(let n): year = ref.year + n
        case .same: year = context.documentLast?.year ?? context.paragraphLast?.year ?? ref.year
        case .none: (year, futureReading) = inferYear(spec, future: future, context: context)
        }
        if let w = spec.week {
            guard w <= CivilDate.isoWeeks(in: year) else { return nil }
            return Resolution(TemporalValue(year: year, unit: .week(w)), relative: relative, future: futureReading)
        }
        var r: Resolution?
        if let m = spec.month {
            r = withDay(spec, year: year, month: m, relative: relative)
        } else if let q = spec.quarter {
            r = Resolution(TemporalValue(year: year, unit: .quarter(q)), spec.mod, relative: relative)
        } else if let h = spec.half {
            r = Resolution(TemporalValue(year: year, unit: .half(h)), spec.mod, relative: relative)
        } else {
            r = Resolution(.year(year), spec.mod, relative: relative)
        }
        r?.future = futureReading
        return r
    }

    private func withDay(_ spec: DateSpec, year: Int, month: Int, relative: Bool) -> Resolution? {
        if let d = spec.day {
            guard CivilDate.isValid(year: year, month: month, day: d) else { return nil }
            return Resolution(.day(CivilDate(year: year, month: month, day: d)), relative: relative)
        }
        return Resolution(.month(year, month), spec.mod, relative: relative)
    }

    /// 两天后, 数小时后, 一周后, 三个月后 (and 次日 of a month): counted from the narrative's date, at no finer
    /// precision than that date has (two days after 「6月」 is June). MID/END anchors count from inside
    /// their period, so the result never lies before the anchor.
    private func narrative(_ off: DateSpec.Offset, after anchor: TemporalValue, mod: TemporalModifier?) -> Resolution {
        let base = CivilDate(dayNumber: anchor.sortDay(mod: mod))
        let day: CivilDate
        let unit: TemporalPrecision
        switch off {
        case .days(let n): day = base.adding(days: n); unit = .day
        // 「1月20日…；一周后，…」: a week after a day is a day.
        case .weeks(let n): day = base.adding(days: 7 * n); unit = anchor.precision == .day ? .day : .week
        case .months(let n): day = base.adding(months: n); unit = .month
        case .years(let n): day = base.adding(months: 12 * n); unit = .year
        }
        let precision = max(unit, anchor.precision)
        return Resolution(.containing(day, precision: precision), precision == .day && mod == .approx ? .approx : nil,
                          relative: true)
    }

    /// 周三, 本周五, 上周一: in the week the text names; a plain one in the week of the day the narrative
    /// stands at (「5月12日（週一）…週三」 is 5月14日), else the latest on or before the reference, or the
    /// next one on or after it after a future marker. 「週三（29日）」: the stated day nearest that weekday.
    private func weekday(_ wd: Int, spec: DateSpec, future: Bool, context: TemporalContext) -> Resolution? {
        let ref = context.reference
        var d: CivilDate
        var futureReading = false
        if let w = spec.weekdayWeek {
            d = ref.adding(days: 7 * w + wd - ref.isoWeekday)
        } else if let last = context.documentLast, last.precision == .day, context.documentLastMod != .approx {
            d = last.firstDay.adding(days: wd - last.firstDay.isoWeekday)
        } else if future {
            d = ref.adding(days: (wd - ref.isoWeekday + 7) % 7)
            futureReading = true
        } else {
            d = ref.adding(days: -((ref.isoWeekday - wd + 7) % 7))
        }
        if let stated = spec.statedDay {
            var best: CivilDate?
            let first = CivilDate(year: d.year, month: d.month, day: 1)
            for k in -1...1 {
                let m = first.adding(months: k)
                guard CivilDate.isValid(year: m.year, month: m.month, day: stated) else { continue }
                let c = CivilDate(year: m.year, month: m.month, day: stated)
                if best.map({ abs(c.dayNumber - d.dayNumber) < abs($0.dayNumber - d.dayNumber) }) ?? true { best = c }
            }
            guard let best else { return nil }
            d = best
        }
        return Resolution(.day(d), relative: true, future: futureReading)
    }

    /// Day `d` of the reference's month if that is on the right side of the reference, else of the
    /// nearest month before (or after, `forward`) that has such a day.
    static func occurrence(ofDay d: Int, around ref: CivilDate, forward: Bool) -> CivilDate? {
        var m = CivilDate(year: ref.year, month: ref.month, day: 1)
        for _ in 0..<13 {
            if CivilDate.isValid(year: m.year, month: m.month, day: d) {
                let c = CivilDate(year: m.year, month: m.month, day: d)
                if forward ? c >= ref : c <= ref { return c }
            }
            m = m.adding(months: forward ? 1 : -1)
        }
        return nil
    }

    /// 「去年同期」: the period just stated (a range stays a range), this many years earlier.
    private func samePeriod(yearsBack back: Int, context: TemporalContext) -> Resolution {
        let ref = context.reference
        var v: TemporalValue
        var end: TemporalValue?
        if let last = context.paragraphLast {
            v = last
            end = context.paragraphLastEnd
        } else if let last = context.documentLast, context.documentLastMod != .approx {
            v = last
        } else {
            v = .month(ref.year, ref.month)
        }
        func earlier(_ x: TemporalValue) -> TemporalValue {
            var x = x
            if case .day(let m, let d) = x.unit, !CivilDate.isValid(year: x.year - back, month: m, day: d) {
                x = .month(x.year, m)
            }
            if case .week = x.unit { x = .year(x.year) }
            x.year -= back
            return x
        }
        var r = Resolution(earlier(v), relative: true)
        if let end { r.end = earlier(end) }
        return r
    }

    /// A date written without its year: the year of the date just before it in the same paragraph;
    /// otherwise the reference year, or the year before when the date would fall after the reference
    /// (a January article about 「12月19日」 means last December) — or, after a future marker, the year
    /// after when it would end before the reference (「计划在11月」 in a December article). The flag says
    /// whether the future reading was taken.
    private func inferYear(_ spec: DateSpec, future: Bool, context: TemporalContext) -> (Int, Bool) {
        if let last = context.paragraphLast {
            // 「2023年12月30日发布，1月3日更新」: a month that wraps past December is the next year.
            if let m = spec.month, let lm = last.month, lm >= 11, m <= 2 { return (last.year + 1, false) }
            return (last.year, false)
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
        } else if let w = spec.week {
            candidate = TemporalValue(year: ref.year, unit: .week(w))
        }
        if future { return (candidate.lastDay < ref ? ref.year + 1 : ref.year, true) }
        return (candidate.firstDay > ref ? ref.year - 1 : ref.year, false)
    }
}
