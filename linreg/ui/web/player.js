/*
 * A player for Plotly frames that keeps time: frame i shows at the screen refresh nearest to
 * start + i * period. Plotly's own player instead waits a frame's duration *after* drawing it
 * (and then for the next refresh), so its 33 ms frames play at about 20 fps. A frame that
 * comes too late is skipped, never queued, so a slow machine plays fewer frames in the same
 * time.
 *
 * Plain script, no imports or exports: the live chart (plot.js) loads it as a module, and the
 * exported HTML page inlines it. It defines two globals:
 *
 *   linregTimeline(count, period, show, done) -> stop
 *       calls show(i) for i = 0 .. count - 1 on that schedule, then done(); stop() ends it.
 *   linregPlayer(gd, Plotly)
 *       takes over a figure's Play and Pause buttons (updatemenus: Play is the button whose
 *       args[0] is null; its frame duration is the period). Idempotent: call it again after
 *       every Plotly.react.
 */
window.linregTimeline = function (count, period, show, done) {
  const start = performance.now();
  let shown = -1;
  let id = null;
  const tick = () => {
    const due = Math.min(count - 1, Math.round((performance.now() - start) / period));
    if (due > shown) {
      shown = due;
      show(due);
    }
    if (shown >= count - 1) {
      id = null;
      if (done) done();
      return;
    }
    id = requestAnimationFrame(tick);
  };
  tick();
  return () => {
    if (id !== null) cancelAnimationFrame(id);
    id = null;
  };
};

window.linregPlayer = function (gd, Plotly) {
  Plotly = Plotly || window.Plotly;
  const isPlay = (button) =>
    button.method !== undefined && Array.isArray(button.args) && button.args[0] === null;
  const menus = (gd.layout && gd.layout.updatemenus) || [];
  const m = menus.findIndex((menu) => (menu.buttons || []).some((b) => isPlay(b)));
  if (m < 0) return;
  const b = menus[m].buttons.findIndex((button) => isPlay(button));
  // Plotly runs nothing for a "skip" button; it still fires plotly_buttonclicked.
  if (menus[m].buttons[b].method !== "skip") {
    Plotly.relayout(gd, { [`updatemenus[${m}].buttons[${b}].method`]: "skip" });
  }
  if (gd.__linregPlayer) return;
  gd.__linregPlayer = { stop: () => {} };
  const still = { frame: { duration: 0, redraw: false }, transition: { duration: 0 },
                  mode: "immediate" };
  const stop = () => gd.__linregPlayer.stop();
  gd.on("plotly_buttonclicked", (event) => {
    const button = event.button || {};
    stop();
    if (!isPlay(button)) return; // Pause: Plotly has already stopped its own animation
    const names = ((gd._transitionData && gd._transitionData._frames) || []).map((f) => f.name);
    if (!names.length) return;
    const slider = gd._fullLayout.sliders && gd._fullLayout.sliders[0];
    let from = slider && slider.active !== undefined ? slider.active : 0;
    if (from >= names.length - 1) from = 0; // at the end: play from the start
    const period = Math.max(1, button.args[1].frame.duration);
    gd.__linregPlayer.stop = window.linregTimeline(names.length - from, period, (i) => {
      Plotly.animate(gd, [names[from + i]], still).catch(() => {});
    });
  });
  gd.on("plotly_sliderstart", stop); // the user takes the slider: stop playing
};
