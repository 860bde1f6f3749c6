// gklint serve --store: the office's board. Data from GET /api/board (docs/serve.md); every text from the server
// (agency and file names come from uploads) is set with textContent, never as HTML.
(function () {
  "use strict";
  var rows = [];
  var sortKey = "status";
  var ascending = true;
  var ORDER = {"有错误": 0, "未提交": 1, "仅有警告": 2, "通过": 3};

  function $(id) { return document.getElementById(id); }

  function status(text, isError) {
    $("status").textContent = text;
    $("status").className = isError ? "error" : "";
  }

  function value(row, key) {
    if (key === "status") { return ORDER[row.status]; }
    if (key === "codes") { return row.codes.join(" "); }
    return row[key] || "";
  }

  function render() {
    var body = document.querySelector("#board tbody");
    while (body.firstChild) { body.removeChild(body.firstChild); }
    var shown = rows.filter(function (r) { return !$("filter").value || r.status === $("filter").value; });
    shown.sort(function (a, b) {
      var x = value(a, sortKey), y = value(b, sortKey);
      var c = x < y ? -1 : x > y ? 1 : (a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : 0);
      return ascending ? c : -c;
    });
    shown.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.dataset.agency = r.agency;
      [r.agency + (r.expected ? "" : "（不在应报名单）"), r.status, r.department || "",
       r.submitted_at ? r.submitted_at.slice(0, 19).replace("T", " ") + " UTC" : "", r.codes.join(" "), r.file || ""
      ].forEach(function (text, i) {
        var td = document.createElement("td");
        if (i === 5 && r.submission_id) {  // the file: its findings as the HTML report, to send back
          var a = document.createElement("a");
          a.href = "/api/submissions/" + encodeURIComponent(r.submission_id) + "/report";
          a.target = "_blank";
          a.rel = "noopener";
          a.title = "查看检查结果";
          a.textContent = text;
          td.appendChild(a);
        } else {
          td.textContent = text;
        }
        if (i === 1) { td.className = "status status-" + r.status; }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    var counts = {};
    rows.forEach(function (r) { counts[r.status] = (counts[r.status] || 0) + 1; });
    status(rows.length + " 个机关：" + Object.keys(ORDER).map(function (k) { return k + " " + (counts[k] || 0); }).join("，"));
  }

  function load() {
    var year = $("year").value;
    var query = year ? "?year=" + encodeURIComponent(year) : "";
    fetch("/api/board" + query, {credentials: "same-origin"}).then(function (r) {
      return r.json().then(function (d) { if (!r.ok) { throw new Error(d.error || r.status); } return d; });
    }).then(function (d) {
      rows = d.rows;
      if (d.year) { $("year").value = d.year; }
      $("csv").href = "/api/board.csv?year=" + encodeURIComponent(d.year || "");
      $("xlsx").href = "/api/board.xlsx?year=" + encodeURIComponent(d.year || "");
      $("rollup-xlsx").href = "/api/rollup.xlsx?year=" + encodeURIComponent(d.year || "");
      $("rollup-docx").href = "/api/rollup.docx?year=" + encodeURIComponent(d.year || "");
      render();
    }).catch(function (e) { status("无法读取汇总：" + e.message, true); });
  }

  function addExpected(form) {
    fetch("/api/expected", {method: "POST", body: form, credentials: "same-origin"}).then(function (r) {
      return r.json().then(function (d) { if (!r.ok) { throw new Error(d.error || r.status); } return d; });
    }).then(function (d) {
      status("已添加 " + d.added + " 个应报机关");
      load();
    }).catch(function (e) { status(e.message, true); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("#board th"), function (th) {
    th.addEventListener("click", function () {
      ascending = sortKey === th.dataset.key ? !ascending : true;
      sortKey = th.dataset.key;
      Array.prototype.forEach.call(document.querySelectorAll("#board th"), function (o) {
        o.setAttribute("aria-sort", o === th ? (ascending ? "ascending" : "descending") : "none");
      });
      render();
    });
  });
  $("filter").addEventListener("change", render);
  $("year").addEventListener("change", load);
  $("add-expected").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var name = $("expected-name").value.trim();
    if (!name) { return; }
    var form = new FormData();
    form.append("name", name);
    $("expected-name").value = "";
    addExpected(form);
  });
  $("expected-file").addEventListener("change", function () {
    if (!this.files.length) { return; }
    var form = new FormData();
    form.append("file", this.files[0], this.files[0].name);
    this.value = "";
    addExpected(form);
  });
  load();
}());
