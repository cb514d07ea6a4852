import Testing
@testable import Reporting

@Suite struct ChartScaleTests {
    @Test(arguments: [
        (0.0, 100.0, 5, 0.0...100.0, [0.0, 20, 40, 60, 80, 100]),
        (0.0, 1.0, 5, 0.0...1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0.0, 7.0, 5, 0.0...8.0, [0.0, 2, 4, 6, 8]),
        (13.0, 87.0, 4, 0.0...100.0, [0.0, 50, 100]),
        (-3.0, 12.0, 5, -5.0...15.0, [-5.0, 0, 5, 10, 15]),
        (0.0, 2_300_000.0, 5, 0.0...2_500_000.0, [0.0, 500_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000]),
        (5.0, 5.0, 5, 2.0...8.0, [2.0, 4, 6, 8]),
    ])
    func niceDomainsAndTicks(lower: Double, upper: Double, count: Int, domain: ClosedRange<Double>, ticks: [Double]) {
        #expect(NiceTicks.domain(lower, upper, count: count) == domain)
        #expect(NiceTicks.ticks(in: domain, count: count) == ticks)
    }

    @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(NiceTicks.step(span: 100, count: 5) == 20)
        #expect(NiceTicks.step(span: 0.9, count: 3) == 0.5)
        #expect(NiceTicks.step(span: 42_000, count: 6) == 10_000)
        #expect(NiceTicks.step(span: 0, count: 5) == 1)
    }

    @Test func linearScaleMapsDomainOntoPixelsAndMayBeInverted() {
        let x = LinearScale(0, 100, pixels: (start: 50, end: 550))
        #expect(x.position(of: 0) == 50)
        #expect(x.position(of: 50) == 300)
        #expect(x.position(of: 100) == 550)
        let y = LinearScale(0, 1, pixels: (start: 300, end: 20))
        #expect(y.position(of: 0) == 300)
        #expect(y.position(of: 1) == 20)
        #expect(y.ticks().map(y.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func logScaleCoversWholeDecades() {
        let x = LogScale(25, 4000, pixels: (start: 0, end: 300))
        #expect(x.domain == 10...10_000)
        #expect(x.position(of: 10) == 0)
        #expect(abs(x.position(of: 100) - 100) < 1e-9)
        #expect(abs(x.position(of: 10_000) - 300) < 1e-9)
        #expect(x.ticks() == [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000])
        #expect(x.ticks().map(x.label) == ["10", "20", "50", "100", "200", "500", "1k", "2k", "5k", "10k"])
        // More than three decades: powers of ten only; non-positive lower bounds are raised.
        let wide = LogScale(0, 1_000_000, pixels: (start: 0, end: 100))
        #expect(wide.domain == 1000...1_000_000)
        #expect(LogScale(0.5, 2e6, pixels: (start: 0, end: 1)).ticks() == [0.1, 1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000])
    }

    @Test func tickLabelsUseTheStepsPrecisionAndSuffixes() {
        #expect(TickLabel.format(2_500_000, step: 500_000) == "2.5M")
        #expect(TickLabel.format(1500, step: 500) == "1.5k")
        #expect(TickLabel.format(40, step: 20) == "40")
        #expect(TickLabel.format(0.25, step: 0.05) == "0.25")
        #expect(TickLabel.decimals(for: 0.1) == 1)
        #expect(TickLabel.decimals(for: 2) == 0)
    }
}

@Suite struct ChartDrawingTests {
    @Test func pathsThroughPixelPoints() {
        #expect(PathData.line([(0, 10), (5.25, 2.04), (10, -0.06)]) == "M0 10 L5.3 2 L10 -0.1")
        #expect(PathData.steps([(1, 100), (3, 50), (7, 0)]) == "M1 100 H3 V50 H7 V0")
        #expect(PathData.line([]).isEmpty)
    }

    @Test func svgNumbersHaveOneDecimalAtMost() {
        #expect(SVGNumber.format(12) == "12")
        #expect(SVGNumber.format(12.345) == "12.3")
        #expect(SVGNumber.format(-0.44) == "-0.4")
        #expect(SVGNumber.format(.nan) == "0")
    }

