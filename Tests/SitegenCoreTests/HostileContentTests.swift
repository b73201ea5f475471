import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import SitegenCore

/// An article, entities and front matter full of the classic XSS payloads: no output file — HTML,
/// JSON, feeds, calendar, CSV, search index — may carry anything executable, and the hostile text
/// must still be shown (escaped), not dropped.
@Suite struct HostileContentTests {
    static let entities = """
        - id: evil
          name: "恶意公司</script><script>alert('entity')</script>"
          kind: company
          aliases: ["恶意公司", "\\" onmouseover=\\"alert('alias')"]
          description: "<img src=x onerror=alert('desc')> javascript:alert('desc')"
        - id: evil-model
          name: "=HYPERLINK(\\"https://evil.example/\\",\\"点我\\")"
          kind: product
          aliases: ["毒模型"]
          parent: evil

        """

    static let article = #"""
        ---
        title: "</script><script>alert('title')</script>\" onmouseover=\"alert('t') {{site.title}}"
        date: 2024-05-20
        source: "<svg/onload=alert('source')>"
        source_url: "https://example.org/\"><script>alert('url')</script>"
        author: ["{{#site}}{{title}}{{/site}}", "<b onclick=alert('author')>甲</b>"]
        summary: "<img src=x onerror=alert('summary')>"
        tags: ["<script>alert('tag')</script>", "javascript:alert('tag')"]
        ---
        2024年5月15日，恶意公司发布<script>alert('body')</script>新产品。

        2024年5月16日，恶意公司宣布[点击](javascript:alert('link'))和[数据](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)免费。

        2024年5月17日，恶意公司推出<img src=x onerror=alert('img')>新模型。

        2024年5月18日，恶意公司发布"><svg onload=alert('svg')>视觉模型。

