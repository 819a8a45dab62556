/// A request frame: `{id, method, deadline?, meta?, body}` (see proto-docs/wire.md).
public struct RequestEnvelope: Sendable, Equatable {
    public var id: UInt64
    public var method: String
    /// Milliseconds the caller will wait, counted from when it sent the request.
    public var deadlineMilliseconds: UInt64?
    public var metadata: [String: String]
    /// The CBOR encoding of the request message.
    public var body: [UInt8]

    public init(id: UInt64, method: String, deadlineMilliseconds: UInt64? = nil, metadata: [String: String] = [:], body: [UInt8]) {
        self.id = id
        self.method = method
        self.deadlineMilliseconds = deadlineMilliseconds
        self.metadata = metadata
        self.body = body
    }

    /// The whole frame, length prefix included. Keys are written in deterministic order.
    public func frame() -> [UInt8] {
        CBORWriter.frame(capacity: body.count + method.utf8.count + 48) { w in
            var count: UInt64 = 3
            if !metadata.isEmpty { count += 1 }
            if deadlineMilliseconds != nil { count += 1 }
            w.writeHead(major: 5, count)
            w.writeText("id")
            w.writeHead(major: 0, id)
            w.writeText("body")
            w.writeBytes(body)
            if !metadata.isEmpty {
                w.writeText("meta")
                w.write(.map(metadata.map { CBOR.Pair(.text($0.key), .text($0.value)) }))
            }
            w.writeText("method")
            w.writeText(method)
            if let deadlineMilliseconds {
                w.writeText("deadline")
                w.writeHead(major: 0, deadlineMilliseconds)
            }
        }
    }

    /// Reads a request from a frame's body. Anything that is not a well-formed request is a
    /// ``FrameError``: the peer does not speak the protocol.
    public static func decode(_ frame: UnsafeRawBufferPointer) throws(FrameError) -> RequestEnvelope {
        var cursor = CBORCursor(frame)
        var id: UInt64?
        var method: String?
        var body: [UInt8]?
        var deadline: UInt64?
        var metadata: [String: String] = [:]
        for _ in 0..<(try cursor.mapCount()) {
            let key = try cursor.key()
            if equals(key, "id") {
                id = try cursor.unsigned("id")
            } else if equals(key, "method") {
                method = try cursor.text("method")
            } else if equals(key, "body") {
                body = try cursor.bytes("body")
            } else if equals(key, "deadline") {
                deadline = try cursor.unsigned("deadline")
            } else if equals(key, "meta") {
                let (major, count) = try cursor.head()
                guard major == 5, count <= UInt64(frame.count) else { throw FrameError("meta is not a map") }
                for _ in 0..<count { metadata[try cursor.text("meta key")] = try cursor.text("meta value") }
            } else {
                try cursor.skip()
            }
        }
        guard cursor.atEnd else { throw FrameError("bytes follow the request") }
        guard let id else { throw FrameError("request has no unsigned id") }
        guard let method else { throw FrameError("request \(id) has no method") }
        guard let body else { throw FrameError("request \(id) has no body") }
        return RequestEnvelope(id: id, method: method, deadlineMilliseconds: deadline, metadata: metadata, body: body)
    }
}

/// A response frame: `{id, status, message?, body?}`.
public struct ResponseEnvelope: Sendable, Equatable {
    public var id: UInt64
    /// A gRPC status code, 0–16.
    public var status: UInt32
    public var message: String?
    /// The CBOR encoding of the response message; present when status is 0.
    public var body: [UInt8]?

    public init(id: UInt64, status: UInt32, message: String? = nil, body: [UInt8]? = nil) {
        self.id = id
        self.status = status
        self.message = message
        self.body = body
    }

    public func frame() -> [UInt8] {
        CBORWriter.frame(capacity: (body?.count ?? 0) + (message?.utf8.count ?? 0) + 32) { w in
            var count: UInt64 = 2
            if body != nil { count += 1 }
            if message != nil { count += 1 }
            w.writeHead(major: 5, count)
            w.writeText("id")
            w.writeHead(major: 0, id)
            if let body {
                w.writeText("body")
                w.writeBytes(body)
            }
            w.writeText("status")
            w.writeHead(major: 0, UInt64(status))
            if let message {
                w.writeText("message")
                w.writeText(message)
            }
        }
    }

    public static func decode(_ frame: UnsafeRawBufferPointer) throws(FrameError) -> ResponseEnvelope {
        var cursor = CBORCursor(frame)
        var id: UInt64?
        var status: UInt64?
        var message: String?
        var body: [UInt8]?
        for _ in 0..<(try cursor.mapCount()) {
            let key = try cursor.key()
            if equals(key, "id") {
                id = try cursor.unsigned("id")
            } else if equals(key, "status") {
                status = try cursor.unsigned("status")
            } else if equals(key, "body") {
                body = try cursor.bytes("body")
            } else if equals(key, "message") {
                message = try cursor.text("message")
            } else {
                try cursor.skip()
            }
        }
        guard cursor.atEnd else { throw FrameError("bytes follow the response") }
        guard let id else { throw FrameError("response has no unsigned id") }
        guard let status, status <= 16 else { throw FrameError("response \(id) has no status 0–16") }
        return ResponseEnvelope(id: id, status: UInt32(status), message: message, body: body)
    }
}
