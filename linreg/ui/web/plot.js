/*
 * The live chart and the ticker. Loaded once per page: with each update, the components in
 * linreg/ui/plot.py send only a loader of a few hundred bytes, which imports this module.
 *
 * chart(component, urls): one Plotly graph div per key, updated in place by Plotly.react,
 * which honours layout.uirevision (zoom and the 3-D camera stay where the user put them).
 *   - Plotly is the plotly.min.js of the installed plotly package (urls.plotly), loaded once
 *     by a script tag.
 *   - Static items, traces by uid and layout images by name, listed in data.revisions, are
 *     kept per chart under their id and revision and reused as the very same objects, so
 *     Plotly does not recompute them. The server sends one only when it has not sent this
 *     chart that revision yet; otherwise a stub {uid or name, linreg_kept: true}. A stub this
 *     chart cannot fill (its element was remounted) is left out of the draw and asked for
 *     again: the trigger "missing" makes the server resend.
 *   - When only moving scatter traces changed, Plotly.animate without redraw moves them; the
 *     steps in between (spec.between) play first, one per data.frame_ms, on the timeline of
 *     player.js.
 *   - One queue per page draws the charts: 2-D charts first, each in a task of its own when
 *     drawing takes long, so the browser paints one before drawing the next; then, after a
 *     paint, 3-D charts (WebGL, rendered in software without a GPU), which never hold back a
 *     2-D chart. A 3-D chart's first draw, which sets up WebGL, waits until the 2-D charts
 *     have been quiet for a moment; after that it is redrawn at most once per four of its
 *     own measured *redraw* times, the newest figure winning.
 *
 * ticker(component): paces a live run from the browser (see `ticker` in plot.py).
 */

const here = new URL(import.meta.url);
await import(new URL("player.js" + here.search, here).href); // linregTimeline, linregPlayer

const THREE_D = new Set(["surface", "scatter3d", "mesh3d", "cone", "streamtube", "volume",
                         "isosurface"]);
const STILL = { frame: { duration: 0, redraw: false }, transition: { duration: 0 },
                mode: "immediate" };

// ---- Plotly, once per page -----------------------------------------------------------------

let Plotly = null;
let loading = null;

function loadPlotly(url) {
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () => {
        // Our own reference: a later bundle (st.plotly_chart's) may reassign window.Plotly.
        Plotly = window.Plotly;
        performance.mark("linreg:plotly");
        resolve(Plotly);
      };
      script.onerror = () => {
        loading = null; // try again with the next update
        reject(new Error(`Plotly could not be loaded from ${url}`));
      };
      document.head.appendChild(script);
    });
  }
  return loading;
}

// ---- the draw queue ------------------------------------------------------------------------

const queue = []; // graph divs with a draw waiting (div.__draw: the newest figure's)
let pumping = false;
let lastLight = 0; // when a 2-D chart last asked to be drawn
const afterPaint = (fn) => requestAnimationFrame(() => setTimeout(fn));

function enqueue(div) {
  if (!queue.includes(div)) queue.push(div);
  if (!div.__heavy) lastLight = performance.now();
  if (!pumping) {
    pumping = true;
    setTimeout(pump);
  }
}

function run(div) {
  const at = queue.indexOf(div);
  if (at >= 0) queue.splice(at, 1);
  const draw = div.__draw;
  div.__draw = null;
  try {
    if (draw) draw();
  } catch (err) {
    console.error(err); // one chart's failure must not stop the queue
  }
}

function pump() {
  const began = performance.now();
  for (let div; (div = queue.find((d) => !d.__heavy)); ) {
    run(div);
    if (queue.length && performance.now() - began > 30) return afterPaint(pump);
  }
  if (!queue.length) {
    pumping = false;
    return;
  }
  const heavy = queue[0];
  const quiet = performance.now() - lastLight;
  if (!heavy.__drawnAt && quiet < 100) return setTimeout(pump, 100 - quiet);
  afterPaint(() => {
    if (queue.some((d) => !d.__heavy)) return pump(); // 2-D charts came meanwhile: first
    // A click or a key waiting (Pause, say) goes before a long WebGL redraw.
    if (navigator.scheduling?.isInputPending?.()) return setTimeout(pump);
    run(heavy);
    afterPaint(pump);
  });
}

// A 3-D chart: at most once per four of its redraw times (once it has a measured one), so
// that it takes at most a fifth of the time.
function throttled(div) {
  const cost = div.__cost || 0;
  const wait = cost > 40 ? 4 * cost - (performance.now() - div.__drawnAt) : 0;
  div.dataset.held = Math.max(0, Math.round(wait)); // for tests: how long this update waits
  if (wait <= 0) return enqueue(div);
  if (!div.__timer) {
    div.__timer = setTimeout(() => {
      div.__timer = null;
      if (div.__draw) throttled(div);
    }, wait);
  }
}

// ---- the chart -----------------------------------------------------------------------------

