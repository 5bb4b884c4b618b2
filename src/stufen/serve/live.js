// Injected by `stufen serve` into every HTML response (never into built files).
// The server sends its state on connect and after every build: {version, assets, error}.
// A newer version updates the page: when only <main> and the head's descriptions (title, meta tags,
// JSON-LD) changed, as a post edit does, they are swapped in place (scripts in <main> run again),
// which is fast and keeps the scroll position; anything else (stylesheets, scripts, the header)
// reloads the page, restoring the scroll position.
// An error shows an overlay naming file, line and message; the next good build clears it.
(function () {
  var me = document.currentScript;
  var version = Number(me.dataset.version);
  var events = me.dataset.events;
  var KEY = "stufen-scroll";

  try {
    var saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
    sessionStorage.removeItem(KEY);
    if (saved && saved.path === location.pathname) {
      window.addEventListener("load", function () { window.scrollTo(saved.x, saved.y); });
    }
  } catch (e) { /* storage may be disabled: reload without restoring */ }

  function reload() {
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ path: location.pathname, x: scrollX, y: scrollY }));
    } catch (e) { /* ignore */ }
    location.reload();
  }

  function hide() {
    var old = document.getElementById("stufen-overlay");
    if (old) old.remove();
  }

  function show(error) {
    hide();
    var box = document.createElement("div");
    box.id = "stufen-overlay";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "stufen-overlay-title");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,24,.94);color:#fff;font:15px/1.5 ui-monospace,monospace";
    var title = document.createElement("h2");
    title.id = "stufen-overlay-title";
    title.style.cssText = "color:#ff8a80;margin:0 0 1rem;font-size:1.2rem";
    title.textContent = error.summary;
    box.appendChild(title);
    error.problems.forEach(function (problem) {
      var item = document.createElement("pre");
      item.className = "stufen-problem";
      item.style.cssText = "white-space:pre-wrap;margin:0 0 .75rem";
      var where = document.createElement("strong");
      where.textContent = problem.where;
      item.appendChild(where);
      item.appendChild(document.createTextNode(" " + problem.message));
      box.appendChild(item);
    });
    var note = document.createElement("p");
    note.textContent = "The last good build is still served. Fix the file and this page updates by itself.";
    box.appendChild(note);
    document.body.appendChild(box);
  }

  // Head elements that only describe the page (meta tags, JSON-LD, canonical and feed links) can be
  // replaced in place; any other (stylesheets, scripts, icons…) changing needs a reload.
  function describes(e) {
    if (e.tagName === "META") return !e.httpEquiv;
    if (e.tagName === "SCRIPT") return e.type === "application/ld+json";
    return e.tagName === "LINK" && /^(canonical|alternate|author|license|prev|next)$/i.test(e.rel);
  }
  function outer(list) { return list.map(function (e) { return e.outerHTML; }).join(""); }

  // The page as served, before any script changed it: what a new version is compared with.
  function snapshot(doc) {
    var head = Array.prototype.filter.call(doc.head.children, function (e) { return e.tagName !== "TITLE"; });
    var body = Array.prototype.filter.call(doc.body.children, function (e) { return e.id !== "stufen-live"; });
    var about = head.filter(describes);
    return {
      head: outer(head.filter(function (e) { return !describes(e); })),
      about: about,
      aboutHtml: outer(about),
      nodes: body,
      body: body.map(function (e) { return e.outerHTML; })
    };
  }
  var served = snapshot(document);

  // Scripts that arrive with a swapped <main> (e.g. the music card's) do not run by themselves:
  // copies of them do, in order, as they would on a fresh load of the page.
  function revive(node) {
    node.querySelectorAll("script").forEach(function (old) {
      var script = document.createElement("script");
      Array.prototype.forEach.call(old.attributes, function (a) { script.setAttribute(a.name, a.value); });
      script.async = false;
      script.textContent = old.textContent;
      old.replaceWith(script);
    });
  }

  var wanted = version;
  function update(state) {
    if (state.assets > version) return reload();
    wanted = state.version;
    fetch(location.href, { cache: "no-store" }).then(function (response) { return response.text(); })
      .then(function (html) {
        if (state.version !== wanted) return;  // a newer build is on its way; it will update the page
        var doc = new DOMParser().parseFromString(html, "text/html");
        var next = snapshot(doc);
        if (next.head !== served.head || next.body.length !== served.body.length) return reload();
        var changed = [];
        for (var i = 0; i < next.body.length; i++) {
          if (next.body[i] === served.body[i]) continue;
          var node = next.nodes[i];
          if (node.tagName !== "MAIN" || !served.nodes[i].isConnected) return reload();
          changed.push(i);
        }
        changed.forEach(function (i) {
          var fresh = document.adoptNode(next.nodes[i]);
          served.nodes[i].replaceWith(fresh);
          revive(fresh);
          next.nodes[i] = fresh;
        });
        if (next.aboutHtml !== served.aboutHtml) {
          served.about.forEach(function (e) { e.remove(); });
          next.about = next.about.map(function (e) { return document.head.appendChild(document.adoptNode(e)); });
        } else next.about = served.about;
        served = { head: next.head, about: next.about, aboutHtml: next.aboutHtml, nodes: served.nodes.map(function (n, i) { return changed.indexOf(i) < 0 ? n : next.nodes[i]; }),
                   body: next.body };
        document.title = doc.title;
        version = state.version;
        hide();
        window.stufenUpdated = Date.now();
        document.dispatchEvent(new CustomEvent("stufen:swap"));
      })
      .catch(reload);
  }

  var source = new EventSource(events);
  source.onmessage = function (message) {
    var state = JSON.parse(message.data);
    if (state.error) show(state.error);
    else if (state.version !== version) {
      window.stufenHeard = Date.now();  // with stufenUpdated: what bench/reload.py measures
      update(state);
    }
    else hide();
  };
})();
