/// A problem found in the user's files, located as precisely as the tool knows: Hugo-style
/// `file:line:col`, the offending line, and what to do about it.
public struct Diagnostic: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Severity: String, Sendable { case error, warning }

    public var severity: Severity
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String
    /// The text of the offending line, when known.
    public var excerpt: String?
    /// What the user should do.
    public var hint: String?

    public init(_ severity: Severity = .error, file: String, line: Int? = nil, column: Int? = nil,
                message: String, excerpt: String? = nil, hint: String? = nil) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.excerpt = excerpt
        self.hint = hint
    }

    public var location: String {
        var s = file
        if let line { s += ":\(line)" }
        if let line, line > 0, let column { s += ":\(column)" }
        return s
    }

    public var description: String {
        var s = "\(location): \(severity.rawValue): \(message)"
        if let excerpt { s += "\n    | \(excerpt)" }
        if let hint { s += "\n    = \(hint)" }
        return s
    }
}

/// A failed build: every error found (a build reports all it can, not just the first).
public struct BuildFailure: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
