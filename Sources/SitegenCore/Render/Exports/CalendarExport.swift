/// `data/events.ics` (RFC 5545). Every event is an all-day VEVENT: a day-precision event covers
/// its day; a coarser one (a month, a quarter, a year, a range such as 「8月底至9月」) covers its
/// whole period, and its description says how precise the date really is. UIDs are the event ids
/// (content hashes, stable across builds); DTSTAMP is the latest publication date of the event's
/// articles, so the file is byte-identical across builds. Lines end in CRLF and are folded at 75
/// octets without splitting a UTF-8 character.
enum CalendarExport {
    static func ics(_ r: SiteRenderer) -> String {
        var lines: [String] = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//sitegen//\(text(r.config.title))//ZH",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:\(text(r.config.title))",
        ]
        if !r.config.description.isEmpty { lines.append("X-WR-CALDESC:\(text(r.config.description))") }
        // Folded into one text event by event, so the lines of all events are never held at once.
        var out = ""
        for e in r.graph.events {
            for l in lines { out += fold(l) }
            lines.removeAll(keepingCapacity: true)
            let span = r.span(e)
            var desc = "\(r.dateText(e))（\(r.precisionNote(e))）"
            for s in e.sources {
                desc += "\n\n“\(s.quote)”"
                if let a = r.articleBySlug[s.articleSlug] {
                    desc += "\n— \(a.meta.title)\(a.meta.source.map { "，" + $0 } ?? "")，\(a.meta.date.iso)"
                }
            }
            if r.hasAbsoluteBase { desc += "\n\n" + r.absoluteURL(r.eventPath(e.id)) }
            lines += [
                "BEGIN:VEVENT",
                "UID:\(e.id)@\(r.baseHost)",
                "DTSTAMP:\(basic(r.reportedDates(e).last))T000000Z",
                "DTSTART;VALUE=DATE:\(basic(span.first))",
                "DTEND;VALUE=DATE:\(basic(span.last.adding(days: 1)))",
                "SUMMARY:\(text(e.headline))",
                "DESCRIPTION:\(text(desc))",
            ]
            if r.hasAbsoluteBase { lines.append("URL:\(r.absoluteURL(r.eventPath(e.id)))") }
            let names = (e.entities + e.impliedEntities).compactMap { r.graph.entityByID[$0]?.name }
            if !names.isEmpty { lines.append("CATEGORIES:" + names.map(text).joined(separator: ",")) }
            lines += [
                "TRANSP:TRANSPARENT",
                "X-SITEGEN-DATE:\(e.date.string)\(e.end.map { "/" + $0.string } ?? "")",
                "X-SITEGEN-PRECISION:\(e.date.precision.name)",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        for l in lines { out += fold(l) }
        return out
    }

    /// YYYYMMDD.
    static func basic(_ d: CivilDate) -> String { CivilDate.pad(d.year, 4) + CivilDate.pad(d.month, 2) + CivilDate.pad(d.day, 2) }

    /// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped,
    /// other control characters dropped.
    static func text(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": continue
            default:
                if u.value < 0x20 && u != "\t" || u.value == 0x7F { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// One content line, folded (§3.1): no line longer than 75 octets before its CRLF; each
    /// continuation starts with a space; a multi-octet UTF-8 character is never split.
    static func fold(_ line: String) -> String {
        var out = ""
        var used = 0
        for u in line.unicodeScalars {
            let n = u.utf8.count
            if used + n > 75 {
                out += "\r\n "
                used = 1
            }
            out.unicodeScalars.append(u)
            used += n
        }
        return out + "\r\n"
    }
}
