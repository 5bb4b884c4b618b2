// Link previews: pointing at or focusing a link to a post shows its title, date and description from
// previews.json (written by the build), in a box over the page, so nothing moves.
(function () {
  if (window.stufenPreviews) return;  // the dev server's live reload runs <main>'s scripts again
  window.stufenPreviews = true;
  var src = document.currentScript.dataset.previews, data, box, at;
  function hide() {
    if (at) at.removeAttribute("aria-describedby");
    if (box) box.hidden = true;
    at = null;
  }
  function show(a) {
    var url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname === location.pathname) return;
    at = a;
    data = data || fetch(src).then(function (r) { return r.json(); }).catch(function () { return {}; });
    data.then(function (all) {
      var p = all[url.pathname], r = a.getBoundingClientRect();
      if (!p || at !== a) return;
      if (!box) {
        box = document.createElement("div");
        box.id = "link-preview";
        box.className = "link-preview";
        box.setAttribute("role", "tooltip");
        (document.querySelector("main") || document.body).append(box);
      }
      box.replaceChildren();
      [["strong", p.t], ["small", p.d], ["p", p.s]].forEach(function (x) {
        var el = document.createElement(x[0]);
        el.textContent = x[1];
        box.append(el);
      });
      box.style.left = Math.max(8, Math.min(r.left, innerWidth - 336)) + scrollX + "px";
      box.style.top = r.bottom + scrollY + 6 + "px";
      box.hidden = false;
      a.setAttribute("aria-describedby", box.id);
    });
  }
  ["mouseover", "mouseout", "focusin", "focusout"].forEach(function (type, i) {
    document.addEventListener(type, function (e) {
      var a = e.target.closest && e.target.closest("a[href]");
      if (a) (i % 2 ? hide : show)(a);
    });
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  document.addEventListener("stufen:swap", function () { data = null; });  // an edit may retitle a post
})();
