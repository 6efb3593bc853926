/* bpmncx report: zoom and pan on the diagram, hover details, sortable tables.
   Plain JavaScript, no libraries, nothing fetched. */
(function () {
  "use strict";

  // element id -> the section showing its drill-down diagram (a collapsed sub-process)
  var opens = {};
  Array.prototype.forEach.call(document.querySelectorAll(".diagram-view[data-opens-from]"),
    function (view) { opens[view.getAttribute("data-opens-from")] = view.id; });

  function drillDownAt(svg, clientX, clientY) {
    var node = document.elementFromPoint(clientX, clientY);
    while (node && node !== svg) {
      var id = node.getAttribute ? node.getAttribute("data-element-id") : null;
      if (id && opens.hasOwnProperty(id)) { return opens[id]; }
      node = node.parentNode;
    }
    return null;
  }

  function setupDiagram(box) {
    var svg = box.querySelector("svg.diagram");
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal) { return; }
    Array.prototype.forEach.call(svg.querySelectorAll("[data-element-id]"), function (g) {
      if (opens.hasOwnProperty(g.getAttribute("data-element-id"))) { g.classList.add("opens"); }
    });
    var base = svg.viewBox.baseVal;
    var home = { x: base.x, y: base.y, w: base.width, h: base.height };
    var view = { x: home.x, y: home.y, w: home.w, h: home.h };

    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    }
    function toDiagram(clientX, clientY) {
      var m = svg.getScreenCTM();
      if (!m) { return { x: view.x + view.w / 2, y: view.y + view.h / 2 }; }
      var p = svg.createSVGPoint();
      p.x = clientX; p.y = clientY;
      return p.matrixTransform(m.inverse());
    }
    function zoom(factor, cx, cy) {
      var w = view.w * factor, h = view.h * factor;
      if (w < home.w / 40 || w > home.w * 8) { return; }
      view.x = cx - (cx - view.x) * factor;
      view.y = cy - (cy - view.y) * factor;
      view.w = w; view.h = h;
      apply();
    }
    function zoomCentre(factor) {
      zoom(factor, view.x + view.w / 2, view.y + view.h / 2);
    }

    svg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var p = toDiagram(ev.clientX, ev.clientY);
      zoom(ev.deltaY < 0 ? 0.85 : 1 / 0.85, p.x, p.y);
    }, { passive: false });

    var drag = null;
    svg.addEventListener("pointerdown", function (ev) {
      if (ev.button !== 0) { return; }
      drag = { start: toDiagram(ev.clientX, ev.clientY), x: ev.clientX, y: ev.clientY,
               moved: false };
      svg.classList.add("dragging");
      if (svg.setPointerCapture) { svg.setPointerCapture(ev.pointerId); }
    });
    svg.addEventListener("pointermove", function (ev) {
      if (!drag) { return; }
      if (Math.abs(ev.clientX - drag.x) + Math.abs(ev.clientY - drag.y) > 4) { drag.moved = true; }
      var p = toDiagram(ev.clientX, ev.clientY);
      view.x -= p.x - drag.start.x;
      view.y -= p.y - drag.start.y;
      apply();
    });
    function endDrag() { drag = null; svg.classList.remove("dragging"); }
    svg.addEventListener("pointerup", function (ev) {
      // a click (not a drag) on a collapsed sub-process opens its diagram
      var target = drag && !drag.moved ? drillDownAt(svg, ev.clientX, ev.clientY) : null;
      endDrag();
      if (target) {
        location.hash = "#" + target;
        var section = document.getElementById(target);
        if (section && section.scrollIntoView) { section.scrollIntoView(); }
      }
    });
    svg.addEventListener("pointercancel", endDrag);

    var buttons = box.querySelectorAll("button[data-zoom]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        var what = button.getAttribute("data-zoom");
        if (what === "in") { zoomCentre(0.8); }
        else if (what === "out") { zoomCentre(1.25); }
        else { view = { x: home.x, y: home.y, w: home.w, h: home.h }; apply(); }
      });
    });

    var hover = box.querySelector(".hover");
    if (hover) {
      svg.addEventListener("mouseover", function (ev) {
        var node = ev.target;
        while (node && node !== svg) {
          var title = node.querySelector ? node.querySelector(":scope > title") : null;
          if (title && node.getAttribute("class") !== "graph") {
            hover.textContent = title.textContent;
            return;
          }
          node = node.parentNode;
        }
        hover.textContent = "";
      });
      svg.addEventListener("mouseleave", function () { hover.textContent = ""; });
    }
  }

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var value = cell.getAttribute("data-value");
    return value === null ? cell.textContent.trim() : value;
  }

  function setupTable(table) {
    var headers = table.querySelectorAll("thead th.sortable");
    Array.prototype.forEach.call(headers, function (th) {
      th.addEventListener("click", function () {
        var index = th.cellIndex;
        var numeric = th.getAttribute("data-type") === "number";
        var ascending = !th.classList.contains("sorted-asc");
        Array.prototype.forEach.call(headers, function (other) {
          other.classList.remove("sorted-asc", "sorted-desc");
        });
        th.classList.add(ascending ? "sorted-asc" : "sorted-desc");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.forEach(function (row, i) { row.setAttribute("data-order", String(i)); });
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index), c;
          if (numeric) { c = (parseFloat(x) || 0) - (parseFloat(y) || 0); }
          else { c = x.localeCompare(y); }
          if (c === 0) { c = parseInt(a.getAttribute("data-order"), 10) - parseInt(b.getAttribute("data-order"), 10); return c; }
          return ascending ? c : -c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".diagram-box"), setupDiagram);
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), setupTable);
}());
