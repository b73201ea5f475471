/// How fine a normalized date is. Raw values order coarse-after-fine so that, for two periods that
/// start together, the more precise one sorts first (day < week < month < quarter/half < year).
public enum TemporalPrecision: Int, Comparable, Sendable, Codable {
    case day = 0, week, month, quarter, half, year

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public var name: String {
        switch self {
        case .day: "day"
        case .week: "week"
        case .month: "month"
        case .quarter: "quarter"
        case .half: "half"
        case .year: "year"
        }
    }
}

/// START / MID / END refinements such as 年初, 8月中旬, 年底, and APPROX for vague recency.
public enum TemporalModifier: String, Sendable, Codable, Hashable {
    case start = "START"
    case mid = "MID"
    case end = "END"
    /// 近日, 日前, 近期, 日内, 最近, 早前: "around" the value, which is then the reference day. Sort such a
    /// date at that day, never show it as an exact day, and let an exact date from another source of the
    /// same happening win when merging. Dates read off an APPROX one (「近日…次日」) are APPROX too.
    case approx = "APPROX"
}

/// What a date does in its sentence. Only `.event` dates say when something happened; the extractor
/// should not date an event by the others (a `.period` may date a statistic as a whole, as a range).
/// Only `.event` dates become the anchor of later narrative time (次日, 两天后, 当月).
public enum TemporalRole: String, Sendable, Codable, Hashable {
    /// When something happened or will happen (the default).
    case event
    /// The point a figure is compared with: 「较去年同期增长30%」, 「由四年前的九成半降至五成」, 「比2023年便宜」.
    case baseline
    /// The span a cumulative figure covers: 「今年前6个月累计…」, 「前三季度」, 「1—11月累计」.
    case period
    /// A news agency's dispatch line, 「（中央社台北30日電）」「新华社北京5月21日电」: when the article was
    /// filed, not an event. It becomes the reference for the rest of the text (`TemporalContext.datelineReference`).
    case dateline
}

/// A normalized calendar period: a year, half, quarter, month, ISO week or day.
public struct TemporalValue: Hashable, Sendable, Comparable, CustomStringConvertible {
    public enum Unit: Hashable, Sendable {
        case year
        case half(Int)
        case quarter(Int)
        case month(Int)
        /// ISO week; `TemporalValue.year` is then the ISO week-numbering year.
        case week(Int)
        case day(month: Int, day: Int)
    }

    public var year: Int
    public var unit: Unit

    public init(year: Int, unit: Unit) {
        self.year = year
        self.unit = unit
    }

    public static func day(_ d: CivilDate) -> TemporalValue { .init(year: d.year, unit: .day(month: d.month, day: d.day)) }
    public static func month(_ y: Int, _ m: Int) -> TemporalValue { .init(year: y, unit: .month(m)) }
    public static func year(_ y: Int) -> TemporalValue { .init(year: y, unit: .year) }

    public var precision: TemporalPrecision {
        switch unit {
        case .year: .year
        case .half: .half
        case .quarter: .quarter
        case .month: .month
        case .week: .week
        case .day: .day
        }
    }

    /// The contract's value format: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Hn or YYYY-Www.
    public var string: String {
        let y = CivilDate.pad(year, 4)
        switch unit {
        case .year: return y
        case .half(let h): return "\(y)-H\(h)"
        case .quarter(let q): return "\(y)-Q\(q)"
        case .month(let m): return "\(y)-\(CivilDate.pad(m, 2))"
        case .week(let w): return "\(y)-W\(CivilDate.pad(w, 2))"
        case .day(let m, let d): return "\(y)-\(CivilDate.pad(m, 2))-\(CivilDate.pad(d, 2))"
        }
    }

    public var description: String { string }

    /// Parses the contract's value format back; nil for anything else.
    public init?(string s: String) {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, first.count == 4, let y = Int(first) else { return nil }
        if parts.count == 1 { self.init(year: y, unit: .year); return }
        if parts.count == 3 {
            guard let d = CivilDate(iso: s) else { return nil }
            self = .day(d); return
        }
        guard parts.count == 2 else { return nil }
        let p = parts[1]
        if p.hasPrefix("H"), let h = Int(p.dropFirst()), (1...2).contains(h) { self.init(year: y, unit: .half(h)); return }
        if p.hasPrefix("Q"), let q = Int(p.dropFirst()), (1...4).contains(q) { self.init(year: y, unit: .quarter(q)); return }
        if p.hasPrefix("W"), let w = Int(p.dropFirst()), (1...53).contains(w) { self.init(year: y, unit: .week(w)); return }
        if p.count == 2, let m = Int(p), (1...12).contains(m) { self.init(year: y, unit: .month(m)); return }
        return nil
    }

