import Glibc

/// The size in bytes of the file at `path` (following links), or nil if it cannot be read.
public func fileSize(atPath path: String) -> Int? {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : nil
}
