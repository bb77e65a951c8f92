/* The counter's in-page scanner: an extra, never the only way. Without a camera,
   without JavaScript or on an old browser the box stays hidden and the phone's own
   camera, the chat app's scanner and the code box still work. ES5 on purpose. */
(function () {
  "use strict";
  var box = document.getElementById("scanner");
  if (!box || !window.QrScanner || !navigator.mediaDevices || !window.URL) return;
  var prefix = box.getAttribute("data-prefix");
  var video = box.querySelector("video");
  var status = box.querySelector("[data-status]");
  var start = box.querySelector("[data-start]");
  var scanner = null;
  box.hidden = false;

  function onResult(result) {
    var text = result && result.data ? result.data : result;
    var url;
    try {
      url = new URL(text, window.location.href);
    } catch (e) {
      status.textContent = box.getAttribute("data-bad") || "?";
      return;
    }
    // Follow only links into this village's shop, and always on this site.
    if (url.pathname.indexOf(prefix) !== 0) {
      status.textContent = box.getAttribute("data-bad") || "?";
      return;
    }
    scanner.stop();
    window.location.assign(url.pathname + url.search);
  }

  start.addEventListener("click", function () {
    if (!scanner) {
      scanner = new window.QrScanner(video, onResult, {
        returnDetailedScanResult: true,
        preferredCamera: "environment",
      });
    }
    scanner.start().then(
      function () { start.hidden = true; },
      function () { status.textContent = box.getAttribute("data-nocamera") || "!"; }
    );
  });
})();
