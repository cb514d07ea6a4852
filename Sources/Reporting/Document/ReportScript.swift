/// The report's only script, inlined and optional: sorts a table by the clicked column
/// header (numbers by value, `12.5 s` after `240 ms`). Without JavaScript the tables keep
/// their sweep order. It contains no `<` or `&` (XML-safe).
enum ReportScript {
    static let javascript = """
    (function () {
      var units = { 'ms': 1, 's': 1000, 'kbit/s': 1e3, 'Mbit/s': 1e6 };
      function value(cell, numeric) {
        var text = cell.textContent.trim();
        if (!numeric) { return text.toLowerCase(); }
        var parts = text.split(' ');
        var number = parseFloat(parts[0]);
        return isNaN(number) ? -Infinity : number * (units[parts[1]] || 1);
      }
      document.querySelectorAll('table.sortable').forEach(function (table) {
        var headers = table.querySelectorAll('th');
        headers.forEach(function (th) {
          th.tabIndex = 0;
          th.title = 'Sort by this column';
          function sort() {
            var column = th.cellIndex, numeric = th.classList.contains('num');
            var descending = th.getAttribute('aria-sort') === 'ascending';
            headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
            th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
            var body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = value(a.cells[column], numeric), y = value(b.cells[column], numeric);
              var order = x > y ? 1 : (y > x ? -1 : 0);
              return descending ? -order : order;
            });
            rows.forEach(function (row) { body.appendChild(row); });
          }
          th.addEventListener('click', sort);
          th.addEventListener('keydown', function (event) { if (event.key === 'Enter') { sort(); } });
        });
      });
    })();
    """
}
