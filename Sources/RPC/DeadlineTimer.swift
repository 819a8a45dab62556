import Base
import Glibc

/// Runs actions at deadlines, on one shared thread.
///
/// Every call with a deadline schedules one, on both sides of the socket, and nearly always
/// cancels it because the answer came first. So scheduling wakes the thread only when the new
/// deadline is the earliest one it sleeps towards, and cancelling never wakes it: a steady
/// stream of calls with deadlines costs no syscall and no thread wake-up per call (Dispatch's
/// `asyncAfter` wakes its manager thread for every timer it is given).
final class DeadlineTimer: @unchecked Sendable {  // all state behind `lock`
    static let shared = DeadlineTimer()

    private struct Entry {
        var due: UInt64  // CLOCK_MONOTONIC nanoseconds
        var id: UInt64
    }

    /// A min-heap on `due`. Cancelled entries stay until they reach the top or a compaction.
    private var heap: [Entry] = []
    private var actions: [UInt64: @Sendable () -> Void] = [:]
    private var nextID: UInt64 = 1
    private var started = false
    private let lock = ConditionLock()

    private init() {}

    /// Runs `action` on the timer's thread once `delay` has passed, unless cancelled first.
    /// Returns the id to cancel it with.
    func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> UInt64 {
        let due = ConditionLock.now() &+ delay.inNanoseconds
        lock.lock()
        if !started {
            started = true
            // One thread for the whole process, started with its first deadline.
            precondition(OSThread.start(name: "rpc-deadlines", stackSize: 256 << 10, { [self] in run() }), "cannot start the deadline thread")
        }
        let id = nextID
        nextID += 1
        actions[id] = action
        let earliest = heap.first.map { due < $0.due } ?? true
        push(Entry(due: due, id: id))
        // Cancelled entries are dropped in bulk once they outnumber the live ones.
        if heap.count > 64 && heap.count > 2 * actions.count { compact() }
        lock.unlock()
        if earliest { lock.signal() }
        return id
    }

    /// Forgets a scheduled action; harmless if it already ran or was cancelled.
    func cancel(_ id: UInt64) {
        lock.lock()
        actions.removeValue(forKey: id)
        lock.unlock()
    }

    private func run() {
        lock.lock()
        while true {
            while let top = heap.first, actions[top.id] == nil { pop() }
            guard let top = heap.first else {
                lock.wait()
                continue
            }
            if top.due <= ConditionLock.now() {
                pop()
                if let action = actions.removeValue(forKey: top.id) {
                    lock.unlock()
                    action()
                    lock.lock()
                }
                continue
            }
            lock.wait(until: top.due)
        }
    }

    private func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].due < heap[parent].due else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func pop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].due < heap[smallest].due { smallest = left }
            if right < heap.count && heap[right].due < heap[smallest].due { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }

    private func compact() {
        heap.removeAll { actions[$0.id] == nil }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    }
}
