import Foundation

/// Stage 6, write: puts the rendered files in place without ever leaving a half-written site.
/// The new site is assembled in a fresh folder beside the output (unchanged files hard-linked,
/// changed ones written) and swapped in atomically (`OutputUpdate.swift`); a failure or a kill
/// at any point leaves the previous site as it was.
public struct OutputWriter: Sendable {
    /// Marks a folder as sitegen's own output; only such folders are ever replaced.
    public static let markerName = ".sitegen-output"

    public var output: URL
    public var protectedFolders: [URL]

    public init(output: URL, protectedFolders: [URL]) {
        self.output = output.standardizedFileURL
        self.protectedFolders = protectedFolders.map(\.standardizedFileURL)
    }

    /// Refuses output folders whose replacement would destroy something that is not ours.
    public func checkSafe() throws(Diagnostic) {
        let fm = FileManager.default
        let out = output.resolvingSymlinksInPath().path
        let home = fm.homeDirectoryForCurrentUser.resolvingSymlinksInPath().path
        if out == "/" || out == home {
            throw Diagnostic(file: output.path, message: "refusing to use \(out) as the output folder",
                             hint: "pass --output with a folder of its own, e.g. --output public")
        }
        for p in protectedFolders {
            let pp = p.resolvingSymlinksInPath().path
            if pp == out || pp.hasPrefix(out + "/") || out.hasPrefix(pp + "/") {
                throw Diagnostic(file: output.path, message: "the output folder overlaps \(p.path), which holds your sources",
                                 hint: "choose an output folder outside content/ and Templates/ (the default is public)")
            }
        }
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: output.path, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw Diagnostic(file: output.path, message: "the output path exists and is a file", hint: "remove it or choose another --output")
            }
            let items = (try? fm.contentsOfDirectory(atPath: output.path)) ?? []
            if !items.isEmpty && !fm.fileExists(atPath: output.appendingPathComponent(Self.markerName).path) {
                throw Diagnostic(file: output.path, message: "the output folder is not empty and was not made by sitegen",
                                 hint: "sitegen replaces its output folder whole; empty it yourself or choose another --output")
            }
        }
    }

    /// Writes `files` (plus copies of `assetsFrom`) as the new site. Returns the number of files.
    /// Only files whose bytes changed are rewritten (see `update`); a failure leaves the previous
    /// site as it was.
    @discardableResult
    public func write(_ files: [OutputFile], assetsFrom: URL?) throws(Diagnostic) -> Int {
        try update(files, assetsFrom: assetsFrom, manifest: nil).pages
    }
}
