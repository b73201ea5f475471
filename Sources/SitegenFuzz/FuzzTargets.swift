import Foundation
import SitegenCore

/// What the fuzzers check beyond "does not crash" (Swift traps on an index out of range or an
/// overflow, so a crash is already a bug): the properties every result must have.
enum FuzzTargets {
    static let name = ProcessInfo.processInfo.environment["SITEGEN_FUZZ_TARGET"] ?? "dates"

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch name {
        case "article": article(bytes)
        default: dates(bytes)
        }
    }

    /// Publication dates to read the text against: a usual one, and the ends of what
    /// `CivilDate(iso:)` (and so `sitegen dates --reference`) accepts.
    static let references = [CivilDate(year: 2024, month: 12, day: 23), CivilDate(year: 1, month: 1, day: 1),
                             CivilDate(year: 9999, month: 12, day: 31)]

    static func check(_ ok: Bool, _ message: @autoclosure () -> String) {
        if !ok { fatalError(message()) }
    }

    /// `TemporalJSON.expressions(in:reference:)` and the recognizer on arbitrary UTF-8.
    static func dates(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        for reference in references {
            let expressions = TemporalJSON.expressions(in: text, reference: reference)
            for e in expressions {
                checkValue(e, in: text)
            }
            let json = TemporalJSON.encode(expressions)
            let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
            check(parsed?.count == expressions.count, "TemporalJSON.encode gave JSON that does not parse back: \(json)")
        }
        // Ranges: the recognizer's offsets are Unicode scalars of the paragraph it was given.
        for paragraph in text.split(separator: "\n") {
            let scalars = Array(paragraph.unicodeScalars)
            var context = TemporalContext(reference: references[0])
            for e in TemporalRecognizer().recognize(String(paragraph), context: &context) {
                check(e.range.lowerBound >= 0 && e.range.lowerBound < e.range.upperBound && e.range.upperBound <= scalars.count,
                      "range \(e.range) outside the \(scalars.count) scalars of the paragraph")
                check(String(String.UnicodeScalarView(scalars[e.range])) == e.text, "text '\(e.text)' is not the slice \(e.range)")
            }
        }
    }

    static func checkValue(_ e: TemporalExpression, in text: String) {
        // Bytes, not Characters: an expression may end before a combining mark that joins its last character.
        check(Data(text.utf8).range(of: Data(e.text.utf8)) != nil, "expression text '\(e.text)' is not in the input")
        check(TemporalValue(string: e.value.string) == e.value, "value \(e.value.string) of '\(e.text)' does not round-trip")
        // APPROX stands for "around the reference day"; only an event date can be read as future.
        check(e.mod != .approx || e.value.precision == .day, "'\(e.text)' is APPROX at \(e.value.string)")
        check(!e.isFutureReading || e.role == .event, "'\(e.text)' is a \(e.role) read as future")
        if let end = e.end {
            check(TemporalValue(string: end.string) == end, "end \(end.string) of '\(e.text)' does not round-trip")
            check(end.lastDay >= e.value.firstDay, "'\(e.text)': range ends (\(end)) before it starts (\(e.value))")
        }
    }

    static let entities = [
        Entity(id: "bytedance", name: "字节跳动", kind: .company, aliases: ["ByteDance"]),
        Entity(id: "doubao", name: "豆包", kind: .product, aliases: ["豆包大模型"], parent: "bytedance"),
        Entity(id: "openai", name: "OpenAI", kind: .company),
        Entity(id: "gpt-4", name: "GPT-4", kind: .product, parent: "openai"),
    ]
    static let extractor = EventExtractor(entities: entities)

    /// `ArticleLoader().load(data:relativePath:)` on arbitrary bytes; an article it accepts goes
    /// on through the parser and the event extractor.
    static func article(_ bytes: UnsafeBufferPointer<UInt8>) {
        let path = "articles/fuzz.md"
        do {
            let a = try ArticleLoader().load(data: Data(buffer: bytes), relativePath: path)
            check(!a.meta.slug.isEmpty && SafeName.slug(a.meta.slug) == a.meta.slug, "unsafe slug '\(a.meta.slug)'")
            check(!a.meta.title.isEmpty, "empty title accepted")
            check(a.bodyStartLine >= 3, "body starts on line \(a.bodyStartLine)")
            let parsed = MarkdownParser().parse(a)
            for event in extractor.extract(parsed) {
                let block = event.source.blockIndex
                check(parsed.blocks.indices.contains(block), "event in block \(block) of \(parsed.blocks.count)")
                // The block's plain text, not the body: a soft line break inside 「2023年\n8月」 is joined there.
                checkValue(event.date, in: parsed.blocks[block].text)
                check(!event.entities.isEmpty, "an event without an entity")
            }
        } catch {
            check(error.file == path, "diagnostic for another file: \(error.file)")
            check((error.line ?? 1) >= 1 && (error.column ?? 1) >= 1, "diagnostic at \(error.location)")
            check(!error.message.isEmpty, "diagnostic without a message")
        }
    }
}