        2024年5月19日，毒模型上线{{#site}}{{title}}{{/site}}{{{site.title}}}功能。

        2024年5月20日，恶意公司上线</script><script>alert('headline')</script>" onmouseover="alert('h')插件。

        2024年5月21日，恶意公司宣布降价=HYPERLINK("https://evil.example/")。

        <a href="javascript:alert('raw')" onclick="alert('raw')">raw</a>

        <svg><script>alert('svg2')</script></svg>

        ![图](javascript:alert('image')) [实体](jav&#x61;script:alert('entity-encoded')) [大小写](JaVaScRiPt:alert('case'))
        [空格]( javascript:alert('space')) [vb](vbscript:msgbox(1)) <javascript:alert('autolink')>

        <iframe src="javascript:alert('iframe')"></iframe><object data="x"></object><base href="javascript:alert(1)//">

        | 列 | <script>alert('table')</script> |
        | --- | --- |
        | [x](javascript:alert('cell')) | <img src=x onerror=alert('cell')> |

        """#

    static func buildHostileSite() throws -> (MiniSite, SiteBuilder.Report) {
        let site = MiniSite()
        site.dir.write("content/entities.yml", MiniSite.entities + entities)
        site.dir.write("content/articles/evil.md", article)
        return (site, try site.builder().build())
    }

    @Test func noOutputFileCarriesExecutableContent() throws {
        let (site, report) = try Self.buildHostileSite()
        #expect(report.events >= 5, "the hostile article should still yield events")
        let files = snapshot(site.output)
        var problems: [String] = []
        var kinds: Set<String> = []
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            let ext = (path as NSString).pathExtension
            kinds.insert(ext)
            let text = String(decoding: data, as: UTF8.self)
            switch ext {
            case "html": problems += HTMLCheck.problems(in: text).map { "\(path): \($0)" }
            case "json": problems += JSONCheck.problems(in: data).map { "\(path): \($0)" }
            case "xml", "gexf": problems += XMLCheck.problems(in: data).map { "\(path): \($0)" }
            case "ics": problems += ICSCheck.problems(in: text).map { "\(path): \($0)" }
            case "csv": problems += CSVCheck.problems(in: text).map { "\(path): \($0)" }
            case "js", "css", "svg", "txt", "sitegen-output", "": break
            // Pagefind's index: gzip-compressed data, and its WebAssembly (made from our records).
            case "pf_filter", "pf_fragment", "pf_index", "pf_meta", "pagefind": break
            default: problems.append("\(path): an output file of a kind this test does not know; add a check for it")
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(20).joined(separator: "\n"))")
        // Every kind of output was looked at.
        for ext in ["html", "json", "xml", "ics", "csv"] { #expect(kinds.contains(ext), "no .\(ext) file was written") }
        #expect(Pagefind.executable() == nil || files["/pagefind/pagefind-entry.json"] != nil)
    }

    @Test func hostileTextIsShownEscapedNotDropped() throws {
        let (site, _) = try Self.buildHostileSite()
        let page = try #require(site.dir.read("public/articles/evil/index.html"))
        #expect(page.contains("&lt;/script&gt;&lt;script&gt;alert("), "the title is shown as text")
        // Mustache syntax in content is text, never evaluated as a template.
        #expect(page.contains("{{#site}}{{title}}{{/site}}"))
        let entityPage = try #require(site.dir.read("public/entities/evil/index.html"))
        #expect(entityPage.contains("恶意公司&lt;/script&gt;"))
    }

    /// The checks themselves must see what they look for.
    @Test func checksCatchTheClassicPayloads() {
        let bad = [
            "<p>x</p><script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=\"jav&#x61;script:alert(1)\">x</a>",
            "<a href=' JaVaScRiPt:alert(1)'>x</a>", "<div title=\"a\" onmouseover=\"alert(1)\">", "<svg/onload=alert(1)>",
            "<iframe src=x></iframe>", "<a href=\"data:text/html;base64,xx\">x</a>",
            "<script type=\"application/ld+json\">{\"a\": \"</script><script>alert(1)</script>\"}</script>",
            "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">", "<!-- ok --><SCRIPT SRC=//evil/x.js></SCRIPT>",
        ]
        for html in bad { #expect(!HTMLCheck.problems(in: html).isEmpty, "\(html)") }
        #expect(HTMLCheck.problems(in: "<p title=\"&quot; onmouseover=&quot;x\">&lt;script&gt;</p><!-- <script> -->").isEmpty)
        #expect(!JSONCheck.problems(in: Data("{\"a\": \"</script>\"}".utf8)).isEmpty)
        #expect(!JSONCheck.problems(in: Data("{\"url\": \"javascript:alert(1)\"}".utf8)).isEmpty)
        #expect(!CSVCheck.problems(in: "a,b\r\n=1+1,x\r\n").isEmpty)
        #expect(!CSVCheck.problems(in: "a,b\r\n\"x\",y,z\r\n").isEmpty)
        #expect(!ICSCheck.problems(in: "BEGIN:VCALENDAR\r\nSUMMARY:x\r\nATTACH:evil\r\nEND:VCALENDAR\r\n").isEmpty)
        #expect(!XMLCheck.problems(in: Data("<feed><content type=\"html\">&lt;img src=x onerror=alert(1)&gt;</content></feed>".utf8)).isEmpty)
        #expect(!XMLCheck.problems(in: Data("<feed><link href=\"javascript:alert(1)\"/></feed>".utf8)).isEmpty)
    }
}

// MARK: - checks per kind of file

/// A tokenizer for just enough HTML to see what a browser would: start tags with their
/// attributes (values decoded), raw-text elements (script, style) with their bodies, comments.
enum HTMLScan {
    struct Tag {
        var name: String
        var attributes: [(name: String, value: String)]
        /// The text up to the closing tag, for script and style.
        var body: String?
    }

    static func tags(_ html: String) -> [Tag] {
        let b = Array(html.utf8)
        let n = b.count
        var out: [Tag] = []
        var i = 0
        func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D }
        func find(_ s: String, from: Int, caseInsensitive: Bool = false) -> Int? {
            let p = Array(s.utf8)
            guard p.count <= n else { return nil }
            var k = from
            while k + p.count <= n {
                var ok = true
                for t in 0..<p.count {
                    let x = caseInsensitive ? b[k + t] | (isLetter(b[k + t]) ? 0x20 : 0) : b[k + t]
                    if x != p[t] { ok = false; break }
                }
                if ok { return k }
                k += 1
            }
            return nil
        }
        func text(_ r: Range<Int>) -> String { String(decoding: b[r], as: UTF8.self) }
        while i < n {
            guard b[i] == UInt8(ascii: "<"), i + 1 < n else { i += 1; continue }
            let c = b[i + 1]
            if c == UInt8(ascii: "!") {
                if find("<!--", from: i) == i { i = (find("-->", from: i + 4) ?? n - 3) + 3 } else { i = (find(">", from: i) ?? n - 1) + 1 }
                continue
            }
            if c == UInt8(ascii: "/") || c == UInt8(ascii: "?") { i = (find(">", from: i) ?? n - 1) + 1; continue }
            guard isLetter(c) else { i += 1; continue }
            var j = i + 1
            while j < n, !isSpace(b[j]), b[j] != UInt8(ascii: "/"), b[j] != UInt8(ascii: ">") { j += 1 }
            let name = text((i + 1)..<j).lowercased()
            var attributes: [(String, String)] = []
            while j < n {
                while j < n, isSpace(b[j]) || b[j] == UInt8(ascii: "/") { j += 1 }
                if j >= n || b[j] == UInt8(ascii: ">") { j += 1; break }
                let a = j
                j += 1
                while j < n, !isSpace(b[j]), b[j] != UInt8(ascii: "/"), b[j] != UInt8(ascii: ">"), b[j] != UInt8(ascii: "=") { j += 1 }
                let attrName = text(a..<j).lowercased()
                var k = j
                while k < n, isSpace(b[k]) { k += 1 }
                var value = ""
                if k < n, b[k] == UInt8(ascii: "=") {
                    k += 1
                    while k < n, isSpace(b[k]) { k += 1 }
                    if k < n, b[k] == UInt8(ascii: "\"") || b[k] == UInt8(ascii: "'") {
                        let q = b[k]
                        var e = k + 1
                        while e < n, b[e] != q { e += 1 }
                        value = text((k + 1)..<min(e, n))
                        j = min(e + 1, n)
                    } else {
                        var e = k
                        while e < n, !isSpace(b[e]), b[e] != UInt8(ascii: ">") { e += 1 }
                        value = text(k..<e)
                        j = e
                    }
                }
                attributes.append((attrName, decodeEntities(value)))
            }
            var tag = Tag(name: name, attributes: attributes, body: nil)
            if name == "script" || name == "style" || name == "xmp" || name == "noembed" || name == "noframes" {
                let end = find("</" + name, from: j, caseInsensitive: true) ?? n
                tag.body = text(j..<end)
                j = end
            }
            out.append(tag)
            i = j
        }
        return out
    }

    /// Character references as a browser decodes them in attribute values.
    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        let named: [String: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":",
                                       "tab": "\t", "newline": "\n", "lpar": "(", "rpar": ")", "sol": "/"]
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            let body = after.prefix { $0.isLetter || $0.isNumber || $0 == "#" }
            var consumed = body.count
            var decoded: String?
            if body.hasPrefix("#x") || body.hasPrefix("#X"), let v = UInt32(body.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) {
                decoded = String(u)
            } else if body.hasPrefix("#"), let v = UInt32(body.dropFirst()), let u = Unicode.Scalar(v) {
                decoded = String(u)
            } else if let v = named[body.lowercased()] {
                decoded = v
            }
            if let d = decoded {
                if after.dropFirst(consumed).first == ";" { consumed += 1 }
                out += d
                rest = after.dropFirst(consumed)
            } else {
                out += "&"
                rest = after
            }
        }
        return out + rest
    }

    /// A URL as a browser reads its scheme: without ASCII whitespace and control characters, lowercased.
    static func isScriptURL(_ url: String) -> Bool {
        let squeezed = String(String.UnicodeScalarView(url.unicodeScalars.filter { $0.value > 0x20 })).lowercased()
        return squeezed.hasPrefix("javascript:") || squeezed.hasPrefix("vbscript:") || squeezed.hasPrefix("data:")
    }
}

enum HTMLCheck {
    static let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "xlink:href", "poster", "background",
                                             "data", "lowsrc", "dynsrc", "ping", "srcset", "codebase", "cite", "manifest"]
    static let forbiddenTags: Set<String> = ["iframe", "object", "embed", "base", "frame", "frameset", "applet", "portal"]

    static func problems(in html: String) -> [String] {
        var out: [String] = []
        for tag in HTMLScan.tags(html) {
            if forbiddenTags.contains(tag.name) { out.append("<\(tag.name)> element") }
            for (name, value) in tag.attributes {
                if name.hasPrefix("on") { out.append("event handler attribute \(name)=\(value) on <\(tag.name)>") }
                if name == "srcdoc" { out.append("srcdoc attribute on <\(tag.name)>") }
                if urlAttributes.contains(name) && HTMLScan.isScriptURL(value) { out.append("\(name)=\(value) on <\(tag.name)>") }
                if name == "style" && (value.lowercased().contains("expression(") || value.lowercased().contains("javascript:")) {
                    out.append("scripted style on <\(tag.name)>")
                }
                if name == "http-equiv" { out.append("<meta http-equiv>") }
            }
            if tag.name == "script" {
                let attrs = Dictionary(tag.attributes.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
                let body = tag.body ?? ""
                if attrs["type"] == "application/ld+json" && tag.attributes.count == 1 {
                    // Our JSON-LD: data, never code; nothing in it can end the element.
                    if body.contains("<") { out.append("'<' inside JSON-LD") }
                    if (try? JSONSerialization.jsonObject(with: Data(body.utf8))) == nil { out.append("JSON-LD that does not parse") }
                } else if let src = attrs["src"], src.hasSuffix("/assets/app.js"), !HTMLScan.isScriptURL(src),
                          body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    // Our one script file.
                } else {
                    out.append("<script> not from the templates: \(tag.attributes) \(body.prefix(60))")
                }
            }
        }
        return out
    }
}

enum JSONCheck {
    static func problems(in data: Data) -> [String] {
        guard let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return ["does not parse as JSON"] }
        var out: [String] = []
        // JSON that is ever pasted into a page must not be able to close a <script>.
        if data.contains(UInt8(ascii: "<")) { out.append("raw '<' (write it as \\u003c)") }
        func walk(_ v: Any, _ path: String) {
            if let s = v as? String {
                if HTMLScan.isScriptURL(s) { out.append("\(path) is a script URL: \(s)") }
            } else if let a = v as? [Any] {
                for (i, x) in a.enumerated() { walk(x, "\(path)[\(i)]") }
            } else if let d = v as? [String: Any] {
                for (k, x) in d { walk(x, "\(path).\(k)") }
            }
        }
        walk(root, "$")
        return out
    }
}

enum XMLCheck {
    /// Parses the feed (or sitemap, or graph): it must be well-formed, have no script elements or
    /// event attributes, only http(s) links, and any escaped HTML it carries (`type="html"`) must
    /// itself pass `HTMLCheck`.
    static func problems(in data: Data) -> [String] {
        final class Delegate: NSObject, XMLParserDelegate {
            var problems: [String] = []
            var htmlDepth = 0
            var html = ""
            var element = ""
            var text = ""
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                let local = name.split(separator: ":").last.map(String.init)?.lowercased() ?? name
                if local == "script" { problems.append("<\(name)> element") }
                for (k, v) in attributes {
                    if k.lowercased().hasPrefix("on") { problems.append("\(k) attribute on <\(name)>") }
                    if (k == "href" || k.hasSuffix(":href") || k == "src" || k == "uri"), !(v.hasPrefix("http://") || v.hasPrefix("https://") || v.hasPrefix("/")) {
                        problems.append("\(k)=\(v) on <\(name)>")
                    }
                }
                if htmlDepth > 0 { htmlDepth += 1 }
                if attributes["type"] == "html" || attributes["type"] == "xhtml" { htmlDepth = 1; html = "" }
                element = local
                text = ""
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) {
                if htmlDepth > 0 { html += string }
                text += string
            }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                if element == "loc" || element == "id" && text.hasPrefix("http"), HTMLScan.isScriptURL(text) {
                    problems.append("<\(element)> \(text)")
                }
                if htmlDepth > 0 {
                    htmlDepth -= 1
                    if htmlDepth == 0 { problems += HTMLCheck.problems(in: html).map { "in escaped HTML: \($0)" } }
                }
                text = ""
            }
        }
        let parser = XMLParser(data: data)
        let delegate = Delegate()
        parser.delegate = delegate
        guard parser.parse() else { return ["is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")"] }
        return delegate.problems
    }
}

enum ICSCheck {
    static let properties: Set<String> = ["BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "METHOD", "UID", "DTSTAMP", "DTSTART",
                                          "DTEND", "SUMMARY", "DESCRIPTION", "URL", "CATEGORIES", "TRANSP", "LOCATION", "STATUS"]

    /// Unfolded content lines must all be properties we write (a line break in a value that
    /// was not escaped would start a property of the attacker's choosing), VEVENTs balanced,
    /// URLs http(s).
    static func problems(in text: String) -> [String] {
        var out: [String] = []
        if text.contains("\n") && text.replacingOccurrences(of: "\r\n", with: "").contains("\n") { out.append("a bare LF") }
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
        var begins = 0, ends = 0
        for line in unfolded.components(separatedBy: "\r\n") where !line.isEmpty {
            guard let sep = line.firstIndex(where: { $0 == ":" || $0 == ";" }) else { out.append("not a property: \(line.prefix(60))"); continue }
            let name = String(line[..<sep])
            if !properties.contains(name) && !name.hasPrefix("X-") { out.append("unexpected property \(name): \(line.prefix(60))") }
            if line == "BEGIN:VEVENT" { begins += 1 }
            if line == "END:VEVENT" { ends += 1 }
            if name == "URL", let colon = line.firstIndex(of: ":") {
                let url = line[line.index(after: colon)...]
                if !(url.hasPrefix("http://") || url.hasPrefix("https://")) { out.append("URL \(url)") }
            }
        }
        if begins != ends { out.append("\(begins) BEGIN:VEVENT but \(ends) END:VEVENT") }
        return out
    }
}

enum CSVCheck {
    /// RFC 4180 parsing: every row has the header's number of fields (a quote or line break
    /// that was not escaped would shift them), and no field starts a spreadsheet formula.
    static func problems(in text: String) -> [String] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r" && chars.first == "\n" {
                chars.removeFirst()
                row.append(field); field = ""
                rows.append(row); row = []
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        guard let header = rows.first else { return ["empty"] }
        var out: [String] = []
        for (i, r) in rows.enumerated() {
            if r.count != header.count { out.append("row \(i + 1) has \(r.count) fields, the header \(header.count)") }
            for f in r {
                if let first = f.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
                    out.append("row \(i + 1): a field that a spreadsheet runs as a formula: \(f.prefix(60))")
                }
            }
        }
        return out
    }
}
