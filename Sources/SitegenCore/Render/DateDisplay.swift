/// Chinese display of normalized dates at their real precision: 「2024年5月15日」, 「2024年5月」,
/// 「2024年第三季度」, 「2024年底」, 「2024年8月底至9月」.
public enum DateDisplay {
    static let quarterNames = ["", "第一季度", "第二季度", "第三季度", "第四季度"]

    public static func text(_ v: TemporalValue, mod: TemporalModifier?, showYear: Bool = true) -> String {
        let y = showYear ? "\(v.year)年" : ""
        switch v.unit {
        case .day(let m, let d):
            // 近日 and the like: around that day, never shown as if the text had named it.
            return mod == .approx ? "\(y)\(m)月\(d)日前后" : "\(y)\(m)月\(d)日"
        case .month(let m):
            switch mod {
            case .start: return "\(y)\(m)月初"
            case .mid: return "\(y)\(m)月中旬"
            case .end: return "\(y)\(m)月底"
            case .approx: return "\(y)\(m)月前后"
            case nil: return "\(y)\(m)月"
            }
        case .quarter(let q):
            let base = "\(y)\(quarterNames[q])"
            switch mod {
            case .start: return base + "初"
            case .mid: return base + "中"
            case .end: return base + "末"
            case .approx: return base + "前后"
            case nil: return base
            }
        case .half(let h):
            return "\(y)\(h == 1 ? "上半年" : "下半年")"
        case .week(let w):
            return "\(v.year)年第\(w)周"
        case .year:
            let yy = "\(v.year)年"
            switch mod {
            case .start: return yy + "初"
            case .mid: return yy + "年中"
            case .end: return yy + "底"
            case .approx: return yy + "前后"
            case nil: return yy
            }
        }
    }

    /// A period with its optional range end; the end's year is left out when it repeats.
    public static func text(_ v: TemporalValue, mod: TemporalModifier?, end: TemporalValue?, endMod: TemporalModifier?) -> String {
        let start = text(v, mod: mod)
        guard let end else { return start }
        let sameYear = end.year == v.year && end.precision != .year
        return start + "至" + text(end, mod: endMod, showYear: !sameYear)
    }

    /// A valid HTML `datetime` value for the period (HTML has no quarter or half syntax: those
    /// give the year).
    public static func htmlDatetime(_ v: TemporalValue) -> String {
        switch v.unit {
        case .day, .month, .week, .year: return v.string
        case .quarter, .half: return CivilDate.pad(v.year, 4)
        }
    }

    public static func precisionLabel(_ p: TemporalPrecision) -> String {
        switch p {
        case .day: "日"
        case .week: "周"
        case .month: "月"
        case .quarter: "季度"
        case .half: "半年"
        case .year: "年"
        }
    }
}
