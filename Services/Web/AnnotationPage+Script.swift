// The page's script: sign-in, loading the leased slice, window/level and zoom, painting (brush, eraser,
// scribble or full mode, undo), the lease and time display, round progress, and submission. A painting is
// kept in the browser's localStorage until the service acknowledges it, so a refused submission loses nothing.
extension AnnotationPage {
  static let script = #"""
    "use strict";
    const CLASSES = [
      { id: 0, name: "background", color: [90, 160, 255] },
      { id: 1, name: "right ventricle", color: [255, 80, 80] },
      { id: 2, name: "myocardium", color: [80, 220, 100] },
      { id: 3, name: "left ventricle", color: [255, 220, 60] },
    ];
    const NOT_ANNOTATED = 4;
    const $ = (id) => document.getElementById(id);
    const S = {
      token: sessionStorage.getItem("activeseg.token") || "", annotator: "", experiment: 0,
      slice: null, image: null, mask: null, width: 0, height: 0, mode: "scribble",
      cls: 1, tool: "brush", undo: [], shownAt: 0, serverOffset: 0, last: null, painting: false, leaseRanOut: false,
    };

    // MARK: - Calls to the web service

    async function api(path, options = {}) {
      const headers = Object.assign({ "Authorization": "Bearer " + S.token }, options.headers || {});
      let response;
      try {
        response = await fetch(path, Object.assign({}, options, { headers }));
      } catch (error) {
        throw { status: 0, message: "the annotation service does not answer (" + error + "); check your connection and try again" };
      }
      const body = await response.json().catch(() => ({}));
      if (!response.ok) throw { status: response.status, code: body.code || "", message: body.error || ("HTTP " + response.status) };
      return body;
    }

    // MARK: - Sign-in

    async function signIn(event) {
      if (event) event.preventDefault();
      const typed = $("token").value.trim();
      if (typed) S.token = typed;
      $("signin-error").textContent = "";
      try {
        const session = await api("/api/session");
        const experiment = parseInt($("experiment").value || sessionStorage.getItem("activeseg.experiment") || session.experiment || "0", 10);
        if (!(experiment > 0)) { $("signin-error").textContent = "Enter the experiment number you were asked to annotate."; return; }
        S.annotator = session.annotator;
        S.experiment = experiment;
        sessionStorage.setItem("activeseg.token", S.token);
        sessionStorage.setItem("activeseg.experiment", String(experiment));
        $("who").textContent = "signed in as " + S.annotator + " · experiment " + S.experiment;
        $("signin").hidden = true; $("desk").hidden = false; $("signout").hidden = false;
        document.body.dataset.state = "signed-in";
        if (document.activeElement) document.activeElement.blur();
        await loadNext();
      } catch (error) {
        S.token = ""; sessionStorage.removeItem("activeseg.token");
        $("signin-error").textContent = error.status === 401 ? "Sign-in refused: " + error.message : "Cannot sign in: " + error.message;
        document.body.dataset.state = "refused";
      }
    }

    function signOut() {
      sessionStorage.removeItem("activeseg.token");
      location.reload();
    }

    // MARK: - Loading a slice

    function decodeFloats(base64) {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      return new Float32Array(bytes.buffer);
    }

    function encodeBytes(bytes) {
      let text = "";
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      return btoa(text);
    }

    function storageKey() { return "activeseg.painting." + S.experiment + "." + S.slice.id; }

    let waitTimer = null;
    async function loadNext() {
      clearTimeout(waitTimer);
      let next;
      try {
        next = await api("/api/next?experiment=" + S.experiment);
      } catch (error) {
        setStatus("Cannot fetch the next slice: " + error.message, "error");
        waitTimer = setTimeout(loadNext, 5000);
        return;
      }
      showProgress(next.progress);
      if (!next.slice) {
        S.slice = null;
        $("slice-info").textContent = "no slice waiting";
        $("lease").textContent = "–";
        document.body.dataset.slice = "";
        if (!$("status").dataset.kind) setStatus("No slice of experiment " + S.experiment + " waits for annotation right now; checking again every 5 s.", "");
        waitTimer = setTimeout(loadNext, 5000);
        return;
      }
      const slice = next.slice;
      S.slice = slice; S.width = slice.image.width; S.height = slice.image.height;
      S.image = decodeFloats(slice.image.pixels);
      S.mode = slice.supervision === "scribble" ? "scribble" : "full";
      S.mask = new Uint8Array(S.width * S.height).fill(unpainted());
      S.undo = []; S.leaseRanOut = false;
      const saved = localStorage.getItem(storageKey());
      if (saved) {
        const kept = JSON.parse(saved);
        S.mode = kept.mode;
        S.mask = Uint8Array.from(atob(kept.mask), (c) => c.charCodeAt(0));
        setStatus("Restored the painting you left on slice " + slice.id + ".", "ok");
      }
      S.shownAt = Date.now();
      $("canvas").width = S.width; $("canvas").height = S.height;
      document.body.dataset.slice = String(slice.id);
      $("slice-info").innerHTML = "slice <b id=\"slice-id\">" + slice.id + "</b> · patient <b>" + escapeHTML(slice.patient) + "</b>" +
        (slice.phase ? " " + escapeHTML(slice.phase) : "") + " · position <b>" + (slice.position + 1) + "</b> of " + slice.volumeSlices +
        " · " + S.width + "×" + S.height;
      const fit = Math.max(1, Math.floor(Math.min(560, window.innerHeight - 200) / Math.max(S.width, S.height)));
      $("zoom").value = String(fit);
      showMode(); applyZoom(); render(); renderNeighbours(slice); tick();
    }

