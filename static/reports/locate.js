/* Progressive enhancement of the report form: fill the coordinates when the phone
   shares them. The button's words come from the page (data-label, data-done,
   data-failed), so they are translated there. ES5 on purpose. */
(function () {
  "use strict";
  var slot = document.getElementById("locate-slot");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  if (!slot || !lat || !lon || !navigator.geolocation) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "secondary";
  button.textContent = slot.getAttribute("data-label");
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (p) {
      lat.value = p.coords.latitude.toFixed(6);
      lon.value = p.coords.longitude.toFixed(6);
      button.textContent = slot.getAttribute("data-done");
    }, function () {
      button.disabled = false;
      button.textContent = slot.getAttribute("data-failed");
    }, {timeout: 10000});
  });
  slot.appendChild(button);
})();
