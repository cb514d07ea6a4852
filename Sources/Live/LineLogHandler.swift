import Foundation
import Logging
import Signaling

/// A swift-log handler that writes one line per event: logfmt (`--log-format text`) or a
/// JSON object (`--log-format json`), with time, level, logger label, message and metadata.
///
/// Secrets never reach a line: metadata whose key names one (`secretKeys`: passwords,
/// REST secrets, MESSAGE-INTEGRITY keys) is written as `<redacted>`, and the servers log
/// usernames only, never passwords or keys.
public struct LineLogHandler: LogHandler {
    /// How lines are written.
    public enum Format: String, Sendable, CaseIterable {
        /// `time=… level=info logger=turn-server msg="allocation created" user=alice`.
        case text
        /// `{"time":"…","level":"info","logger":"turn-server","msg":"allocation created","user":"alice"}`.
        case json
    }

    /// Metadata keys whose values are replaced by `<redacted>` (case-insensitive substrings).
    public static let secretKeys = ["password", "secret", "key", "integrity", "credential"]

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: Format
    private let write: @Sendable (String) -> Void
    private let clock: @Sendable () -> Date

    /// A handler for the logger `label` writing lines at `level` and above to `write`
    /// (default: standard error), stamped with `clock`.
    public init(label: String, level: Logger.Level, format: Format,
                write: @escaping @Sendable (String) -> Void = LineLogHandler.standardError,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.write = write
        self.clock = clock
    }

    /// Writes a line (with its newline) to standard error.
    public static let standardError: @Sendable (String) -> Void = { line in
        try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        var fields: [(String, String)] = [
            ("time", Self.timestamp(clock())),
            ("level", event.level.rawValue), ("logger", label), ("msg", event.message.description),
        ]
        for key in all.keys.sorted() {
            fields.append((key, Self.isSecret(key) ? "<redacted>" : Self.flatten(all[key]!)))
        }
        write(format == .json ? Self.json(fields) : Self.logfmt(fields))
    }

    /// RFC 3339 UTC time with milliseconds, `2026-12-06T12:20:01.311Z`: formatted by hand
    /// from `gmtime_r`, several times cheaper than a date format style on a busy event loop.
    static func timestamp(_ date: Date) -> String {
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(total >= 0 ? total / 1000 : (total - 999) / 1000)
        let millis = Int(total - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func padded(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(parts.tm_year + 1900, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))T"
            + "\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2)).\(padded(Int32(millis), 3))Z"
    }

    static func isSecret(_ key: String) -> Bool {
        let lower = key.lowercased()
        return secretKeys.contains { lower.contains($0) }
    }

    static func flatten(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let c): return c.description
        case .array(let values): return values.map(flatten).joined(separator: ",")
        case .dictionary(let dictionary):
            return dictionary.keys.sorted().map { "\($0)=\(isSecret($0) ? "<redacted>" : flatten(dictionary[$0]!))" }.joined(separator: ",")
        }
    }

    /// logfmt: `key=value`, values quoted when they hold spaces, quotes, `=` or nothing.
    static func logfmt(_ fields: [(String, String)]) -> String {
        fields.map { key, value in
            let plain = !value.isEmpty && !value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.isNewline }
            return plain ? "\(key)=\(value)" : "\(key)=\(quoted(value))"
        }.joined(separator: " ")
    }

    static func json(_ fields: [(String, String)]) -> String {
        JSONLine.encode(fields.map { JSONLine.Field($0.0, .string($0.1)) })
    }

    /// A string in double quotes with `"`, `\` and control characters escaped, as JSON
    /// writes strings.
    private static func quoted(_ value: String) -> String {
        var out = ""
        JSONLine.writeString(value, to: &out)
        return out
    }
}
