import Foundation
import Logging
import Testing
@testable import Live

/// The servers' event lines: logfmt or JSON, one per event, levels honoured, secrets redacted.
@Suite struct LineLogHandlerTests {
    /// Collects written lines.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    static func logger(_ format: LineLogHandler.Format, level: Logger.Level = .info, into lines: Lines) -> Logger {
        Logger(label: "turn-server") { label in
            LineLogHandler(label: label, level: level, format: format, write: { lines.append($0) },
                           clock: { Date(timeIntervalSince1970: 1_700_000_000.25) })
        }
    }

    @Test func textLinesAreLogfmtWithSecretsRedacted() {
        let lines = Lines()
        let logger = Self.logger(.text, into: lines)
        logger.debug("not written at info")
        logger.info("allocation created", metadata: ["user": "1700000000:alice", "password": "hunter2", "auth-secret": "s3cret",
                                                     "client": "127.0.0.1:5000", "note": "a \"quoted\" word"])
        #expect(lines.all == [
            #"time=2023-11-14T22:13:20.250Z level=info logger=turn-server msg="allocation created" auth-secret=<redacted> "#
                + #"client=127.0.0.1:5000 note="a \"quoted\" word" password=<redacted> user=1700000000:alice"#,
        ])
    }

    @Test func jsonLinesParseAndRedact() throws {
        let lines = Lines()
        let logger = Self.logger(.json, level: .trace, into: lines)
        logger.trace("integrity", metadata: ["message-integrity-key": "00ff", "nested": ["password": "pw", "user": "bob"]])
        let line = try #require(lines.all.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["level"] == "trace" && object["msg"] == "integrity" && object["logger"] == "turn-server")
        #expect(object["message-integrity-key"] == "<redacted>")
        #expect(object["nested"] == "password=<redacted>,user=bob")
        #expect(!line.contains("00ff") && !line.contains("\"pw\""))
    }

    @Test func timestampsAreRFC3339UTCWithMilliseconds() {
        #expect(LineLogHandler.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(LineLogHandler.timestamp(Date(timeIntervalSince1970: 1_796_559_247.987)) == "2026-12-06T12:14:07.987Z")
        #expect(LineLogHandler.timestamp(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
    }

    @Test func secretKeysMatchWhateverTheCase() {
        for key in ["Password", "REST_SECRET", "hmac_key", "credential", "messageIntegrity"] { #expect(LineLogHandler.isSecret(key), "\(key)") }
        for key in ["user", "client", "relayed", "reason"] { #expect(!LineLogHandler.isSecret(key), "\(key)") }
    }
}