export function chart(component, urls) {
  const { data, parentElement, setTriggerValue } = component;
  let div = parentElement.querySelector("div.linreg-plot");
  if (!div) {
    div = document.createElement("div");
    div.className = "linreg-plot";
    div.style.width = "100%";
    div.style.minHeight = data.height + "px";
    div.dataset.testid = "linreg-plot";
    parentElement.appendChild(div);
    div.__kept = {};
    div.__asked = {};
  }
  div.dataset.key = data.key;
  const spec = JSON.parse(data.spec);
  const between = spec.between || [];
  delete spec.between;
  spec.config = data.config;
  const revisions = data.revisions;

  const missing = [];
  const keep = (item, id) => {
    const revision = revisions[id];
    if (id === undefined || revision === undefined) return item;
    const kept = div.__kept[id];
    if (kept && kept.revision === revision) return kept.item;
    if (item.linreg_kept) {
      missing.push(id);
      return null;
    }
    div.__kept[id] = { revision, item };
    return item;
  };
  spec.data = spec.data.map((t) => keep(t, t.uid)).filter(Boolean);
  if (spec.layout.images) {
    spec.layout.images = spec.layout.images.map((im) => keep(im, im.name)).filter(Boolean);
  }
  if (missing.length) ask(div, missing, setTriggerValue);

  const fixed = spec.data.map((t) => t.uid !== undefined && revisions[t.uid] !== undefined);
  const heavy = spec.data.some((t) => THREE_D.has(t.type));
  const layout = JSON.stringify(spec.layout);
  const shape = spec.data
    .map((t, i) => t.type + (fixed[i] ? ":" + revisions[t.uid] : "")).join(",");
  const movable =
    !heavy && !spec.frames && spec.data.every((t, i) => fixed[i] || t.type === "scatter");
  const indices = spec.data.map((t, i) => i).filter((i) => !fixed[i]);

  div.__heavy = heavy;
  div.__draw = () => {
    if (div.__stop) div.__stop(); // the steps between the last two updates, if still playing
    div.__stop = null;
    const quick = movable && div.__layout === layout && div.__shape === shape;
    div.__layout = layout;
    div.__shape = shape;
    div.dataset.revision = data.revision;
    let done;
    if (quick) {
      // The steps between the last update and this one, then this one, on a timeline: a live
      // run looks smooth even when the server's updates come a few times a second.
      const frames = [...between, indices.map((i) => spec.data[i])]
        .map((traces) => ({ data: traces, traces: indices }));
      done = frames.length === 1 ? Plotly.animate(div, frames, STILL) : new Promise((resolve) => {
        div.__stop = window.linregTimeline(frames.length, data.frame_ms, (i) => {
          Plotly.animate(div, [frames[i]], STILL).catch(() => {});
        }, resolve);
      });
    } else {
      const began = performance.now();
      // A 3-D chart's cost runs until the next paint: WebGL renders (in software here) after
      // Plotly.react has returned, and reads pixels back for hovering.
      const painted = heavy ? () => new Promise((resolve) => afterPaint(resolve)) : () => {};
      done = Plotly.react(div, spec).then(painted).then(() => {
        const now = performance.now();
        // The cost of redraws: not of the first draw (which sets up WebGL) nor of the first
        // redraw (still warming up: three times the later ones here), and the least of the
        // last three, since one may have been slowed by something else.
        div.__draws = (div.__draws || 0) + 1;
        if (heavy && div.__draws > 2) {
          div.__costs = [...(div.__costs || []), now - began].slice(-3);
          div.__cost = Math.min(...div.__costs);
        }
        div.__drawnAt = now;
        if (spec.frames) window.linregPlayer(div, Plotly);
      });
    }
    return done.then(() => {
      if (!div.__marked) performance.mark(`linreg:drawn ${data.key}`);
      div.__marked = true;
    }, (err) => report(parentElement, div, err));
  };
  loadPlotly(urls.plotly).then(() => (heavy ? throttled(div) : enqueue(div)),
                               (err) => report(parentElement, div, err));
}

// At most one request every two seconds per item, should the answer itself get lost.
function ask(div, ids, setTriggerValue) {
  const now = performance.now();
  const fresh = ids.filter((id) => !(now - (div.__asked[id] ?? -Infinity) < 2000));
  if (!fresh.length) return;
  for (const id of fresh) div.__asked[id] = now;
  setTriggerValue("missing", fresh);
}

function report(parentElement, div, err) {
  // A newer update interrupting an animation rejects it without an Error: that's fine.
  if (!(err instanceof Error)) return;
  let note = parentElement.querySelector("p.linreg-plot-error");
  if (!note) {
    note = document.createElement("p");
    note.className = "linreg-plot-error";
    parentElement.insertBefore(note, div);
  }
  note.textContent = "This chart could not be drawn: " + err.message;
}

// ---- the ticker ----------------------------------------------------------------------------

export function ticker(component) {
  // Paces a live run from the browser: once this update has been painted (and a short
  // breath later), ask the server for the next one. Never more than one request is in
  // flight, so a slow machine gets fewer, complete updates instead of a backlog. The
  // charts meanwhile play the steps between two updates (see `between` above).
  // It presses a hidden button that sits in the same fragment as the charts: a button in a
  // fragment reruns only that fragment (a component's own trigger would rerun the page).
  const { data } = component;
  clearTimeout(window.__linregTick);
  clearTimeout(window.__linregWatch);
  if (!data.running) return;
  const press = () => {
    const button = document.querySelector(".st-key-" + data.button + " button");
    if (button) button.click();
  };
  const ask = () => {
    clearTimeout(window.__linregTick);
    window.__linregTick = setTimeout(press, data.delay);
  };
  requestAnimationFrame(() => requestAnimationFrame(ask));
  // A watchdog, should an update get lost on the way.
  window.__linregWatch = setTimeout(ask, 3000);
}
