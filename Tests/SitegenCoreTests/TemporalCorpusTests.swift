import Foundation
import Testing
@testable import SitegenCore

/// The hand-labelled corpus (Fixtures/temporal-corpus.jsonl, 500+ paragraphs from many kinds of
/// publishers, Traditional Chinese and the seed articles): every item must come out exactly as labelled.
/// An expected date may also say `"role"` (baseline, period, dateline; absent for an event) and
/// `"future": true` (the future reading was taken).
struct TemporalCorpusTests {
    struct Item: Decodable, Sendable, CustomTestStringConvertible {
        struct Expected: Decodable, Sendable, Equatable {
            var text: String
            var value: String
            var mod: String?
            var end: String?
            var role: String?
            var future: Bool?
        }
        var id: String
        var reference: String
        var text: String
        var expected: [Expected]
        var tags: [String]
        var testDescription: String { "\(id): \(text.prefix(30))" }
    }

    static let items: [Item] = {
        let url = Repo.root.appendingPathComponent("Tests/SitegenCoreTests/Fixtures/temporal-corpus.jsonl")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Item.self, from: Data($0.utf8)) }
    }()

    @Test func corpusIsLargeAndCoversEveryCategory() {
        #expect(Self.items.count >= 500)
        let tags = Set(Self.items.flatMap(\.tags))
        for t in ["absolute", "modifier", "relative", "anaphora", "year-inference", "range", "traditional", "negative",
                  "weekday", "numeral", "part-of-day", "bare-day", "dateline", "approx", "week", "festival", "baseline",
                  "period", "narrative", "future"] {
            #expect(tags.contains(t), "no item tagged \(t)")
        }
    }

    @Test(arguments: items) func itemMatchesItsLabels(_ item: Item) throws {
        let ref = try #require(CivilDate(iso: item.reference))
        let got = TemporalJSON.expressions(in: item.text, reference: ref).map {
            Item.Expected(text: $0.text, value: $0.value.string, mod: $0.mod?.rawValue, end: $0.end?.string,
                          role: $0.role == .event ? nil : $0.role.rawValue, future: $0.isFutureReading ? true : nil)
        }
        #expect(got == item.expected)
    }
}