    @Test func legendWrapsAtTheGivenWidth() {
        let legend = ChartLegend(labels: ["direct", "relayed", "address-and-port-dependent"])
        let positions = legend.positions(x: 10, y: 0, width: 200)
        #expect(positions[0] == (10, 0))
        #expect(positions[1].y == 0 && positions[1].x > 10)
        #expect(positions[2] == (10, ChartLegend.rowHeight))
        #expect(legend.height(width: 200) == 2 * ChartLegend.rowHeight)
        #expect(legend.items.map(\.color) == Array(ChartPalette.series.prefix(3)))
        var rendered = ""
        HTMLRenderer.write(legend.draw(x: 10, y: 0, width: 200), into: &rendered)
        #expect(rendered.contains(">address-and-port-dependent</text>"))
        #expect(rendered.contains("stroke=\"#0072B2\""))
    }

    @Test func paletteRepeatsDashedAndHeatRampEnds() {
        #expect(ChartPalette.color(7) == ChartPalette.color(0))
        #expect(!ChartPalette.dashed(6) && ChartPalette.dashed(7))
        #expect(ChartPalette.heat(0) == "#440154")
        #expect(ChartPalette.heat(1) == "#FDE725")
        #expect(ChartPalette.heat(2) == "#FDE725")
        #expect(ChartPalette.textOnHeat(0.1) == "#FFFFFF" && ChartPalette.textOnHeat(0.9) == "#000000")
    }

    @Test func heatMapCellsCarryColourTextAndTooltip() {
        let map = HeatMap(title: "t", rowTitle: "rows", columnTitle: "columns", rowLabels: ["a"], columnLabels: ["x", "y"],
                          cells: [[HeatMap.Cell(fraction: 1, lines: ["100.0%", "4/4"], tooltip: "a × x"),
                                   HeatMap.Cell(fraction: nil, lines: ["no runs"], tooltip: "a × y")]], scaleTitle: "success rate (%)")
        var svg = ""
        HTMLRenderer.write(map.render(), into: &svg)
        #expect(svg.contains("fill=\"#FDE725\"><title>a × x</title></rect>"))
        #expect(svg.contains("fill=\"none\"><title>a × y</title></rect>"))
        #expect(svg.contains(">100.0%</text>") && svg.contains(">4/4</text>") && svg.contains(">success rate (%)</text>"))
    }

    @Test func lineChartHasAxesTitledWithUnitsAndOnePathPerSeries() {
        var chart = LineChart(title: "CDF", xTitle: "connect time (ms)", yTitle: "share", series: [
            LineChart.Series(label: "direct", points: [(100, 0), (200, 1)]),
            LineChart.Series(label: "relayed", points: [(400, 0), (4000, 1)]),
        ])
        chart.stepped = true
        chart.logarithmicX = true
        var svg = ""
        HTMLRenderer.write(chart.render(), into: &svg)
        #expect(svg.components(separatedBy: "<path ").count == 3)
        #expect(svg.contains(">connect time (ms)</text>"))
        #expect(svg.contains(">10k</text>"))
        #expect(svg.hasPrefix("<svg class=\"chart\" viewBox=\"0 0 640 300\""))
    }
}

@Suite struct HTMLRendererTests {
    @Test func escapesTextAndAttributesAndClosesEveryElement() {
        let node: HTMLNode = .element("p", ["title": "a \"b\" <c> & d"], [
            .text("x < y && z > 1"), .element("br"), .element("span"), .element("rect"), .text("bell\u{7}tab\t"),
        ])
        var html = ""
        HTMLRenderer.write(node, into: &html)
        #expect(html == "<p title=\"a &quot;b&quot; &lt;c&gt; &amp; d\">x &lt; y &amp;&amp; z &gt; 1<br/><span></span><rect/>belltab\t</p>")
    }

    @Test func documentStartsWithTheDoctype() {
        #expect(HTMLRenderer.document(.element("html")) == "<!DOCTYPE html>\n<html></html>\n")
    }
}

@Suite struct PercentileTests {
    @Test func quantilesInterpolateBetweenRanks() {
        #expect(Percentiles.quantile([], 0.5) == nil)
        #expect(Percentiles.quantile([7], 0.95) == 7)
        #expect(Percentiles.quantile([1, 2, 3, 4], 0.5) == 2.5)
        #expect(Percentiles.quantile(Array(stride(from: 1.0, through: 101, by: 1)), 0.95) == 96)
    }

    @Test func cdfStartsAtZeroEndsAtOneAndIsThinned() {
        #expect(Percentiles.cdf([10, 20]).map(\.y) == [0, 0.5, 1])
        let many = Percentiles.cdf((1...10_000).map(Double.init), maximumPoints: 200)
        #expect(many.count <= 202)
        #expect(many.first! == (1, 0))
        #expect(many.last! == (10_000, 1))
    }
}
