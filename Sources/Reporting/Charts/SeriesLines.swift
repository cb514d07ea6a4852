import Results

/// Chart lines from stored samples: one line per series name and session, in the order
/// of `names`, thinned evenly to at most `maximumPoints` points, the time in seconds and
/// the value multiplied by `scale`. With several sessions each label names its session.
enum SeriesLines {
    static func lines(_ samples: [StoredSample], names: [String], scale: Double, maximumPoints: Int) -> [LineChart.Series] {
        let sessions = Set(samples.map { $0.session ?? "" }).sorted()
        var result: [LineChart.Series] = []
        for name in names {
            for session in sessions {
                let points = samples.filter { $0.name == name && ($0.session ?? "") == session }
                    .map { (x: $0.timeMilliseconds / 1000, y: $0.value * scale) }
                guard !points.isEmpty else { continue }
                let stride = max(1, (points.count + maximumPoints - 1) / maximumPoints)
                let thinned = Swift.stride(from: 0, to: points.count, by: stride).map { points[$0] }
                result.append(LineChart.Series(label: sessions.count > 1 ? "\(name) (\(session))" : name, points: thinned))
            }
        }
        return result
    }
}
