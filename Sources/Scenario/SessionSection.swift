import NetTypes
import SDP

/// One media section of a session's descriptions: a `media:` entry (by index) or the
/// application section that carries its data channels. Its mid is fixed by the spec —
/// the entry's index, the application section after every entry — so a section added
/// by renegotiation keeps the mid it would have had up front.
enum SessionSection: Hashable {
    case media(Int)
    case application

    func mid(in spec: SessionSpec) -> String {
        switch self {
        case .media(let index): String(index)
        case .application: String(spec.media.count)
        }
    }

    /// The section a mid names in `spec`, if any.
    init?(mid: String, in spec: SessionSpec) {
        guard let index = Int(mid), index >= 0, index <= spec.media.count else { return nil }
        self = index < spec.media.count ? .media(index) : .application
    }

    /// The sections of the first offer: every `media:` entry and the application section
    /// of the data channels, except those added later by renegotiation; a session with
    /// neither offers the application section alone (a page that only calls
    /// `createDataChannel`), since a description needs a section for its ICE transport.
    static func initial(for spec: SessionSpec) -> [SessionSection] {
        var sections = spec.media.indices.filter { !spec.media[$0].renegotiate }.map(SessionSection.media)
        if spec.data.contains(where: { !$0.renegotiate }) || (spec.media.isEmpty && spec.data.isEmpty) { sections.append(.application) }
        return sections
    }

    /// When each later section is added and by which side (`true`: the offerer): a media
    /// entry at its `start` by its sender (the offerer for `both`); the application
    /// section when the first of the data channels starts, by that channel's sender.
    static func added(for spec: SessionSpec) -> [(section: SessionSection, at: Duration, byOfferer: Bool)] {
        var added = spec.media.indices.filter { spec.media[$0].renegotiate }.map { index in
            (section: SessionSection.media(index), at: spec.media[index].start, byOfferer: spec.media[index].flowDirections[0])
        }
        if let first = spec.data.filter(\.renegotiate).min(by: { $0.start < $1.start }) {
            added.append((.application, first.start, first.direction == .offererToAnswerer))
        }
        return added
    }
}
