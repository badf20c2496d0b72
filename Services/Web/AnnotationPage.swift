// The annotation page: one self-contained HTML document (no CDN, no external file) with its style; the script
// is in AnnotationPage+Script.swift. Served at / by activeseg-web.
enum AnnotationPage {
  static let html = head + body + "<script>\n" + script + "\n</script>\n</body>\n</html>\n"

  static let head = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>ActiveSeg annotation</title>
    <link rel="icon" href="data:,">
    <style>
      :root { --bg:#15181d; --panel:#1f242c; --text:#e6e9ee; --muted:#98a2b3; --accent:#4f9cf7; --bad:#f26d6d; --good:#5fd38d; }
      * { box-sizing: border-box; }
      body { margin:0; font:14px/1.4 system-ui, sans-serif; background:var(--bg); color:var(--text); }
      header { display:flex; gap:16px; align-items:center; padding:8px 16px; background:var(--panel); border-bottom:1px solid #2c333d; }
      header h1 { font-size:16px; margin:0; }
      header .spacer { flex:1; }
      button { background:#2c333d; color:var(--text); border:1px solid #3a4350; border-radius:4px; padding:4px 10px; cursor:pointer; font:inherit; }
      button.on { background:var(--accent); border-color:var(--accent); color:#fff; }
      button.primary { background:var(--good); color:#10261a; border-color:var(--good); font-weight:600; }
      input[type=text], input[type=password], input[type=number] { background:#10131a; color:var(--text); border:1px solid #3a4350; border-radius:4px; padding:5px 8px; font:inherit; }
      #signin { max-width:420px; margin:60px auto; background:var(--panel); padding:24px; border-radius:8px; }
      #signin label { display:block; margin:12px 0 4px; color:var(--muted); }
      #signin input { width:100%; }
      #signin button { margin-top:16px; width:100%; padding:8px; }
      .error { color:var(--bad); }
      .ok { color:var(--good); }
      #desk { padding:10px 16px; }
      #bar { display:flex; flex-wrap:wrap; gap:18px; margin-bottom:8px; color:var(--muted); }
      #bar b { color:var(--text); }
      #lease.soon { color:#f5b94a; } #lease.expired { color:var(--bad); font-weight:600; }
      #work { display:flex; gap:14px; align-items:flex-start; }
      #viewport { overflow:auto; max-width:calc(100vw - 380px); max-height:calc(100vh - 170px); background:#000; border:1px solid #2c333d; }
      #canvas { display:block; image-rendering:pixelated; cursor:crosshair; touch-action:none; }
      #side { width:330px; display:flex; flex-direction:column; gap:10px; }
      .group { background:var(--panel); border-radius:6px; padding:8px 10px; }
      .group h2 { font-size:12px; text-transform:uppercase; letter-spacing:.05em; color:var(--muted); margin:0 0 6px; }
      .row { display:flex; gap:6px; flex-wrap:wrap; align-items:center; }
      .swatch { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:5px; }
      input[type=range] { width:150px; }
      #neighbours { display:flex; gap:6px; margin-top:8px; align-items:flex-end; }
      #neighbours figure { margin:0; text-align:center; color:var(--muted); font-size:11px; }
      #neighbours canvas { width:72px; image-rendering:pixelated; border:1px solid #2c333d; display:block; }
      #neighbours figure.current canvas { border-color:var(--accent); }
      #status { min-height:1.4em; margin:8px 0 0; }
      kbd { background:#2c333d; border-radius:3px; padding:0 4px; font-size:12px; }
      #help { color:var(--muted); font-size:12px; }
    </style>
    </head>
    """#

  static let body = #"""
    <body>
    <header>
      <h1>ActiveSeg annotation</h1>
      <span id="who"></span>
      <span class="spacer"></span>
      <button id="signout" hidden>Sign out</button>
    </header>

    <section id="signin">
      <h2>Sign in</h2>
      <form id="signin-form">
        <label for="token">Your annotator token</label>
        <input id="token" type="password" autocomplete="off" placeholder="the token your admin gave you">
        <label for="experiment">Experiment</label>
        <input id="experiment" type="number" min="1" placeholder="experiment number">
        <button id="signin-button" type="submit" class="primary">Sign in</button>
      </form>
      <p id="signin-error" class="error" role="alert"></p>
    </section>

    <section id="desk" hidden>
      <div id="bar">
        <span id="slice-info">no slice</span>
        <span>lease: <b id="lease">–</b></span>
        <span>time spent: <b id="elapsed">0:00</b></span>
        <span id="progress"></span>
      </div>
      <div id="work">
        <div>
          <div id="viewport"><canvas id="canvas" width="1" height="1"></canvas></div>
          <div id="neighbours"></div>
        </div>
        <div id="side">
          <div class="group"><h2>Class</h2><div class="row" id="classes"></div></div>
          <div class="group"><h2>Tool</h2>
            <div class="row">
              <button id="tool-brush" class="on">Brush <kbd>B</kbd></button>
              <button id="tool-eraser">Eraser <kbd>E</kbd></button>
              <button id="mode">Scribble <kbd>S</kbd></button>
            </div>
            <div class="row" style="margin-top:6px">radius <input id="brush" type="number" min="0.5" max="40" step="0.5" value="3" style="width:70px"> px <kbd>[</kbd> <kbd>]</kbd></div>
            <div id="mode-help" style="color:var(--muted);font-size:12px;margin-top:4px"></div>
          </div>
          <div class="group"><h2>View</h2>
            <div class="row">window <input id="window" type="range" min="0.02" max="1.5" step="0.01" value="1"></div>
            <div class="row">level <input id="level" type="range" min="-0.25" max="1.25" step="0.01" value="0.5"></div>
            <div class="row">zoom <input id="zoom" type="range" min="1" max="40" step="1" value="8"> <span id="zoom-value"></span> <kbd>+</kbd> <kbd>-</kbd></div>
            <div class="row"><button id="reset-view">Reset window/level <kbd>R</kbd></button></div>
          </div>
          <div class="group row">
            <button id="undo">Undo <kbd>Z</kbd></button>
            <button id="submit" class="primary">Submit <kbd>Enter</kbd></button>
          </div>
          <div id="help">Classes: <kbd>0</kbd>–<kbd>3</kbd>. Paint with the left button; the mouse wheel over the image zooms.
            In scribble mode pixels you leave unpainted are recorded as not annotated; in full mode as background.</div>
        </div>
      </div>
      <p id="status" role="status"></p>
    </section>
    """#
}
