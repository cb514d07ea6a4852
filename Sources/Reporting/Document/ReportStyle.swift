/// The report's style sheet, inlined so the file is self-contained: the system font
/// stack (no web fonts), colours as custom properties switched by
/// `prefers-color-scheme`, and print rules (light colours, no navigation, no page
/// breaks inside figures and table rows). Charts keep their natural size (one SVG unit
/// per CSS pixel, so `TextMetrics`' font sizes are the rendered ones): a chart wider than
/// its box scrolls sideways, and a `wide` figure (a chart wider than the text column)
/// spans the window, centred. It contains no `<` or `&` (XML-safe).
enum ReportStyle {
    /// The width of the text column in CSS pixels: the body's `max-width` less its padding.
    static let columnWidth = 1056.0

    static let css = """
    :root { color-scheme: light dark; --fg: #1d1f23; --bg: #ffffff; --muted: #5b6169; --rule: #d5d9de; --panel: #f4f5f7;
      --good: #00704f; --bad: #b3400b; --link: #005a9c; --bad-bg: rgba(213, 94, 0, 0.16); --good-bg: rgba(0, 158, 115, 0.14); }
    @media (prefers-color-scheme: dark) {
      :root { --fg: #e6e8eb; --bg: #15171a; --muted: #a3a9b1; --rule: #3a4048; --panel: #1f2328; --good: #45d1a0;
        --bad: #ff9566; --link: #7cc0ff; --bad-bg: rgba(213, 94, 0, 0.30); --good-bg: rgba(0, 158, 115, 0.25); }
    }
    * { box-sizing: border-box; }
    body { margin: 0 auto; max-width: 1120px; padding: 24px 32px 48px; color: var(--fg); background: var(--bg);
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    h1 { font-size: 1.8em; margin: 0 0 4px; }
    h2 { font-size: 1.35em; margin: 40px 0 12px; padding-top: 8px; border-top: 1px solid var(--rule); }
    h3 { font-size: 1.1em; margin: 28px 0 8px; }
    a { color: var(--link); }
    .subtitle, .note, figcaption { color: var(--muted); }
    nav ol { display: flex; flex-wrap: wrap; gap: 4px 20px; padding: 0; margin: 16px 0; list-style: none; }
    .verdict { font-weight: 600; padding: 8px 12px; border-radius: 6px; display: inline-block; }
    .verdict.pass { background: var(--good-bg); color: var(--good); }
    .verdict.fail { background: var(--bad-bg); color: var(--bad); }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
    dl.facts dt { color: var(--muted); }
    dl.facts dd { margin: 0; }
    figure { margin: 16px 0 24px; }
    figure.wide { width: calc(100vw - 48px); margin-left: calc(50% - 50vw + 24px); }
    figure.wide svg.chart { margin: 0 auto; }
    figure.wide figcaption { max-width: \(Int(columnWidth))px; margin: 0 auto; }
    .chart-scroll { overflow-x: auto; }
    .multiples { display: flex; flex-wrap: wrap; gap: 8px 10px; }
    svg.chart { display: block; max-width: none; height: auto; font-size: \(Int(TextMetrics.labelSize))px; }
    svg .label { fill: currentColor; }
    svg .tick { fill: var(--muted); font-size: \(Int(TextMetrics.tickSize))px; }
    svg .cell { font-size: \(Int(TextMetrics.tickSize))px; }
    svg .cell:not([fill]) { fill: currentColor; }
    svg .strong { font-weight: 600; }
    svg .grid { stroke: var(--rule); stroke-width: 1; }
    svg .axis { stroke: var(--fg); stroke-width: 1; }
    .table-wrap { overflow-x: auto; }
    table { border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
    th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
    th { background: var(--panel); font-weight: 600; white-space: nowrap; }
    th[aria-sort] { text-decoration: underline; }
    .num { text-align: right; white-space: nowrap; }
    td.bad, .bad { color: var(--bad); }
    .good { color: var(--good); }
    td.regressed { background: var(--bad-bg); color: var(--bad); font-weight: 600; }
    td.improved { background: var(--good-bg); color: var(--good); }
    article.timeline { border-left: 3px solid var(--rule); padding-left: 16px; margin: 24px 0; }
    ul.expectations { padding-left: 20px; }
    summary { cursor: pointer; color: var(--muted); }
    footer { margin-top: 48px; color: var(--muted); font-size: 13px; }
    @media print {
      :root { color-scheme: light; --fg: #000000; --bg: #ffffff; --muted: #444444; --rule: #bbbbbb; --panel: #eeeeee; --link: #000000; }
      body { max-width: none; padding: 0; font-size: 10pt; }
      nav { display: none; }
      h2 { break-before: auto; break-after: avoid; }
      figure, tr, article.timeline h3 { break-inside: avoid; }
      a { text-decoration: none; }
      .table-wrap, .chart-scroll { overflow: visible; }
      figure.wide { width: auto; margin-left: 0; }
      svg.chart { max-width: 100%; }
    }
    """
}
