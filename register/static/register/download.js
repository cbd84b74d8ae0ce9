// Downloads with a progress message: the file is fetched in the page, the bytes received
// are announced (politely, for screen readers), and the browser saves it at the end.
// Without JavaScript the links are ordinary downloads.
(function () {
  "use strict";
  function formatBytes(n) {
    if (n < 1024 * 1024) return Math.max(1, Math.round(n / 1024)) + " kB";
    return (n / 1024 / 1024).toFixed(1).replace(".", ",") + " MB";
  }
  function fileName(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="([^"]+)"/.exec(header);
    return match ? match[1] : fallback;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-download]");
    if (!link || !window.fetch || !window.ReadableStream) return;
    event.preventDefault();
    var status = document.querySelector(".download-status");
    status.textContent = status.dataset.preparing;
    fetch(link.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      var reader = response.body.getReader();
      var chunks = [], received = 0, shown = 0;
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) return;
          chunks.push(step.value);
          received += step.value.length;
          if (received - shown > 256 * 1024) {
            shown = received;
            status.textContent = status.dataset.received + " " + formatBytes(received);
          }
          return pump();
        });
      }
      return pump().then(function () {
        var blob = new Blob(chunks, { type: response.headers.get("Content-Type") || "" });
        var url = URL.createObjectURL(blob);
        var a = document.createElement("a");
        a.href = url;
        a.download = fileName(response, "deltakere");
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
        status.textContent = status.dataset.done;
      });
    }).catch(function () {
      status.textContent = status.dataset.failed;
    });
  });
})();
