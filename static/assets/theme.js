// Light/dark toggle. The choice is stored; without one the OS preference rules.
(function () {
  // "/" or Ctrl/Cmd-K opens search from any page (not while typing in a field).
  document.addEventListener("keydown", function (e) {
    var link = document.getElementById("search-link"), t = e.target;
    if (!link || e.defaultPrevented || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable) return;
    if ((e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey) || (e.key === "k" && (e.ctrlKey || e.metaKey))) {
      e.preventDefault();
      location.href = link.href;
    }
  });
  var root = document.documentElement, button = document.getElementById("theme-toggle");
  if (!button) return;
  var dark = function () {
    return root.dataset.theme ? root.dataset.theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  };
  var show = function () { button.setAttribute("aria-pressed", String(dark())); };
  button.hidden = false;
  show();
  button.addEventListener("click", function () {
    root.dataset.theme = dark() ? "light" : "dark";
    try { localStorage.setItem("stufen-theme", root.dataset.theme); } catch (e) {}
    show();
  });
})();
