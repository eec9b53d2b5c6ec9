// Live updates: the server says which provider changed over Server-Sent Events; the page then
// fetches the server-rendered fragment of each live region and swaps it in. No reload, no
// client-side rendering.
(function () {
  "use strict";
  var scope = document.body.getAttribute("data-live");
  if (!scope || !window.EventSource || !window.fetch) return;
  var status = document.getElementById("live-status");
  var busy = false, again = false;

  function say(text) { if (status) status.textContent = text; }

  function fragmentURL() {
    var u = new URL(window.location.href);
    u.searchParams.set("partial", "1");
    return u.toString();
  }

  // refresh fetches the live regions; a change that arrives during a fetch triggers one more.
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(fragmentURL(), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) {
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live-region]").forEach(function (region) {
          var fresh = doc.getElementById(region.id);
          if (!fresh) return;
          var focused = document.activeElement && region.contains(document.activeElement) ? document.activeElement.id : "";
          region.innerHTML = fresh.innerHTML;
          region.classList.remove("updated");
          void region.offsetWidth; // restart the highlight
          region.classList.add("updated");
          if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
        });
        var stamp = doc.querySelector("[data-updated]");
        say(stamp ? "Updated " + stamp.getAttribute("data-updated") : "Updated");
      })
      .catch(function () { say("Live update failed; reload the page to see the latest."); })
      .finally(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  var source = new EventSource("/live?scope=" + encodeURIComponent(scope));
  source.addEventListener("change", refresh);
  source.addEventListener("open", function () { say("Live: this page updates as the ledger changes."); });
  source.addEventListener("error", function () {
    // The browser retries a dropped connection by itself; a refused one (the session ended) it
    // gives up.
    if (source.readyState === EventSource.CLOSED) {
      say("Live updates stopped. Reload the page; you may need to sign in again.");
    } else {
      say("Live updates paused; reconnecting…");
    }
  });
})();
