// Saves a report's draft as one types (no button needed) and keeps a copy in this browser,
// so nothing typed is lost when the connection drops. The form works without this script.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.localStorage) return;
  var key = form.getAttribute("data-key");
  var status = form.querySelector(".autosave-status");
  var lang = document.documentElement.lang === "en" ? "en" : "uk";
  var words = {
    uk: { saved: "Чернетку збережено о ", offline: "Немає зв’язку: введене збережено на цьому пристрої й буде надіслано, щойно зв’язок повернеться." },
    en: { saved: "Draft saved at ", offline: "No connection: what you typed is kept on this device and will be sent when the connection is back." }
  }[lang];
  var timer = null;
  var dirty = false;

  function fields() {
    return form.querySelectorAll("input[name^='v_'], textarea[name^='c_']");
  }
  function snapshot() {
    var out = {};
    fields().forEach(function (el) { out[el.name] = el.value; });
    return out;
  }
  function say(text) {
    status.hidden = false;
    status.textContent = text;
  }
  function keep() {
    try {
      localStorage.setItem(key, JSON.stringify({ fields: snapshot(), pending: true }));
    } catch (e) { /* storage full or off: the server copy still counts */ }
  }
  function send() {
    timer = null;
    var body = new URLSearchParams(new FormData(form));
    body.set("intent", "autosave");
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": form.querySelector("input[name=csrf]").value }
    }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      dirty = false;
      localStorage.removeItem(key);
      var t = new Date();
      say(words.saved + String(t.getHours()).padStart(2, "0") + ":" + String(t.getMinutes()).padStart(2, "0"));
    }).catch(function () {
      say(words.offline);
    });
  }
  function changed() {
    dirty = true;
    keep();
    if (timer) clearTimeout(timer);
    timer = setTimeout(send, 800);
  }

  // A copy left from a session that lost its connection goes back into the form.
  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
  if (stored && stored.pending && stored.fields) {
    var restored = false;
    fields().forEach(function (el) {
      var v = stored.fields[el.name];
      if (typeof v === "string" && v !== el.value) { el.value = v; restored = true; }
    });
    if (restored) {
      form.querySelector(".restored").hidden = false;
      changed();
    } else {
      localStorage.removeItem(key);
    }
  }
  form.addEventListener("input", changed);
  window.addEventListener("online", function () { if (dirty) send(); });
})();
