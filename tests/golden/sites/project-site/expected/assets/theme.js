// Light/dark toggle. The choice is stored; without one the OS preference rules.
(function () {
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
