/**
 * The console's one script, for what a form cannot do alone: the number of
 * recipients of an announcement, counted again as its segment is chosen and
 * read out politely (aria-live); on the WhatsApp page, a fresh QR code every
 * 15 seconds and a polite announcement when the connection's state changes
 * (never a reload that would move a screen reader's place). Without it,
 * "Count recipients" and "Refresh status" do the same.
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
(function () {
  var section = document.querySelector("[data-whatsapp-state]");
  var live = document.getElementById("whatsapp-live");
  if (!section || !live || !window.fetch) return;
  var shown = section.getAttribute("data-whatsapp-state");
  var qr = document.querySelector("img[data-refresh]");
  setInterval(function () {
    fetch("/console/whatsapp/state", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) {
        if (!answer) return;
        if (answer.state !== shown) {
          shown = answer.state;
          live.textContent = answer.text;
        }
        if (qr && answer.pairing === "qr")
          qr.src = qr.getAttribute("data-refresh") + "?t=" + Date.now();
      })
      .catch(function () {});
  }, 15000);
})();
`;