    /// First calendar day of the period.
    public var firstDay: CivilDate {
        switch unit {
        case .year: return CivilDate(year: year, month: 1, day: 1)
        case .half(let h): return CivilDate(year: year, month: h == 1 ? 1 : 7, day: 1)
        case .quarter(let q): return CivilDate(year: year, month: (q - 1) * 3 + 1, day: 1)
        case .month(let m): return CivilDate(year: year, month: m, day: 1)
        case .week(let w): return CivilDate.mondayOf(isoYear: year, week: w)
        case .day(let m, let d): return CivilDate(year: year, month: m, day: d)
        }
    }

    /// Last calendar day of the period.
    public var lastDay: CivilDate {
        switch unit {
        case .year: return CivilDate(year: year, month: 12, day: 31)
        case .half(let h): return h == 1 ? CivilDate(year: year, month: 6, day: 30) : CivilDate(year: year, month: 12, day: 31)
        case .quarter(let q):
            let m = q * 3
            return CivilDate(year: year, month: m, day: CivilDate.daysInMonth(year: year, month: m))
        case .month(let m): return CivilDate(year: year, month: m, day: CivilDate.daysInMonth(year: year, month: m))
        case .week: return firstDay.adding(days: 6)
        case .day: return firstDay
        }
    }

    /// The month this period lies in, when it lies in one.
    public var month: Int? {
        switch unit {
        case .month(let m): return m
        case .day(let m, _): return m
        default: return nil
        }
    }

    /// The period of the given precision that contains `day` (its ISO week for `.week`).
    public static func containing(_ day: CivilDate, precision: TemporalPrecision) -> TemporalValue {
        switch precision {
        case .day: return .day(day)
        case .week:
            let w = day.isoWeek
            return TemporalValue(year: w.year, unit: .week(w.week))
        case .month: return .month(day.year, day.month)
        case .quarter: return TemporalValue(year: day.year, unit: .quarter((day.month - 1) / 3 + 1))
        case .half: return TemporalValue(year: day.year, unit: .half(day.month <= 6 ? 1 : 2))
        case .year: return .year(day.year)
        }
    }

    /// Whether `other` lies inside this period (a day inside its month, a month inside its year…).
    public func contains(_ other: TemporalValue) -> Bool {
        firstDay <= other.firstDay && other.lastDay <= lastDay
    }

    /// A day number to sort by: the period's start, moved into the period for MID/END so that
    /// 「2024年底」 sorts after 「2024年11月」 and 「8月中旬」 after 「8月5日」.
    public func sortDay(mod: TemporalModifier?) -> Int {
        let a = firstDay.dayNumber
        let b = lastDay.dayNumber
        switch mod {
        case .none, .start, .approx: return a
        case .mid: return a + (b - a) * 9 / 20
        case .end: return a + (b - a) * 9 / 10
        }
    }

    public static func < (x: TemporalValue, y: TemporalValue) -> Bool {
        let a = x.firstDay, b = y.firstDay
        if a != b { return a < b }
        return x.precision < y.precision
    }
}

/// How the text anchors a date: 「截至X」, 「自X以来」, 「X期间」.
public enum TemporalAnchor: String, Sendable, Codable, Hashable {
    case until
    case since
    case during
}

/// One date found in text: its surface, its normalized value and where it is.
public struct TemporalExpression: Hashable, Sendable {
    /// The surface text as written (without anchors such as 截至/以来).
    public var text: String
    /// Offsets in Unicode scalars of the text the recognizer was given.
    public var range: Range<Int>
    public var value: TemporalValue
    public var mod: TemporalModifier?
    /// The range's end for 「X至Y」 and similar; nil for a single period.
    public var end: TemporalValue?
    public var endMod: TemporalModifier?
    public var anchor: TemporalAnchor?
    /// True when the value came from the reference or earlier context rather than the text alone
    /// (今年, 同日, a bare 22日); such dates can still be right, but are weaker evidence.
    public var isRelative: Bool
    /// What the date does in its sentence; the extractor dates events by `.event` ones only.
    public var role: TemporalRole
    /// True when a future marker (将, 计划, 预计, 拟, 有望 …) stands before a yearless month, day, weekday,
    /// quarter or week and the date was read as still to come: moved to its next occurrence on or after
    /// the reference (「计划在11月」 read in August → this November, not last), or given a year by its
    /// paragraph that leaves it on or after the reference. The date is a plan or forecast, not a report.
    public var isFutureReading: Bool

    public init(text: String, range: Range<Int>, value: TemporalValue, mod: TemporalModifier? = nil,
                end: TemporalValue? = nil, endMod: TemporalModifier? = nil, anchor: TemporalAnchor? = nil,
                isRelative: Bool = false, role: TemporalRole = .event, isFutureReading: Bool = false) {
        self.text = text
        self.range = range
        self.value = value
        self.mod = mod
        self.end = end
        self.endMod = endMod
        self.anchor = anchor
        self.isRelative = isRelative
        self.role = role
        self.isFutureReading = isFutureReading
    }

    public func sortDay() -> Int { value.sortDay(mod: mod) }
}