    function escapeHTML(text) {
      return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c]);
    }

    // MARK: - Drawing the image and the labels

    function unpainted() { return S.mode === "scribble" ? NOT_ANNOTATED : 0; }

    function grey(value) {
      const win = parseFloat($("window").value), level = parseFloat($("level").value);
      const g = (value - (level - win / 2)) / win;
      return Math.max(0, Math.min(255, Math.round(g * 255)));
    }

    function render() {
      if (!S.slice) return;
      const ctx = $("canvas").getContext("2d");
      const data = ctx.createImageData(S.width, S.height);
      for (let i = 0; i < S.mask.length; i++) {
        let r = grey(S.image[i]), g = r, b = r;
        const label = S.mask[i];
        if (label !== NOT_ANNOTATED && !(S.mode === "full" && label === 0)) {
          const c = CLASSES[label].color;
          r = Math.round(r * 0.45 + c[0] * 0.55); g = Math.round(g * 0.45 + c[1] * 0.55); b = Math.round(b * 0.45 + c[2] * 0.55);
        }
        data.data[4 * i] = r; data.data[4 * i + 1] = g; data.data[4 * i + 2] = b; data.data[4 * i + 3] = 255;
      }
      ctx.putImageData(data, 0, 0);
    }

    function renderNeighbours(slice) {
      const strip = $("neighbours");
      strip.innerHTML = "";
      const items = slice.neighbours.map((n) => ({ position: n.position, image: n.image }))
        .concat([{ position: slice.position, image: slice.image, current: true }])
        .sort((a, b) => a.position - b.position);
      for (const item of items) {
        const figure = document.createElement("figure");
        if (item.current) figure.className = "current";
        const canvas = document.createElement("canvas");
        canvas.width = item.image.width; canvas.height = item.image.height;
        const pixels = item.current ? S.image : decodeFloats(item.image.pixels);
        const ctx = canvas.getContext("2d");
        const data = ctx.createImageData(canvas.width, canvas.height);
        for (let i = 0; i < pixels.length; i++) {
          const v = grey(pixels[i]);
          data.data[4 * i] = v; data.data[4 * i + 1] = v; data.data[4 * i + 2] = v; data.data[4 * i + 3] = 255;
        }
        ctx.putImageData(data, 0, 0);
        const caption = document.createElement("figcaption");
        caption.textContent = (item.current ? "this · " : "") + "pos " + (item.position + 1);
        figure.append(canvas, caption);
        strip.append(figure);
      }
    }

    function applyZoom() {
      const zoom = parseInt($("zoom").value, 10);
      $("canvas").style.width = (S.width * zoom) + "px";
      $("canvas").style.height = (S.height * zoom) + "px";
      $("zoom-value").textContent = zoom + "×";
    }

    // MARK: - Painting

    function pixelAt(event) {
      const rect = $("canvas").getBoundingClientRect();
      return { x: (event.clientX - rect.left) * S.width / rect.width, y: (event.clientY - rect.top) * S.height / rect.height };
    }

    // Sets every pixel whose centre lies within `radius` of the segment a–b to `value`.
    function paintSegment(a, b, value) {
      const radius = Math.max(0.5, parseFloat($("brush").value) || 3);
      const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - radius)), x1 = Math.min(S.width - 1, Math.ceil(Math.max(a.x, b.x) + radius));
      const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - radius)), y1 = Math.min(S.height - 1, Math.ceil(Math.max(a.y, b.y) + radius));
      const dx = b.x - a.x, dy = b.y - a.y, length2 = dx * dx + dy * dy;
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const px = x + 0.5, py = y + 0.5;
          const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / length2));
          const ex = px - (a.x + t * dx), ey = py - (a.y + t * dy);
          if (ex * ex + ey * ey <= radius * radius) S.mask[y * S.width + x] = value;
        }
      }
    }

    function strokeValue() { return S.tool === "eraser" ? unpainted() : S.cls; }

    function pushUndo() {
      S.undo.push({ mask: S.mask.slice(), mode: S.mode });
      if (S.undo.length > 200) S.undo.shift();
    }

    function keepPainting() {
      if (S.slice) localStorage.setItem(storageKey(), JSON.stringify({ mode: S.mode, mask: encodeBytes(S.mask) }));
    }

    function pointerDown(event) {
      if (!S.slice || event.button !== 0) return;
      event.preventDefault();
      $("canvas").setPointerCapture(event.pointerId);
      pushUndo();
      S.painting = true;
      S.last = pixelAt(event);
      paintSegment(S.last, S.last, strokeValue());
      render();
    }

    function pointerMove(event) {
      if (!S.painting) return;
      const point = pixelAt(event);
      paintSegment(S.last, point, strokeValue());
      S.last = point;
      render();
    }

    function pointerUp() {
      if (!S.painting) return;
      S.painting = false;
      keepPainting();
    }

    function undo() {
      const previous = S.undo.pop();
      if (!previous) { setStatus("Nothing to undo.", ""); return; }
      S.mask = previous.mask; S.mode = previous.mode;
      showMode(); render(); keepPainting();
    }

    function toggleMode() {
      if (!S.slice) return;
      pushUndo();
      const from = unpainted();
      S.mode = S.mode === "scribble" ? "full" : "scribble";
      const to = unpainted();
      for (let i = 0; i < S.mask.length; i++) if (S.mask[i] === from) S.mask[i] = to;
      showMode(); render(); keepPainting();
    }

    function showMode() {
      $("mode").textContent = (S.mode === "scribble" ? "Scribble" : "Full mask") + " ";
      $("mode").append(Object.assign(document.createElement("kbd"), { textContent: "S" }));
      $("mode").classList.toggle("on", S.mode === "scribble");
      $("mode-help").textContent = S.mode === "scribble"
        ? "Scribble: only painted pixels are labeled; the rest are recorded as not annotated."
        : "Full mask: every unpainted pixel is recorded as background.";
    }

    function pickClass(id) {
      S.cls = id; S.tool = "brush";
      for (const button of document.querySelectorAll("#classes button")) button.classList.toggle("on", Number(button.dataset.cls) === id);
      $("tool-brush").classList.add("on"); $("tool-eraser").classList.remove("on");
    }

    function pickTool(tool) {
      S.tool = tool;
      $("tool-brush").classList.toggle("on", tool === "brush"); $("tool-eraser").classList.toggle("on", tool === "eraser");
    }

    // MARK: - Submission, lease, progress

    function setStatus(text, kind) {
      $("status").textContent = text;
      $("status").className = kind || "";
      $("status").dataset.kind = kind || "";
    }

    async function submit() {
      if (!S.slice) return;
      const slice = S.slice;
      const seconds = Math.round((Date.now() - S.shownAt) / 100) / 10;
      const body = { experiment: S.experiment, slice: slice.id, kind: S.mode, seconds, width: S.width, height: S.height, mask: encodeBytes(S.mask) };
      keepPainting();
      $("submit").disabled = true;
      try {
        const done = await api("/api/submit", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        localStorage.removeItem(storageKey());
        setStatus("Submitted slice " + slice.id + " (annotation " + done.annotationId + ", " + seconds + " s). " +
          done.remaining + " slice(s) of this round still to annotate.", "ok");
        document.body.dataset.submitted = String(slice.id);
        await loadNext();
      } catch (error) {
        const ranOut = serverNow() > slice.leaseExpiresMs;
        const why = ranOut ? "Your lease on slice " + slice.id + " ran out at " + clock(slice.leaseExpiresMs) + ". " : "";
        setStatus("Not submitted. " + why + error.message + ". Your painting is kept in this browser; " +
          (error.status === 409 ? "it comes back if this slice is given to you again." : "try Submit again."), "error");
        document.body.dataset.refused = String(slice.id);
      } finally {
        $("submit").disabled = false;
      }
    }

    function serverNow() { return Date.now() + S.serverOffset; }

    function clock(ms) { return new Date(ms).toLocaleTimeString(); }

    function minutes(seconds) {
      seconds = Math.max(0, Math.floor(seconds));
      return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    }

    function tick() {
      if (!S.slice) return;
      $("elapsed").textContent = minutes((Date.now() - S.shownAt) / 1000);
      const left = (S.slice.leaseExpiresMs - serverNow()) / 1000;
      const lease = $("lease");
      lease.className = left <= 0 ? "expired" : left < 60 ? "soon" : "";
      lease.textContent = left <= 0 ? "expired at " + clock(S.slice.leaseExpiresMs) + " (submit still works unless someone else took it)"
        : minutes(left) + " left (until " + clock(S.slice.leaseExpiresMs) + ")";
    }

    function showProgress(progress) {
      S.serverOffset = progress.serverTimeMs - Date.now();
      const people = progress.annotators.map((a) => escapeHTML(a.name) + " (" + a.leased + ")").join(", ") || "nobody";
      $("progress").innerHTML = "round: <b id=\"waiting\">" + progress.waiting + "</b> of " + progress.total +
        " slice(s) left, " + progress.unleased + " not yet handed out · annotating now: <b id=\"annotators\">" + people + "</b>";
    }

    async function refreshProgress() {
      if (!S.experiment || !S.token || $("desk").hidden) return;
      try { showProgress(await api("/api/progress?experiment=" + S.experiment)); } catch (error) { /* shown on the next call */ }
    }

    // MARK: - Wiring

    function keyDown(event) {
      if (event.target.tagName === "INPUT" && event.target.type !== "range") return;
      if ($("desk").hidden) return;
      const key = event.key;
      if (key >= "0" && key <= "3") pickClass(Number(key));
      else if (key === "b" || key === "B") pickTool("brush");
      else if (key === "e" || key === "E") pickTool("eraser");
      else if (key === "s" || key === "S") toggleMode();
      else if (key === "[" || key === "]") {
        const brush = $("brush");
        brush.value = String(Math.max(0.5, Math.min(40, parseFloat(brush.value) + (key === "]" ? 0.5 : -0.5))));
      } else if (key === "+" || key === "=" || key === "-") {
        $("zoom").value = String(parseInt($("zoom").value, 10) + (key === "-" ? -1 : 1)); applyZoom();
      } else if (key === "r" || key === "R") { $("window").value = "1"; $("level").value = "0.5"; render(); if (S.slice) renderNeighbours(S.slice); }
      else if (key === "z" || key === "Z") undo();
      else if (key === "Enter") submit();
      else return;
      event.preventDefault();
    }

    function setUp() {
      for (const c of CLASSES) {
        const button = document.createElement("button");
        button.dataset.cls = String(c.id);
        button.innerHTML = "<span class=\"swatch\" style=\"background:rgb(" + c.color.join(",") + ")\"></span>" + c.name + " <kbd>" + c.id + "</kbd>";
        button.addEventListener("click", () => pickClass(c.id));
        $("classes").append(button);
      }
      pickClass(1);
      $("signin-form").addEventListener("submit", signIn);
      $("signout").addEventListener("click", signOut);
      $("tool-brush").addEventListener("click", () => pickTool("brush"));
      $("tool-eraser").addEventListener("click", () => pickTool("eraser"));
      $("mode").addEventListener("click", toggleMode);
      $("undo").addEventListener("click", undo);
      $("submit").addEventListener("click", submit);
      $("reset-view").addEventListener("click", () => { $("window").value = "1"; $("level").value = "0.5"; render(); if (S.slice) renderNeighbours(S.slice); });
      for (const id of ["window", "level"]) $(id).addEventListener("input", () => { render(); if (S.slice) renderNeighbours(S.slice); });
      $("zoom").addEventListener("input", applyZoom);
      const canvas = $("canvas");
      canvas.addEventListener("pointerdown", pointerDown);
      canvas.addEventListener("pointermove", pointerMove);
      canvas.addEventListener("pointerup", pointerUp);
      canvas.addEventListener("pointercancel", pointerUp);
      $("viewport").addEventListener("wheel", (event) => {
        event.preventDefault();
        $("zoom").value = String(parseInt($("zoom").value, 10) + (event.deltaY < 0 ? 1 : -1)); applyZoom();
      }, { passive: false });
      document.addEventListener("keydown", keyDown);
      setInterval(tick, 1000);
      setInterval(refreshProgress, 5000);
      const wanted = new URLSearchParams(location.search).get("experiment");
      if (wanted) $("experiment").value = wanted;
      if (S.token) signIn();
    }
    setUp();
    """#
}
