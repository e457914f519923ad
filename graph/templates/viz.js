// livekg view page: reads the JSON payload, draws it with vis-network, wires search, filter,
// tooltips and the info panel. Every document text goes into the DOM via textContent only:
// vis-network renders a string `title` as HTML, so tooltips are passed as elements.
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("livekg-data").textContent);
  var GLYPHS = { dot: "\u25CF", diamond: "\u25C6", star: "\u2605", triangle: "\u25B2",
                 triangleDown: "\u25BC", square: "\u25A0", hexagon: "\u2B22" };
  window.livekgReady = false;
  window.livekgNodeCount = payload.nodes.length;
  window.livekgEdgeCount = payload.edges.length;
  window.livekgPhysics = payload.physics;

  function tipElement(text) {
    var element = document.createElement("div");
    element.className = "livekg-tip";
    element.textContent = text;
    return element;
  }

  var tips = {};
  var nodeRecords = payload.nodes.map(function (node) {
    var record = Object.assign({}, node);
    delete record.tip;
    delete record.search;
    if (node.tip) { tips["n:" + node.id] = node.tip; record.title = tipElement(node.tip); }
    return record;
  });
  var edgeRecords = payload.edges.map(function (edge) {
    var record = Object.assign({}, edge);
    delete record.tip;
    if (edge.tip) { tips["e:" + edge.id] = edge.tip; record.title = tipElement(edge.tip); }
    return record;
  });
  var nodes = new vis.DataSet(nodeRecords);
  var edges = new vis.DataSet(edgeRecords);
  var container = document.getElementById("livekg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, payload.options);
  window.livekgNetwork = network;
  window.livekgNodes = nodes;

  var statusLine = document.getElementById("livekg-status");
  var info = document.getElementById("livekg-info");

  function markReady() {
    if (window.livekgReady) { return; }
    network.fit({ animation: false });
    network.once("afterDrawing", function () {
      window.livekgReadyAt = performance.now();
      window.livekgReady = true;
      document.body.setAttribute("data-ready", "true");
      statusLine.textContent = payload.nodes.length + " nodes, " + payload.edges.length +
        " edges" + (payload.physics ? " · layout settled, physics off" :
                    " · precomputed layout");
    });
    network.redraw();
  }

  function freeze() {
    // Physics stabilised the layout; switching it off keeps the picture still (and cheap).
    network.setOptions({ physics: { enabled: false } });
    network.stopSimulation();
    markReady();
  }

  if (payload.nodes.length === 0) {
    statusLine.textContent = "Nothing to draw.";
    window.livekgReady = true;
    document.body.setAttribute("data-ready", "true");
  } else if (payload.physics) {
    network.once("stabilizationIterationsDone", freeze);
    network.once("stabilized", freeze);
  } else {
    markReady();
  }

  // -- legend and label filter -------------------------------------------------------------
  var filters = document.getElementById("livekg-filters");
  var hiddenLabels = {};
  function applyFilter() {
    var updates = payload.nodes.map(function (node) {
      return { id: node.id, hidden: !!hiddenLabels[node.category] };
    });
    nodes.update(updates);
  }
  payload.legend.forEach(function (entry) {
    var row = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-label", entry.label);
    box.className = "livekg-filter";
    box.addEventListener("change", function () {
      hiddenLabels[entry.label] = !box.checked;
      applyFilter();
    });
    var glyph = document.createElement("span");
    glyph.className = "livekg-glyph";
    glyph.style.color = entry.colour;
    glyph.textContent = GLYPHS[entry.shape] || "\u25CF";
    var name = document.createElement("span");
    name.textContent = entry.label;
    var count = document.createElement("span");
    count.className = "livekg-count";
    count.textContent = String(entry.count);
    row.append(box, glyph, name, count);
    filters.appendChild(row);
  });

  // -- search ------------------------------------------------------------------------------
  var names = document.getElementById("livekg-names");
  var index = payload.nodes.map(function (node) {
    return { id: node.id, label: node.label, category: node.category,
             keys: (node.search || []).map(function (key) { return key.toLowerCase(); }) };
  });
  index.forEach(function (entry) {
    var option = document.createElement("option");
    option.value = entry.label;
    names.appendChild(option);
  });
  function find(query) {
    var wanted = query.trim().toLowerCase();
    if (!wanted) { return null; }
    var exact = index.find(function (e) { return e.keys.indexOf(wanted) >= 0; });
    if (exact) { return exact; }
    return index.find(function (e) {
      return e.keys.some(function (key) { return key.indexOf(wanted) >= 0; });
    }) || null;
  }
  function showInfo(text) { info.textContent = text || ""; }
  function focusNode(entry) {
    if (hiddenLabels[entry.category]) {
      hiddenLabels[entry.category] = false;
      filters.querySelectorAll("input.livekg-filter").forEach(function (box) {
        if (box.getAttribute("data-label") === entry.category) { box.checked = true; }
      });
      applyFilter();
    }
    network.selectNodes([entry.id]);
    network.focus(entry.id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    showInfo(tips["n:" + entry.id]);
  }
  var searchInput = document.getElementById("livekg-search");
  var searchStatus = document.getElementById("livekg-search-status");
  function search() {
    var entry = find(searchInput.value);
    if (!searchInput.value.trim()) { searchStatus.textContent = ""; return; }
    if (!entry) { searchStatus.textContent = "no match"; return; }
    searchStatus.textContent = entry.label + " (" + entry.category + ")";
    focusNode(entry);
  }
  searchInput.addEventListener("input", search);
  document.getElementById("livekg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });

  // -- selection info ----------------------------------------------------------------------
  network.on("click", function (params) {
    if (params.nodes.length) { showInfo(tips["n:" + params.nodes[0]]); }
    else if (params.edges.length) { showInfo(tips["e:" + params.edges[0]]); }
  });
}());
