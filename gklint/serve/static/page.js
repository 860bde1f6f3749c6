// gklint serve: the page. It uses only the documented API (docs/serve.md): POST /api/check with a progress
// stream for the report, then the routes in /api/health's "downloads" for the copies of each .docx.
// Every text that comes from a file or the server is set with textContent, never as HTML; the report itself
// is shown in a sandboxed frame (no same-origin) under the server's Content-Security-Policy.
(function () {
  "use strict";
  var SUFFIXES = [".docx", ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".pdf", ".doc", ".wps"];
  var downloads = [];  // [{kind, label, route, suffix}] from /api/health
  var limits = null;
  var current = [];  // [{file, name, li}] of the last check
  var busy = false;
  var reportUrl = null;
  var store = null;  // {user, role} when the server keeps uploads (gklint serve --store)

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function status(text, isError) {
    $("status").textContent = text;
    $("status").className = isError ? "error" : "";
  }

  function mb(n) { return Math.round(n / 1048576) + " MB"; }

  function supported(name) {
    var lower = name.toLowerCase();
    return SUFFIXES.some(function (s) { return lower.slice(-s.length) === s; }) &&
      lower.slice(-12) !== ".gklint.docx";
  }

  function hiddenPath(path) {
    return path.split("/").some(function (part) { return part.charAt(0) === "."; });
  }

  function options(form) {
    ["ruleset", "agency-kind"].forEach(function (id) {
      if ($(id).value) { form.append(id, $(id).value); }
    });
  }

  function fail(response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      throw new Error(body.error || ("服务器返回 " + response.status));
    });
  }

  function save(blob, name) {
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 10000);
  }

  function baseName(name) {
    var last = name.split("/").pop();
    var dot = last.lastIndexOf(".");
    return dot > 0 ? last.slice(0, dot) : last;
  }

  function setState(item, text, kind) {
    item.state.textContent = text;
    item.state.className = "state" + (kind ? " " + kind : "");
  }

  // --- choosing files ----------------------------------------------------------------------------------

  function fromFolderPicker(files) {
    var out = [];
    Array.prototype.forEach.call(files, function (f) {
      var name = f.webkitRelativePath || f.name;
      if (supported(name) && !hiddenPath(name)) { out.push({file: f, name: name}); }
    });
    return out;
  }

  function readAll(reader) {
    return new Promise(function (resolve, reject) {
      var all = [];
      (function next() {
        reader.readEntries(function (batch) {
          if (!batch.length) { resolve(all); return; }
          all = all.concat(Array.prototype.slice.call(batch));
          next();
        }, reject);
      })();
    });
  }

  function walk(entry, path, out, explicit) {
    if (entry.isFile) {
      if (!explicit && (!supported(entry.name) || hiddenPath(entry.name))) { return Promise.resolve(); }
      return new Promise(function (resolve, reject) { entry.file(resolve, reject); }).then(function (f) {
        out.push({file: f, name: path});
      });
    }
    if (!entry.isDirectory || (!explicit && entry.name.charAt(0) === ".")) { return Promise.resolve(); }
    return readAll(entry.createReader()).then(function (children) {
      children.sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
      return children.reduce(function (p, child) {
        return p.then(function () { return walk(child, path + "/" + child.name, out, false); });
      }, Promise.resolve());
    });
  }

  function fromDrop(dataTransfer) {
    var items = Array.prototype.slice.call(dataTransfer.items || []);
    var entries = items.map(function (i) { return i.webkitGetAsEntry ? i.webkitGetAsEntry() : null; });
    if (!entries.length || entries.some(function (e) { return !e; })) {  // no directory support: plain files
      return Promise.resolve(Array.prototype.map.call(dataTransfer.files, function (f) {
        return {file: f, name: f.name};
      }));
    }
    var out = [];
    return entries.reduce(function (p, e) {
      return p.then(function () { return walk(e, e.name, out, true); });
    }, Promise.resolve()).then(function () { return out; });
  }

  // --- checking ----------------------------------------------------------------------------------------

  function check(chosen) {
    if (busy) { status("上一批还在检查，请稍候", true); return; }
    if (!chosen.length) { status("没有找到可检查的文件（.docx、.txt、.md、.html、.pdf）", true); return; }
    if (limits && chosen.length > limits.files) {
      status("文件过多：每次最多 " + limits.files + " 个，本次 " + chosen.length + " 个", true);
      return;
    }
    var big = limits && chosen.filter(function (c) { return c.file.size > limits.file_size; })[0];
    if (big) { status("文件 " + big.name + " 过大：每个文件最多 " + mb(limits.file_size), true); return; }
    busy = true;
    $("files").textContent = "";
    $("batch").hidden = true;
    $("report").hidden = true;
    current = chosen.map(function (c) {
      var li = el("li");
      var item = {file: c.file, name: c.name, li: li, state: el("span", "state", "等待上传"),
                  actions: el("span", "actions")};
      li.appendChild(el("span", "name", c.name));
      li.appendChild(item.state);
      li.appendChild(item.actions);
      $("files").appendChild(li);
      return item;
    });
    status("正在上传 " + current.length + " 个文件…");
    var form = new FormData();
    options(form);
    form.append("output-format", "html");
    form.append("progress", "1");
    current.forEach(function (c) { form.append("file", c.file, c.name); });
    var xhr = new XMLHttpRequest();
    var seen = 0;
    var finished = false;
    xhr.open("POST", "/api/check");
    xhr.upload.onprogress = function (ev) {
      var offset = 0;
      current.forEach(function (c) {
        var end = offset + c.file.size;
        if (ev.loaded >= end) { setState(c, "已上传，等待检查"); }
        else if (ev.loaded > offset) { setState(c, "上传中 " + Math.floor(100 * (ev.loaded - offset) / (c.file.size || 1)) + "%"); }
        offset = end;
      });
    };
    function lines(final) {
      var text = xhr.responseText;
      var cut = final ? text.length : text.lastIndexOf("\n") + 1;
      var chunk = text.slice(seen, cut);
      seen = cut;
      chunk.split("\n").forEach(function (line) {
        if (line.trim()) { onEvent(JSON.parse(line)); }
      });
    }
    function onEvent(ev) {
      if (ev.event === "start") {
        current.forEach(function (c) { setState(c, "检查中…"); });
        status("正在检查 " + current.length + " 个文件…");
      } else if (ev.event === "file") {
        var c = current[ev.index];
        if (ev.unreadable) { setState(c, "无法读取（原因见下方结果）", "bad"); }
        else if (ev.skipped) { setState(c, "不像年度报告，未检查"); }
        else { setState(c, "已检查", "ok"); }
      } else if (ev.event === "done") {
        finished = true;
        show(ev.body);
      } else if (ev.event === "error") {
        finished = true;
        status(ev.error, true);
      }
    }
    xhr.onprogress = function () { if (xhr.status === 200) { lines(false); } };
    xhr.onload = function () {
      busy = false;
      if (xhr.status !== 200) {
        var message = "检查失败（服务器返回 " + xhr.status + "）";
        try { message = JSON.parse(xhr.responseText).error || message; } catch (e) { /* not JSON */ }
        status(message, true);
        current.forEach(function (c) { setState(c, "未检查", "bad"); });
        return;
      }
      lines(true);
      if (!finished) { status("检查中断，请重试", true); }
    };
    xhr.onerror = function () {
      busy = false;
      status("上传失败：网络中断，或文件超过服务器的上限" +
             (limits ? "（每个文件最多 " + mb(limits.file_size) + "，每次最多 " + limits.files + " 个）" : ""), true);
    };
    xhr.send(form);
  }

  function show(html) {
    if (reportUrl) { URL.revokeObjectURL(reportUrl); }
    reportUrl = URL.createObjectURL(new Blob([html], {type: "text/html;charset=utf-8"}));
    $("report").src = reportUrl;
    $("report").hidden = false;
    status("检查完成：" + current.length + " 个文件，结果见下方");
    current.forEach(function (c) {
      if (c.name.toLowerCase().slice(-5) !== ".docx" || c.state.className.indexOf("bad") >= 0) { return; }
      downloads.forEach(function (d) {
        var b = el("button", "download download-" + d.kind, "下载" + d.label);
        b.type = "button";
        b.addEventListener("click", function () { copy(d, c, b); });
        c.actions.appendChild(b);
      });
    });
    $("batch").hidden = false;
  }

  function copy(d, c, button) {
    var label = button.textContent;
    button.disabled = true;
    button.textContent = "生成中…";
    var form = new FormData();
    options(form);
    form.append("file", c.file, c.name);
    fetch(d.route, {method: "POST", body: form, credentials: "same-origin"}).then(function (r) {
      return r.ok ? r.blob() : fail(r);
    }).then(function (blob) {
      save(blob, baseName(c.name) + d.suffix);
    }).catch(function (e) {
      status(c.name + "：" + e.message, true);
    }).then(function () {
      button.disabled = false;
      button.textContent = label;
    });
  }

  function csv() {
    var button = $("csv");
    button.disabled = true;
    var form = new FormData();
    options(form);
    form.append("output-format", "csv");
    if (store) { form.append("keep", "0"); }  // the same files again, for the table: not a second submission
    current.forEach(function (c) { form.append("file", c.file, c.name); });
    fetch("/api/check", {method: "POST", body: form, credentials: "same-origin"}).then(function (r) {
      return r.ok ? r.blob() : fail(r);
    }).then(function (blob) {
      save(blob, "gklint-检查结果.csv");
    }).catch(function (e) {
      status(e.message, true);
    }).then(function () { button.disabled = false; });
  }

  // --- wiring ------------------------------------------------------------------------------------------

  fetch("/api/health", {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (h) {
    downloads = h.downloads || [];
    limits = h.limits || null;
    store = h.store || null;
    if (store) {
      document.querySelector(".lead").textContent = "已登录：" + store.user + "。上传的报告将作为本" +
        (store.role === "office" ? "单位" : "科室") + "的提交保存在收报服务中，政务公开办可以看到检查结果；" +
        "同一机关上一年度的报告已提交时，自动做跨年度核对。";
      if (store.role === "office") {
        var nav = el("nav", "office");
        var a = el("a", "", "收报汇总");
        a.href = "/board";
        nav.appendChild(a);
        document.querySelector("header").appendChild(nav);
      }
    }
  }).catch(function () { status("无法连接检查服务，请刷新页面", true); });

  $("pick-files").addEventListener("change", function () {
    var chosen = Array.prototype.map.call(this.files, function (f) { return {file: f, name: f.name}; });
    this.value = "";
    check(chosen);
  });
  $("pick-folder").addEventListener("change", function () {
    var chosen = fromFolderPicker(this.files);
    this.value = "";
    check(chosen);
  });
  $("csv").addEventListener("click", csv);
  var drop = $("drop");
  ["dragenter", "dragover"].forEach(function (type) {
    drop.addEventListener(type, function (ev) { ev.preventDefault(); drop.classList.add("over"); });
  });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", function (ev) {
    ev.preventDefault();
    drop.classList.remove("over");
    fromDrop(ev.dataTransfer).then(check, function () { status("无法读取拖入的文件夹", true); });
  });
  // a file dropped beside the box must not replace the page (and lose the results)
  window.addEventListener("dragover", function (ev) { ev.preventDefault(); });
  window.addEventListener("drop", function (ev) { ev.preventDefault(); });
})();
