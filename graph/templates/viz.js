// livekg view page: reads the JSON payload, draws it with vis-network, wires search, filter,
// keys, tooltips, the info and provenance panes, and (served pages) the explorer. Every
// document text goes into the DOM via textContent only: vis-network renders a string `title`
// as HTML, so tooltips are passed as elements.
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
  var provenance = {};
  var keyOfLabel = {};
  var keyOfType = {};
  function nodeRecord(node) {
    var record = Object.assign({}, node);
    delete record.tip;
    delete record.search;
    delete record.prov;
    if (node.tip) { tips["n:" + node.id] = node.tip; record.title = tipElement(node.tip); }
    if (node.prov) { provenance["n:" + node.id] = node.prov; }
    return record;
  }
  function edgeRecord(edge) {
    var record = Object.assign({}, edge);
    delete record.tip;
    delete record.prov;
    if (edge.tip) { tips["e:" + edge.id] = edge.tip; record.title = tipElement(edge.tip); }
    if (edge.prov) { provenance["e:" + edge.id] = edge.prov; }
    return record;
  }
  payload.legend.forEach(function (entry) { keyOfLabel[entry.label] = entry; });
  payload.edge_legend.forEach(function (entry) { keyOfType[entry.type] = entry; });

  var nodes = new vis.DataSet(payload.nodes.map(nodeRecord));
  var edges = new vis.DataSet(payload.edges.map(edgeRecord));
  var container = document.getElementById("livekg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, payload.options);
  window.livekgNetwork = network;
  window.livekgNodes = nodes;

  var statusLine = document.getElementById("livekg-status");
  var info = document.getElementById("livekg-info");
  var physicsSettled = false;

  function describe() {
    return nodes.length + " nodes, " + edges.length + " edges" +
      (payload.physics ? " · layout settled, physics off" : " · precomputed layout");
  }

  function markReady() {
    if (window.livekgReady) { return; }
    network.fit({ animation: false });
    network.once("afterDrawing", function () {
      window.livekgReadyAt = performance.now();
      window.livekgReady = true;
      document.body.setAttribute("data-ready", "true");
      statusLine.textContent = describe();
    });
    network.redraw();
  }

  function freeze() {
    // Physics stabilised the layout; switching it off keeps the picture still (and cheap).
    network.setOptions({ physics: { enabled: false } });
    network.stopSimulation();
    physicsSettled = true;
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

  // -- keys: node labels (with the filter), edge types, communities ---------------------------
  var filters = document.getElementById("livekg-filters");
  var edgeKey = document.getElementById("livekg-edges");
  var hiddenLabels = {};
  function applyFilter() {
    nodes.update(nodes.getIds().map(function (id) {
      return { id: id, hidden: !!hiddenLabels[nodes.get(id).category] };
    }));
  }
  function counted(field) {
    var counts = {};
    (field === "category" ? nodes : edges).forEach(function (item) {
      var key = field === "category" ? item.category : item.type;
      counts[key] = (counts[key] || 0) + 1;
    });
    return counts;
  }
  function textSpan(text, className) {
    var span = document.createElement("span");
    if (className) { span.className = className; }
    span.textContent = text;
    return span;
  }
  function renderNodeKey() {
    var counts = counted("category");
    filters.textContent = "";
    Object.keys(keyOfLabel).forEach(function (label) {
      if (!counts[label]) { return; }
      var entry = keyOfLabel[label];
      var row = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = !hiddenLabels[label];
      box.setAttribute("data-label", label);
      box.className = "livekg-filter";
      box.addEventListener("change", function () {
        hiddenLabels[label] = !box.checked;
        applyFilter();
      });
      var glyph = textSpan(GLYPHS[entry.shape] || "\u25CF", "livekg-glyph");
      glyph.style.color = entry.colour;
      row.append(box, glyph, textSpan(entry.name ? entry.name + " " + label : label),
                 textSpan(String(counts[label]), "livekg-count"));
      filters.appendChild(row);
    });
  }
  function renderEdgeKey() {
    var counts = counted("type");
    edgeKey.textContent = "";
    Object.keys(keyOfType).forEach(function (type) {
      if (!counts[type]) { return; }
      var entry = keyOfType[type];
      var row = document.createElement("div");
      row.className = "livekg-edge-type";
      row.setAttribute("data-type", type);
      var swatch = textSpan("", "livekg-swatch");
      swatch.style.background = entry.colour;
      row.append(swatch, textSpan(entry.name ? entry.name + " " + type : type),
                 textSpan(String(counts[type]), "livekg-count"));
      edgeKey.appendChild(row);
    });
    if (counts.RESPONSIBLE_FOR) {
      var lead = document.createElement("div");
      lead.className = "livekg-edge-type";
      var swatch = textSpan("", "livekg-swatch livekg-lead");
      swatch.style.background = keyOfType.RESPONSIBLE_FOR.colour;
      lead.append(swatch, textSpan("thick: 牵头 lead, or listed first where the plan " +
                                   "names no lead; numbers: rank in the list"));
      edgeKey.appendChild(lead);
    }
  }
  renderNodeKey();
  renderEdgeKey();
  if (payload.communities.length) {
    var communities = document.getElementById("livekg-communities");
    payload.communities.forEach(function (community) {
      var row = document.createElement("div");
      row.className = "livekg-community";
      row.setAttribute("data-community", String(community.index));
      var swatch = textSpan("\u25C6", "livekg-glyph");
      swatch.style.color = community.colour;
      row.append(swatch, textSpan((community.index + 1) + " · " + community.name),
                 textSpan(String(community.size), "livekg-count"));
      communities.appendChild(row);
    });
    document.getElementById("livekg-communities-box").hidden = false;
  }

  // -- search ------------------------------------------------------------------------------
  var names = document.getElementById("livekg-names");
  var index = [];
  function indexNode(node) {
    index.push({ id: node.id, label: node.label, category: node.category,
                 keys: (node.search || []).map(function (key) { return key.toLowerCase(); }) });
    var option = document.createElement("option");
    option.value = node.label;
    names.appendChild(option);
  }
  payload.nodes.forEach(indexNode);
  function find(query) {
    var wanted = query.trim().toLowerCase();
    if (!wanted) { return null; }
    var exact = index.find(function (e) { return e.keys.indexOf(wanted) >= 0; });
    if (exact) { return exact; }
    return index.find(function (e) {
      return e.keys.some(function (key) { return key.indexOf(wanted) >= 0; });
    }) || null;
  }

  // -- selection: info, provenance, the explorer link --------------------------------------
  var provBox = document.getElementById("livekg-provenance");
  var openBox = document.getElementById("livekg-open");
  var openLink = document.getElementById("livekg-open-link");
  function spanText(span) { return span ? span[0] + "–" + span[1] : ""; }
  function showProvenance(prov) {
    provBox.hidden = !prov;
    if (!prov) { return; }
    var sentences = prov.sentences || (prov.sentence ? [prov.sentence] : []);
    var spans = prov.spans && prov.spans.length ? prov.spans : (prov.span ? [prov.span] : []);
    document.getElementById("livekg-prov-sentence").textContent = sentences.join("\n");
    document.getElementById("livekg-prov-span").textContent =
      spans.map(spanText).join(", ") + (prov.line ? " · line " + prov.line : "");
    document.getElementById("livekg-prov-surface").textContent = prov.surface || "";
    document.getElementById("livekg-prov-document").textContent = prov.document || "";
  }
  function explorerHref(id) { return payload.explore.page + encodeURIComponent(id); }
  function showInfo(key) {
    info.textContent = tips[key] || "";
    showProvenance(provenance[key]);
    var isNode = key && key.indexOf("n:") === 0;
    openBox.hidden = !(payload.explore && isNode && !payload.explore.expand);
    if (!openBox.hidden) { openLink.setAttribute("href", explorerHref(key.slice(2))); }
  }
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
    showInfo("n:" + entry.id);
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

  // -- the explorer: a click adds (at most `limit` of) the node's neighbours ---------------
  var expanded = {};  // node id -> how many of its neighbours have been asked for
  window.livekgExpansions = 0;
  window.livekgBusy = false;
  function expand(id) {
    var offset = expanded[id] || 0;
    if (offset < 0) { return; }  // every neighbour is drawn already
    var url = payload.explore.neighbours + encodeURIComponent(id) + "?limit=" +
      payload.explore.limit + "&offset=" + offset;
    statusLine.textContent = "Fetching neighbours…";
    window.livekgBusy = true;  // until the new nodes are placed and still (tests wait on it)
    window.fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
      return response.json();
    }).then(function (answer) {
      var centre = network.getPositions([id])[id] || { x: 0, y: 0 };
      var added = answer.draw.nodes.filter(function (node) { return !nodes.get(node.id); });
      added.forEach(function (node, i) {
        var angle = 2 * Math.PI * i / Math.max(added.length, 1);
        var record = nodeRecord(node);
        record.x = centre.x + 120 * Math.cos(angle);
        record.y = centre.y + 120 * Math.sin(angle);
        nodes.add(record);
        indexNode(node);
      });
      answer.draw.edges.forEach(function (edge) { edges.update(edgeRecord(edge)); });
      answer.draw.legend.forEach(function (entry) { keyOfLabel[entry.label] = entry; });
      answer.draw.edge_legend.forEach(function (entry) { keyOfType[entry.type] = entry; });
      expanded[id] = answer.more > 0 ? answer.offset + answer.shown : -1;
      window.livekgExpansions += 1;
      window.livekgLastAdded = added.length;
      window.livekgNodeCount = nodes.length;
      renderNodeKey();
      renderEdgeKey();
      applyFilter();
      var more = document.getElementById("livekg-more");
      more.textContent = answer.more > 0 ? answer.more + " more not shown; click " +
        answer.name + " again for more · 还有 " + answer.more + " 个未显示" : "";
      more.hidden = answer.more === 0;
      statusLine.textContent = describe() + " · +" + added.length + " from " + answer.name;
      if (added.length && physicsSettled) {
        // A short settle separates the new nodes from the old, then the picture stays still.
        network.setOptions({ physics: { enabled: true } });
        network.once("stabilized", function () {
          network.setOptions({ physics: { enabled: false } });
          window.livekgBusy = false;
        });
        network.stabilize(200);
      } else {
        window.livekgBusy = false;
      }
    }).catch(function (error) {
      statusLine.textContent = "Could not fetch neighbours: " + error.message;
      window.livekgBusy = false;
    });
  }
  if (payload.explore && payload.explore.expand && payload.focus) {
    expanded[payload.focus] = payload.notes.length ? payload.nodes.length - 1 : -1;
    var moreLine = document.createElement("p");
    moreLine.id = "livekg-more";
    moreLine.className = "livekg-note";
    moreLine.hidden = true;
    statusLine.parentNode.insertBefore(moreLine, statusLine);
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      showInfo("n:" + params.nodes[0]);
      if (payload.explore && payload.explore.expand) { expand(params.nodes[0]); }
    } else if (params.edges.length) { showInfo("e:" + params.edges[0]); }
  });
  network.on("doubleClick", function (params) {
    if (payload.explore && !payload.explore.expand && params.nodes.length) {
      window.location.assign(explorerHref(params.nodes[0]));
    }
  });
}());
