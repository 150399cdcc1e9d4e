// Document pages: a click on a fact in the list marks its span in the text, and a
// link ending in #s<start>-<end> marks the span with those offsets.
(function () {
  function activate(el) {
    document.querySelectorAll(".fact.active").forEach(function (x) { x.classList.remove("active"); });
    if (!el) return;
    el.classList.add("active");
    el.scrollIntoView({ block: "center" });
  }
  function fromHash() {
    var m = /^#s(\d+)-(\d+)$/.exec(location.hash);
    if (!m) return;
    var el = document.querySelector('.fact[data-start="' + m[1] + '"][data-end="' + m[2] + '"]');
    activate(el);
  }
  document.addEventListener("click", function (ev) {
    var item = ev.target.closest && ev.target.closest(".fact-item");
    if (item && !ev.target.closest("a:not(.jump)")) {
      ev.preventDefault();
      activate(document.getElementById("f" + item.dataset.fact));
    }
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
