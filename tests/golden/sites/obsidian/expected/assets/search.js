// Search page: Pagefind's index, loaded only once the reader searches; results as a plain list.
(function () {
  var form = document.querySelector(".search-form");
  if (!form) return;
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var pagefind, pending = 0;
  var load = function () {
    // The index is split into shards (so a build re-indexes only what changed); merge them all.
    var bundle = form.dataset.bundle, base = form.dataset.base, shards = +form.dataset.shards || 1;
    pagefind = pagefind || import(bundle + "0/pagefind.js").then(function (pf) {
      var merged = [pf.options({ baseUrl: base })];
      for (var n = 1; n < shards; n++) merged.push(pf.mergeIndex(bundle + n + "/", { baseUrl: base }).catch(function () {}));
      return Promise.all(merged).then(function () { return pf; });
    });
    return pagefind;
  };
  var item = function (data) {
    var li = document.createElement("li"), a = document.createElement("a"), p = document.createElement("p");
    a.href = data.url;
    a.textContent = data.meta.title || data.url;
    p.innerHTML = data.excerpt; // Pagefind's excerpt: our own text, escaped, with <mark> around hits
    li.append(a);
    if (data.meta.date) {
      var d = document.createElement("span");
      d.className = "meta";
      d.textContent = " · " + data.meta.date;
      li.append(d);
    }
    li.append(p);
    return li;
  };
  var run = function () {
    var query = input.value.trim(), ticket = ++pending;
    history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : location.pathname);
    if (!query) { list.replaceChildren(); status.textContent = ""; return; }
    load().then(function (pf) { return pf.debouncedSearch(query, {}, 120); }).then(function (search) {
      if (!search || ticket !== pending) return null;
      return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
    }).then(function (results) {
      if (!results) return;
      list.replaceChildren.apply(list, results.map(item));
      status.textContent = results.length ? results.length + (results.length === 1 ? " post" : " posts") + " found"
                                          : "No posts found for “" + query + "”.";
    }).catch(function () { status.textContent = "Search is not available right now."; });
  };
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  input.addEventListener("input", run);
  input.value = new URLSearchParams(location.search).get("q") || "";
  input.focus();
  if (input.value) run();
})();
