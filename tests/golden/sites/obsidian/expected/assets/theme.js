// Light/dark toggle. The choice is stored; without one the OS preference rules.
(function () {
  // "/" or Ctrl/Cmd-K opens search from any page (not while typing in a field); on the search page
  // it goes to the search field, keeping the query.
  document.addEventListener("keydown", function (e) {
    var link = document.getElementById("search-link"), t = e.target;
    if (!link || e.defaultPrevented || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable) return;
    if ((e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey) || (e.key === "k" && (e.ctrlKey || e.metaKey))) {
      e.preventDefault();
      var input = document.getElementById("search-input");
      if (input) input.focus(); else location.href = link.href;
    }
  });
  // A copy button on every highlighted code block; the code stays plain text without JavaScript.
  if (navigator.clipboard) document.querySelectorAll("pre.highlight").forEach(function (pre) {
    var wrap = document.createElement("div"), copy = document.createElement("button");
    wrap.className = "code-block";
    copy.type = "button";
    copy.className = "copy-code";
    copy.textContent = "Copy";
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(pre.innerText).then(function () {
        copy.textContent = "Copied";
        setTimeout(function () { copy.textContent = "Copy"; }, 1500);
      });
    });
    pre.replaceWith(wrap);
    wrap.append(pre, copy);
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
