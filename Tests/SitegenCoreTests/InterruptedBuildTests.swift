import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import SitegenCore

/// The real `sitegen` binary, built beside this test bundle (or $SITEGEN_BINARY, e.g. a release build).
enum CLI {
    static let binary: URL? = {
        if let path = ProcessInfo.processInfo.environment["SITEGEN_BINARY"] { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        for dir in candidates {
            let url = dir.appendingPathComponent("sitegen")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }()

    struct Run { var status: Int32; var signaled: Bool; var stdout: String; var stderr: String }

    /// Starts sitegen. `defaultSignals`: through a small python3 exec wrapper that gives SIGINT its
    /// default action back and unblocks it, as a terminal's Ctrl-C finds it (a test runner may
    /// ignore or block SIGINT, and both are inherited across fork and exec). The pid stays sitegen's.
    static func start(_ args: [String], in dir: URL, stdout: URL? = nil, stderr: URL? = nil, defaultSignals: Bool = false) throws -> Process {
        let p = Process()
        let sitegen = try #require(binary, "the sitegen binary is not beside the test bundle; build all products first")
        if defaultSignals {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
                           sitegen.path] + args
        } else {
            p.executableURL = sitegen
            p.arguments = args
        }
        p.currentDirectoryURL = dir
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = try stdout.map { _ = FileManager.default.createFile(atPath: $0.path, contents: nil); return try FileHandle(forWritingTo: $0) } ?? FileHandle.nullDevice
        p.standardError = try stderr.map { _ = FileManager.default.createFile(atPath: $0.path, contents: nil); return try FileHandle(forWritingTo: $0) } ?? FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Waits (at most a minute) until the wrapper of `start(defaultSignals: true)` has become sitegen.
    @discardableResult
    static func waitUntilExec(_ p: Process) throws -> Bool {
        guard let binary, FileManager.default.fileExists(atPath: "/proc/self/exe") else { usleep(1_000_000); return false }
        let deadline = Date().addingTimeInterval(60)
        while p.isRunning && Date() < deadline {
            if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(p.processIdentifier)/exe"),
               URL(fileURLWithPath: exe).resolvingSymlinksInPath().path == binary.resolvingSymlinksInPath().path { return true }
            usleep(2000)
        }
        return false
    }

    static func run(_ args: [String], in dir: URL) throws -> Run {
        let out = dir.appendingPathComponent(".cli-out-\(UUID().uuidString)")
        let err = dir.appendingPathComponent(".cli-err-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        let p = try start(args, in: dir, stdout: out, stderr: err)
        p.waitUntilExit()
        return Run(status: p.terminationStatus, signaled: p.terminationReason == .uncaughtSignal,
                   stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "", stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}

/// Ctrl-C or kill -9 in the middle of a build: the output is the previous site byte for byte (or,
/// when the kill came after the swap, the complete new one — never a mix), and the next build
/// removes the staging folder the killed one left. Runs the real binary on a generated corpus.
@Suite(.serialized) struct InterruptedBuildTests {
    /// Articles in the generated corpus; SITEGEN_INTERRUPT_ARTICLES=2000 for a long write stage
    /// (the default, about 760 files, keeps a debug build of the suite quick).
    static let articles = ProcessInfo.processInfo.environment["SITEGEN_INTERRUPT_ARTICLES"].flatMap(Int.init) ?? 30

    /// Staging folders beside the output (the spare copy a build keeps on purpose is not one).
    func leftovers(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasPrefix(".public.") && $0 != ".public.spare" }.sorted()
    }

    /// Sends `signal` to a build once it has started writing (its staging folder exists) and
    /// `delay` more seconds have passed. Returns whether the process died of the signal while
    /// its staging folder was there.
    func interrupt(_ args: [String], in dir: URL, signal: Int32, delay: Double) throws -> Bool {
        let p = try CLI.start(args, in: dir, defaultSignals: true)
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) }; p.waitUntilExit() }
        let deadline = Date().addingTimeInterval(600)
        var staged = false
        while p.isRunning && Date() < deadline {
            if !leftovers(dir).isEmpty { staged = true; break }
            usleep(1000)
        }
        guard staged else { return false }
        if delay > 0 { usleep(UInt32(delay * 1_000_000)) }
        guard p.isRunning else { return false }
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        return p.terminationReason == .uncaughtSignal
    }

    @Test func killedBuildsLeaveTheOutputWholeAndTheNextBuildCleansUp() throws {
        guard CLI.binary != nil else {
            Issue.record("the sitegen binary is not beside the test bundle; build all products first")
            return
        }
        let dir = TempDir()
        let gen = Process()
        gen.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gen.arguments = ["python3", Repo.root.appendingPathComponent("scripts/gen-corpus").path, dir.url.appendingPathComponent("content").path,
                         "--articles", String(Self.articles), "--entities", String(max(150, Self.articles / 4))]
        gen.standardOutput = FileHandle.nullDevice
        try gen.run()
        gen.waitUntilExit()
        try #require(gen.terminationStatus == 0, "scripts/gen-corpus failed")

        let output = dir.url.appendingPathComponent("public")
        func build(_ base: String) -> [String] {
            ["build", "--templates", Repo.templates.path, "--base-url", base, "--quiet"]
        }
        let first = try CLI.run(build("https://a.example/"), in: dir.url)
        try #require(first.status == 0, "\(first.stderr)")
        var previous = snapshot(output)
        #expect(previous.count > 100)

        // Killed before writing (still reading and rendering): the output is untouched.
        let p = try CLI.start(build("https://early.example/"), in: dir.url, defaultSignals: true)
        let execSeen = try CLI.waitUntilExec(p)
        usleep(100_000)
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal, "status \(p.terminationStatus), exec seen: \(execSeen)")
        let untouched = snapshot(output) == previous
        #expect(untouched, "a build interrupted before writing changed the output")

        // Each trial changes the base URL, so every page differs and the write has work to do.
        let trials: [(Int32, Double)] = [(SIGINT, 0), (SIGKILL, 0.02), (SIGINT, 0.1), (SIGKILL, 0.4)]
        var killedWhileStaging = 0, keptPrevious = 0, interruptedByCtrlC = 0
        for (n, (signal, delay)) in trials.enumerated() {
            let base = "https://t\(n).example/"
            let killed = try interrupt(build(base), in: dir.url, signal: signal, delay: delay)
            if killed { killedWhileStaging += 1; if signal == SIGINT { interruptedByCtrlC += 1 } }
            let after = snapshot(output)
            if killed && after == previous { keptPrevious += 1 }
            let next = try CLI.run(build(base), in: dir.url)
            #expect(next.status == 0, "\(next.stderr)")
            if after != previous {
                // Not the previous site: then it must be the whole new one, which the next build of the
                // same input finds nothing to change in.
                let whole = snapshot(output) == after
                #expect(whole, "trial \(n): the interrupted build left a mix of old and new files")
            }
            #expect(leftovers(dir.url).isEmpty, "trial \(n): \(leftovers(dir.url))")
            previous = snapshot(output)
        }
        #expect(killedWhileStaging >= 2 && keptPrevious >= 1 && interruptedByCtrlC >= 1,
                "too few kills landed during the write stage (\(killedWhileStaging), \(interruptedByCtrlC) by SIGINT, \(keptPrevious) before the swap); raise SITEGEN_INTERRUPT_ARTICLES")

    }

    @Test func keepGoingExitsZeroAndSaysWhatItSkipped() throws {
        guard CLI.binary != nil else {
            Issue.record("the sitegen binary is not beside the test bundle; build all products first")
            return
        }
        let site = MiniSite()
        site.dir.write("content/articles/bad.md", "---\ntitle: 坏\ndate: 2024-02-30\n---\n正文\n")
        site.dir.write("content/articles/empty.md", "")
        site.dir.write("content/entities.yml", MiniSite.entities + "- id: mars\n  name: 火星\n  kind: planet\n")
        let args = ["build", "--templates", Repo.templates.path, "--no-cache"]

        let strict = try CLI.run(args, in: site.dir.url)
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("articles/bad.md:3:7: error:"))
        #expect(strict.stderr.contains("Build failed with 3 errors"))

        let lenient = try CLI.run(args + ["--keep-going"], in: site.dir.url)
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(lenient.stderr.contains("articles/bad.md:3:7: warning: '2024-02-30' is not a real date"))
        #expect(lenient.stderr.contains("entities.yml:11:9: warning: entity 'mars' has unknown kind 'planet'"))
        #expect(lenient.stderr.contains("--keep-going: skipped 2 files and 1 definition"))
        #expect(lenient.stderr.contains("  skipped articles/empty.md"))
        #expect(lenient.stdout.contains("Built "))
        #expect(site.dir.read("public/articles/a/index.html") != nil)
    }
}
