import Foundation
import Spawn

/// Every thread's stack of a process that is stuck, from gdb when the machine has it: printed
/// where a test that hangs would otherwise say nothing before its run is killed.
public enum ThreadStacks {
    public static func of(_ pid: pid_t) -> String {
        guard let gdb = ["/usr/bin/gdb", "/usr/local/bin/gdb"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return "(no gdb on this machine: no stacks)"
        }
        let ran = try? ChildProcess.collect(
            executable: gdb, arguments: ["-p", String(pid), "-batch", "-nx", "-ex", "thread apply all bt 30"], timeout: .seconds(60))
        let text = ran.map { String(decoding: $0.standardOutput, as: UTF8.self) } ?? "(gdb did not start)"
        // Only the frames; gdb's chatter about symbols and threads it attached to is not.
        return text.split(separator: "\n").filter { $0.hasPrefix("#") || $0.hasPrefix("Thread ") }.joined(separator: "\n")
    }

    /// Prints `what` happened to `pid` and its stacks.
    public static func report(_ what: String, pid: pid_t) {
        print("=== \(what) (pid \(pid)); its threads:\n\(of(pid))\n=== end of pid \(pid)")
    }
}
