import Foundation
import Mustache
import Testing
@testable import SitegenCore

/// The fast renderer must give exactly swift-mustache's bytes: for every page of the real site,
/// and for a table of templates that exercise each construct and the standalone-line rule.
@Suite struct CompiledTemplateTests {
    nonisolated(unsafe) static let context: [String: Any] = [
        "title": "A & B <i>\"引号\"</i> 'x'", "n": 42, "zero": 0, "yes": true, "no": false, "empty": "",
        "list": [["name": "甲", "url": "/a/"], ["name": "乙&", "url": "/b/?x=1&y=2"]], "none": [[String: Any]](),
        "tags": ["大模型", "<AI>"], "page": ["title": "页", "meta": ["deep": "深"]], "site": ["title": "站"],
        "optional": Optional<String>.some("有值") as Any, "missing": Optional<String>.none as Any,
        "html": "<b>粗</b>",
    ]

    static let partials: [String: String] = [
        "card": "<li>{{name}}</li>\n",
        "multi": "line1 {{title}}\nline2\n",
    ]

    static let cases: [String] = [
        "plain text only",
        "{{title}}|{{{title}}}|{{& title}}|{{ title }}",
        "{{n}} {{zero}} {{yes}} {{no}} [{{empty}}] [{{absent}}]",
        "{{#list}}<a href=\"{{url}}\">{{name}}</a>{{/list}}",
        "{{^none}}nothing{{/none}}{{#none}}never{{/none}}{{^list}}never{{/list}}",
        "{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}notN{{/no}}{{#zero}}Z{{/zero}}{{#empty}}E{{/empty}}{{^absent}}A{{/absent}}",
        "{{page.title}} {{page.meta.deep}} {{page.nothing.deeper}} {{#page}}{{title}}/{{site.title}}{{/page}}",
        "{{#tags}}<li>{{.}}</li>{{/tags}}",
        "{{optional}} {{#optional}}has{{/optional}}{{^optional}}never{{/optional}}",
        "<ul>\n  {{#list}}\n  <li>{{name}}</li>\n  {{/list}}\n</ul>\n",
        "before\n{{! a comment }}\nafter\n",
        "  {{#yes}}\nindented section\n  {{/yes}}\nend",
        "<div>\n  {{> card}}\n</div>\n",
        "<div>\n    {{> multi}}\n</div>\n",
        "{{#list}}{{> card}}{{/list}}",
        "x {{> card}} y",
        "{{#list}}\n{{name}}\n{{/list}}",
        "{{{html}}} {{html}}",
        "{{#page}}\n  {{#meta}}\n    {{deep}}\n  {{/meta}}\n{{/page}}\n",
        "line\r\n{{#yes}}\r\ncrlf\r\n{{/yes}}\r\n",
        "{{#list}}{{#yes}}{{name}}{{/yes}}{{/list}}",
        "trailing {{title}}",
    ]

    @Test(arguments: cases) func sameBytesAsSwiftMustache(_ template: String) throws {
        var library = MustacheLibrary()
        for (name, text) in Self.partials { try library.register(text, named: name) }
        try library.register(template, named: "page")
        let expected = library.render(Self.context, withTemplate: "page") ?? "<nil>"

        var compiled: [String: CompiledTemplate] = [:]
        for (name, text) in Self.partials { compiled[name] = try CompiledTemplate(text) }
        var out: [UInt8] = []
        try CompiledTemplate(template).render(Self.context, partials: compiled, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == expected, "\(template.debugDescription)")
    }

    /// The one deliberate difference: swift-mustache prints an empty Optional as "nil" and counts
    /// it as present; here it is absent, as a missing value is.
    @Test func anEmptyOptionalIsAbsent() throws {
        var out: [UInt8] = []
        try CompiledTemplate("[{{missing}}]{{#missing}}never{{/missing}}{{^missing}}absent{{/missing}}")
            .render(Self.context, partials: [:], into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "[]absent")
    }

    @Test func unsupportedMustacheIsRefusedNotMisrendered() {
        #expect(throws: CompiledTemplate.Unsupported.self) { try CompiledTemplate("{{=<% %>=}}<% title %>") }
        #expect(throws: CompiledTemplate.Unsupported.self) { try CompiledTemplate("{{#a}}unclosed") }
        #expect(throws: CompiledTemplate.Unsupported.self) { try CompiledTemplate("{{/a}}") }
    }

    /// Every page and data file of the real site, rendered by both engines.
    @Test func everyPageOfTheRealSiteIsByteIdentical() throws {
        let dir = TempDir()
        let builder = SiteBuilder(options: .init(content: Repo.content, templates: Repo.templates,
                                                 output: dir.url.appendingPathComponent("public")))
        var timings: [(String, Double)] = []
        let r = try builder.run(timings: &timings)
        let templates = try TemplateSet(directory: Repo.templates)
        #expect(templates.compiled != nil, "the real templates must all compile for the fast renderer")
        let fast = SiteRenderer(config: r.content.config, graph: r.graph, articles: r.parsed, templates: templates).render()
        let reference = SiteRenderer(config: r.content.config, graph: r.graph, articles: r.parsed,
                                     templates: templates.referenceOnly()).render()
        #expect(fast.count == reference.count)
        #expect(fast.count > 200)
        for (a, b) in zip(fast, reference) {
            #expect(a.path == b.path)
            if a.bytes != b.bytes {
                let x = String(decoding: a.bytes, as: UTF8.self), y = String(decoding: b.bytes, as: UTF8.self)
                let common = zip(x, y).prefix { $0 == $1 }.count
                Issue.record("\(a.path) differs at character \(common): fast \(x.dropFirst(max(0, common - 40)).prefix(120).debugDescription) vs reference \(y.dropFirst(max(0, common - 40)).prefix(120).debugDescription)")
            }
        }
    }
}
