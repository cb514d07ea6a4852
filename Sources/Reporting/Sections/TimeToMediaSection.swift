import Results

/// Section 4: time to media — what a user waits for once ICE has connected: the DTLS
/// handshake (`dtls_ms`) and the first media frame (`first_media_ms`). One chart puts
/// the three CDFs side by side (ICE connected, DTLS connected, first media frame), a
/// second gives time to media by path; a table per path gives the handshake's cost over
/// ICE, its retransmissions and how many failed, and another the failure reasons.
/// Shown when sessions ran with DTLS.
enum TimeToMediaSection {
    static func build(_ data: SweepData) -> RenderedSection? {
        let secured = data.sessions.filter { $0.dtlsState != nil }
        guard !secured.isEmpty else { return nil }
        var content: [HTMLNode] = [ReportBlocks.paragraph(
            "After ICE, each session runs a DTLS handshake over the selected pair (the answerer as client, RFC 8842), then "
                + "media flows as SRTP (RFC 5764). dtls_ms is when both DTLS endpoints were connected, first_media_ms when the "
                + "first media frame arrived whole at a receiver; both from the session's start, like connected_ms.")]
        let ice = secured.compactMap { $0.connected ? $0.connectedMilliseconds : nil }.sorted()
        let dtls = secured.compactMap(\.dtlsMilliseconds).sorted()
        let media = secured.compactMap(\.firstMediaMilliseconds).sorted()
        let curves = [("ICE connected", ice), ("DTLS connected", dtls), ("first media frame", media)].filter { !$0.1.isEmpty }
        let all = curves.flatMap(\.1)
        if !all.isEmpty {
            var chart = LineChart(title: "ICE, DTLS and media", xTitle: "time from session start (ms)", yTitle: "share of sessions",
                                  series: curves.map { LineChart.Series(label: $0.0, points: cdf($0.1, of: secured.count)) })
            chart.stepped = true
            chart.yRange = 0...1
            chart.logarithmicX = (all.last ?? 1) / max(all.first ?? 1, 1) > 20
            content.append(ReportBlocks.figure(chart.render(), caption: "Time to ICE connected, DTLS connected and the first media "
                + "frame (empirical CDFs over all \(secured.count) sessions with DTLS; a curve ends below 1 by the share that never got there)"))
        }
        let byPath = data.sessionGroupsByPath { $0.dtlsState != nil }
        let withMedia = byPath.filter { group in group.sessions.contains { $0.firstMediaMilliseconds != nil } }
        if withMedia.count > 1 && withMedia.count <= ConnectTimeSection.maximumCurves {
            var chart = LineChart(title: "Time to media by path", xTitle: "first media frame (ms)", yTitle: "share of sessions",
                                  series: withMedia.map { group in
                                      LineChart.Series(label: group.key, points: cdf(group.sessions.compactMap(\.firstMediaMilliseconds).sorted(),
                                                                                     of: group.sessions.count))
                                  })
            chart.stepped = true
            chart.yRange = 0...1
            content.append(ReportBlocks.figure(chart.render(), caption: "Time to the first media frame by path (empirical CDFs)"))
        }
        var rows: [[ReportBlocks.Cell]] = []
        for (path, sessions) in byPath {
            let handshakes = sessions.compactMap { s in s.dtlsMilliseconds.flatMap { d in s.connectedMilliseconds.map { d - $0 } } }.sorted()
            let times = sessions.compactMap(\.firstMediaMilliseconds).sorted()
            rows.append([ReportBlocks.Cell(path), ReportBlocks.Cell("\(sessions.count)"),
                         ReportBlocks.Cell("\(sessions.count { $0.dtlsState == "connected" })"),
                         ReportBlocks.Cell("\(sessions.count { $0.dtlsState == "failed" })"),
                         ReportBlocks.Cell(ReportFormat.milliseconds(Percentiles.quantile(handshakes, 0.5))),
                         ReportBlocks.Cell(ReportFormat.milliseconds(Percentiles.quantile(handshakes, 0.95))),
                         ReportBlocks.Cell(ReportFormat.milliseconds(Percentiles.quantile(times, 0.5))),
                         ReportBlocks.Cell(ReportFormat.milliseconds(Percentiles.quantile(times, 0.95)))])
        }
        content.append(ReportBlocks.table(["path", "sessions", "DTLS connected", "DTLS failed", "median handshake", "p95 handshake",
                                           "median first media", "p95 first media"], rows, numeric: [1, 2, 3, 4, 5, 6, 7]))
        let failures = Dictionary(grouping: secured.compactMap(\.dtlsFailure)) { $0 }.map { ($0.key, $0.value.count) }
            .sorted { ($0.1, $1.0) > ($1.1, $0.0) }
        if !failures.isEmpty {
            content.append(ReportBlocks.paragraph("DTLS failures by reason (timeout: a flight went unanswered through every "
                + "retransmission; mtu: the path dropped the handshake's larger datagrams; fingerprint-mismatch: a certificate was "
                + "not the one its description named)."))
            content.append(ReportBlocks.table(["reason", "sessions"], failures.map { [ReportBlocks.Cell($0.0), ReportBlocks.Cell("\($0.1)")] },
                                              numeric: [1]))
        }
        return RenderedSection(id: "time-to-media", title: "Time to media",
                               content: ReportBlocks.section(id: "time-to-media", title: "Time to media", content))
    }

    /// The CDF of `values` (ascending) as a share of `count` sessions: sessions that never
    /// got there keep the curve below 1.
    static func cdf(_ values: [Double], of count: Int) -> [(x: Double, y: Double)] {
        Percentiles.cdf(values).map { ($0.x, $0.y * Double(values.count) / Double(max(count, 1))) }
    }
}
