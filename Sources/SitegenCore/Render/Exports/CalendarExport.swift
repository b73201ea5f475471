/// `data/events.ics` (RFC 5545). Every event is an all-day VEVENT: a day-precision event covers
/// its day; a coarser one (a month, a quarter, a year, a range such as 「8月底至9月」) covers its
/// whole period, and its description says how precise the date really is. UIDs are the event ids
/// (content hashes, stable across builds); DTSTAMP is the latest publication date of the event's
/// articles, so the file is byte-identical across builds. Lines end in CRLF and are folded at 75
/// octets without splitting a UTF-8 character.
enum CalendarExport {
    static func ics(_ r: SiteRenderer, into out: inout [UInt8], drain: (inout [UInt8]) -> Void) {
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
        for e in r.graph.events {
            for l in lines { appendFolded(l, to: &out) }
            lines.removeAll(keepingCapacity: true)
            drain(&out)
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
        for l in lines { appendFolded(l, to: &out) }
    }

    /// YYYYMMDD.
    static func basic(_ d: CivilDate) -> String { CivilDate.pad(d.year, 4) + CivilDate.pad(d.month, 2) + CivilDate.pad(d.day, 2) }

    /// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped,
    /// other control characters dropped.
    static func text(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        // Byte by byte: every byte that matters is ASCII, and the bytes of other characters
        // (0x80 and up) are copied as they are.
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: ";"): out += [UInt8(ascii: "\\"), UInt8(ascii: ";")]
            case UInt8(ascii: ","): out += [UInt8(ascii: "\\"), UInt8(ascii: ",")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): continue
            default:
                if b < 0x20 && b != UInt8(ascii: "\t") || b == 0x7F { continue }
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One content line, folded (§3.1): no line longer than 75 octets before its CRLF; each
    /// continuation starts with a space; a multi-octet UTF-8 character is never split.
    static func fold(_ line: String) -> String {
        var out: [UInt8] = []
        appendFolded(line, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `fold` appended to a byte buffer, working on UTF-8 bytes (scalar by scalar on Strings it
    /// was 5% of a 2,000-article build).
    static func appendFolded(_ line: String, to out: inout [UInt8]) {
        var used = 0
        var line = line
        line.withUTF8 { u in
            var i = 0
            while i < u.count {
                // The length of the UTF-8 sequence starting here.
                let b = u[i]
                let n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                let end = min(i + n, u.count)
                if used + (end - i) > 75 {
                    out += [0x0D, 0x0A, 0x20]
                    used = 1
                }
                out.append(contentsOf: u[i..<end])
                used += end - i
                i = end
            }
        }
        out += [0x0D, 0x0A]
    }
}
