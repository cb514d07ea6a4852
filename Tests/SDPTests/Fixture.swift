import Foundation

/// Reads the browser SDPs under `Fixtures/` next to this file.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let names = ["chrome-offer-full", "chrome-offer-mdns", "firefox-offer", "firefox-answer"]

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name + ".sdp"), encoding: .utf8)
    }
}
