import Foundation
import Spawn
import Testing

private func shell(_ script: String, environment: [String: String]? = nil, input: [UInt8] = []) async throws -> Collected {
    try await ChildProcess.collected(executable: "/bin/sh", arguments: ["-c", script], environment: environment, input: input)
}

@Suite("Spawn: child processes without Foundation's Process")
struct SpawnTests {
    @Test("no descriptor but the three standard streams reaches the child, even with 1,500 open in the parent")
    func onlyStandardStreamsInherited() async throws {
        // `dup` leaves close-on-exec unset: without the spawn closing them, the child would see these.
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        let count = min(1_500, Int(limit.rlim_cur) - 256)
        let leaked = (0..<count).map { _ in dup(2) }
        defer { for fd in leaked { close(fd) } }
        #expect(leaked.allSatisfy { $0 >= 0 })
        let highest = leaked.max()!
        let ran = try await shell("for fd in 1 \(leaked[0]) \(highest); do if [ -e /proc/$$/fd/$fd ]; then echo open $fd; else echo closed $fd; fi; done")
        #expect(ran.termination == .exited(0))
        #expect(String(decoding: ran.standardOutput, as: UTF8.self) == "open 1\nclosed \(leaked[0])\nclosed \(highest)\n")
    }

    @Test("input, output and error flow at once, so no pipe fills up and stalls either side")
    func largeStreamsBothWays() async throws {
        let input = [UInt8](repeating: 0x61, count: 300_000)
        let ran = try await shell("head -c 204800 /dev/zero; head -c 204801 /dev/zero >&2; wc -c", input: input)
        #expect(ran.termination == .exited(0))
        #expect(ran.standardOutput.count == 204_800 + "300000\n".utf8.count)
        #expect(String(decoding: ran.standardOutput.suffix(7), as: UTF8.self) == "300000\n")
        #expect(ran.standardError.count == 204_801)
    }

    @Test("a child that never reads its input ends normally, and this process gets no SIGPIPE")
    func childIgnoringInput() async throws {
        let ran = try await shell("exit 3", input: [UInt8](repeating: 0, count: 1 << 20))
        #expect(ran.termination == .exited(3))
        #expect(ran.status == 3)
    }

    @Test("the environment given is the whole environment, Vietnamese text intact")
    func environment() async throws {
        let ran = try await shell("printf '%s|%s' \"$PULSE_PLACE\" \"${HOME-unset}\"", environment: ["PULSE_PLACE": "Hà Tĩnh"])
        #expect(String(decoding: ran.standardOutput, as: UTF8.self) == "Hà Tĩnh|unset")
    }

    @Test("a signal ends the child even when the spawning thread blocks it; once reaped, no more signals are sent")
    func signals() async throws {
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        let child = try ChildProcess(executable: "/bin/sleep", arguments: ["30"], standardInput: .null)
        pthread_sigmask(SIG_SETMASK, &previous, nil)

        #expect(child.isRunning)
        #expect(child.termination == nil)
        #expect(child.signal(SIGTERM))
        #expect(await child.terminated() == .killed(signal: SIGTERM))
        #expect(!child.isRunning)
        #expect(!child.signal(SIGTERM))
        #expect(child.wait() == .killed(signal: SIGTERM))  // reaped already: returns at once
    }

    @Test("two threads waiting for one child both learn how it ended")
    func concurrentWaiters() async throws {
        let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "sleep 0.2; exit 7"], standardInput: .null)
        let results = await withTaskGroup(of: Termination.self) { group in
            for _ in 0..<2 {
                group.addTask { await child.terminated() }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == [.exited(7), .exited(7)])
    }

    @Test("standard error appends to a file, which two runs share")
    func appendingToFile() async throws {
        let file = FileManager.default.temporaryDirectory.path + "/pulse-spawn-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: file) }
        for word in ["một", "hai"] {
            let child = try ChildProcess(
                executable: "/bin/sh", arguments: ["-c", "echo \(word) >&2"], standardInput: .null, standardOutput: .null,
                standardError: .appending(toFile: file))
            #expect(await child.terminated() == .exited(0))
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "một\nhai\n")
    }

    @Test("a missing executable is an error that names it")
    func missingExecutable() {
        do {
            _ = try ChildProcess(executable: "/nonexistent/pulse-daemon", arguments: [])
            Issue.record("spawning a missing executable succeeded")
        } catch {
            #expect(error.errno == ENOENT)
            #expect(error.description.contains("/nonexistent/pulse-daemon"))
        }
    }

    @Test("a child past its timeout is killed, and what it wrote is kept, even when its own child holds the pipe")
    func timeout() async throws {
        let start = ContinuousClock.now
        let ran = try await ChildProcess.collected(executable: "/bin/sh", arguments: ["-c", "echo started; sleep 30"], timeout: .milliseconds(300))
        let took = ContinuousClock.now - start
        #expect(ran.termination == .killed(signal: SIGKILL))
        #expect(String(decoding: ran.standardOutput, as: UTF8.self) == "started\n")
        // Far below the child's 30 s (a loaded machine may take a few seconds to resume the test).
        #expect(took < .seconds(15), "\(took)")
        let quick = try await ChildProcess.collected(executable: "/bin/sh", arguments: ["-c", "echo fine"], timeout: .seconds(10))
        #expect(quick.termination == .exited(0))
    }
}
