/// Where an event sits on the calendar, at its real precision: a day, week or month happened in
/// one month; a quarter, half, year or range covers several, and is never counted in the first of
/// them (「2023年底」 is not a January event).
extension SiteRenderer {
    /// Months as one number, year × 12 + month − 1.
    static func monthKey(_ y: Int, _ m: Int) -> Int { y * 12 + m - 1 }

    /// Happened within one month: day, week or month precision and no range end.
    func isMonthly(_ e: TimelineEvent) -> Bool {
        e.end == nil && e.date.precision <= .month
    }

    /// The month of a monthly event (a week counts in the month of its Monday).
    func monthOf(_ e: TimelineEvent) -> Int {
        let d = e.date.firstDay
        return Self.monthKey(d.year, d.month)
    }

    /// The months a value covers, narrowed by its modifier (「年底」: October to December).
    static func months(_ v: TemporalValue, _ mod: TemporalModifier?) -> ClosedRange<Int> {
        let first = monthKey(v.firstDay.year, v.firstDay.month)
        let last = monthKey(v.lastDay.year, v.lastDay.month)
        let n = last - first + 1
        guard let mod, n > 1 else { return first...last }
        let part = max(1, n / 3)
        switch mod {
        case .start: return first...(first + part - 1)
        case .mid: return (first + part)...(last - part)
        case .end: return (last - part + 1)...last
        // 「近日」 is a day-precision value; were it coarser, it would still cover its whole period.
        case .approx: return first...last
        }
    }

    /// The months an event covers: from its start to its range end, if any.
    func monthSpan(_ e: TimelineEvent) -> ClosedRange<Int> {
        let start = Self.months(e.date, e.mod)
        guard let end = e.end else { return start }
        let last = Self.months(end, e.endMod).upperBound
        return start.lowerBound...max(start.lowerBound, last)
    }

    /// The date a reader's "latest" means: the newest article's (a build never reads the clock,
    /// so the same content always gives the same pages).
    var referenceDay: Int {
        articles.first.map { TemporalValue.day($0.meta.date).sortDay(mod: nil) } ?? Int.max
    }

    /// Has not happened as of the newest article: a forecast, or dated after it.
    func isAhead(_ e: TimelineEvent) -> Bool {
        e.isForecast || e.sortDay > referenceDay
    }
}
