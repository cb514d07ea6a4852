/// A script for a report loaded in Chromium (`--dump-dom`) that measures what a reader
/// sees and writes it into attributes of `<html>` on `load`:
/// - `data-min-font`: the smallest rendered font size in pixels of any visible text,
///   HTML or SVG (an SVG's computed size times its scale on screen, to a hundredth of a
///   pixel: layout snaps sizes to 1/64 px, which makes a scale of 1 read 0.99998);
/// - `data-clipped`: SVG `<text>` elements reaching outside their `<svg>`, listed;
/// - `data-overlaps`: pairs of unrotated SVG texts of one chart whose boxes overlap;
/// - `data-shrunk`: charts drawn narrower than their natural width;
/// - `data-page-width`, `data-window-width`: the page's and the window's width (a page
///   wider than the window scrolls as a whole).
enum ReadabilityProbe {
    static let script = """
    <script>
    window.addEventListener('load', function () {
      var minimum = Infinity, clipped = [], overlaps = [], shrunk = 0;
      var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        var element = node.parentElement;
        if (!node.textContent.trim() || element.closest('title, script, style')) { continue; }
        if (element.getClientRects().length === 0) { continue; }
        var size = parseFloat(getComputedStyle(element).fontSize);
        var svg = element.ownerSVGElement || element.closest('svg');
        if (svg) { size *= svg.getScreenCTM().a; }
        minimum = Math.min(minimum, Math.round(size * 100) / 100);
      }
      document.querySelectorAll('svg.chart').forEach(function (svg) {
        var frame = svg.getBoundingClientRect();
        if (frame.width + 0.5 < parseFloat(svg.getAttribute('width'))) { shrunk += 1; }
        var boxes = [];
        svg.querySelectorAll('text').forEach(function (text) {
          var box = text.getBoundingClientRect();
          if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5 || box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5) {
            clipped.push(text.textContent);
          }
          if (!text.hasAttribute('transform')) { boxes.push({ box: box, text: text.textContent }); }
        });
        for (var i = 0; i !== boxes.length; i += 1) {
          for (var j = i + 1; j !== boxes.length; j += 1) {
            var a = boxes[i].box, b = boxes[j].box;
            var dx = Math.min(a.right, b.right) - Math.max(a.left, b.left), dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (dx > 1 && dy > 1) { overlaps.push(boxes[i].text + ' / ' + boxes[j].text); }
          }
        }
      });
      var root = document.documentElement;
      root.setAttribute('data-min-font', String(minimum));
      root.setAttribute('data-clipped', clipped.join(' | '));
      root.setAttribute('data-overlaps', overlaps.slice(0, 20).join(' | '));
      root.setAttribute('data-shrunk', String(shrunk));
      root.setAttribute('data-page-width', String(root.scrollWidth));
      root.setAttribute('data-window-width', String(window.innerWidth));
    });
    </script>
    """
}
