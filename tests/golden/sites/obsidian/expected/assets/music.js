// Click-to-load YouTube player: nothing is fetched from YouTube until the reader presses "Play here".
// Without JavaScript the buttons stay hidden (CSS, html:not(.js)) and the track link still works;
// showing them from CSS rather than from here saves a second layout of the page.
(function () {
  document.querySelectorAll("button.music-load[data-youtube]").forEach(function (button) {
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = "https://www.youtube-nocookie.com/embed/" + encodeURIComponent(button.dataset.youtube) + "?autoplay=1";
      frame.title = "YouTube player: " + button.dataset.title;
      frame.allow = "autoplay; encrypted-media; picture-in-picture";
      frame.allowFullscreen = true;
      frame.loading = "lazy";
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      button.replaceWith(frame);
      frame.focus();
    });
  });
})();
