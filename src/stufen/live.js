// Injected by `stufen serve` into every HTML response (never into built files).
// The server sends its state on connect and after every build: {version, error}.
// A newer version reloads the page (keeping the scroll position); an error shows
// an overlay naming file, line and message, which the next good build clears.
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

  var source = new EventSource(events);
  source.onmessage = function (message) {
    var state = JSON.parse(message.data);
    if (state.version !== version && !state.error) reload();
    else if (state.error) show(state.error);
    else hide();
  };
})();
