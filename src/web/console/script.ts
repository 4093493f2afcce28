/**
 * The console's one script, for what a form cannot do alone: the number of
 * recipients of an announcement, counted again as its segment is chosen and
 * read out politely (aria-live). Without it, "Count recipients" does the same.
 */
export const SCRIPT = `
(function () {
  var form = document.querySelector("form[data-live-count]");
  var out = document.getElementById("live-count");
  if (!form || !out || !window.fetch) return;
  var timer = null;
  var last = "";
  function count() {
    var data = new URLSearchParams(new FormData(form));
    data.delete("intent");
    var key = data.toString();
    if (key === last) return;
    last = key;
    fetch(form.getAttribute("data-live-count"), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: key,
      credentials: "same-origin"
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) { if (answer && answer.text) out.textContent = answer.text; })
      .catch(function () {});
  }
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(count, 300);
  });
})();
`;
