// The tower explorer of notebook 07 in the browser: controls, drawing, pointer handling, model sync.
//
// One module serves two hosts:
//   * JupyterLab, as an anywidget front end: companion.towers_view.TowerExplorer loads it, and the
//     widget model carries the state both sides read and set;
//   * docs/explorer.html, the same explorer with no Python at all (companion.explorer_page), with the
//     in-page model of controls.js.
// The host puts in front of this file the targets, towers_math.js (the math, a mirror of
// companion.towers) and controls.js (the slider and the model sync both explorers use): see
// companion.towers_view.esm_source.
/* global TARGET_FUNCTIONS, linspace, GRID, towerEdges, towerCentres, towerSum, fitError,
   zoomTower, fitHeights, centreHeights, formatW, describe, element, row, makeSlider, modelSync, setAttr,
   setText, reportFrame, fill */

const STATE_KEYS = ["target", "kind", "w", "n", "heights", "selected", "bound", "heights_source"];

// --------------------------------------------------------------------------------------- drawing

/** Data -> canvas pixels of one axes: {sx, ox, sy, oy, clip: [left, top, width, height]}. */
const px = (map, x) => map.sx * x + map.ox;
const py = (map, y) => map.sy * y + map.oy;

function strokePolyline(ctx, map, xs, ys, style) {
  ctx.save();
  ctx.strokeStyle = style.color;
  ctx.globalAlpha = style.alpha;
  ctx.lineWidth = style.width;
  ctx.lineCap = style.cap;
  ctx.lineJoin = style.join;
  ctx.setLineDash(style.dash || []);
  ctx.beginPath();
  for (let i = 0; i < xs.length; i++) {
    const u = px(map, xs[i]);
    const v = py(map, ys[i]);
    if (i === 0) ctx.moveTo(u, v);
    else ctx.lineTo(u, v);
  }
  ctx.stroke();
  ctx.restore();
}

function dots(ctx, map, xs, ys, style) {
  ctx.save();
  ctx.globalAlpha = style.alpha;
  ctx.fillStyle = style.face;
  ctx.strokeStyle = style.edge;
  ctx.lineWidth = style.edge_width;
  for (let i = 0; i < xs.length; i++) {
    ctx.beginPath();
    ctx.arc(px(map, xs[i]), py(map, ys[i]), style.radius, 0, 2 * Math.PI);
    if (style.face !== "none") ctx.fill();
    ctx.stroke();
  }
  ctx.restore();
}

function clipTo(ctx, map) {
  const [left, top, width, height] = map.clip;
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
}

/** The canvas of the figure and the still picture of every target, drawn under the moving lines. */
function makeFigure(fig) {
  const canvas = element("canvas", "towers-canvas", { role: "img" });
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(fig.width * dpr);
  canvas.height = Math.round(fig.height * dpr);
  canvas.style.width = `${fig.width}px`;
  const box = element("div", "towers-figure");
  box.append(canvas);
  const pictures = {};
  for (const [name, url] of Object.entries(fig.backgrounds)) {
    pictures[name] = new Image();
    pictures[name].src = url;
  }
  return { canvas, box, ctx: canvas.getContext("2d"), dpr, pictures };
}

/** The left panel: the selected tower shaded, the ideal towers, the sum, the heights' dots. */
function drawMain(ctx, fig, s, sum) {
  const { main, styles } = fig;
  const edges = towerEdges(s.n);
  const centres = towerCentres(s.n);
  const h = s.heights;
  const k = Math.min(s.selected, s.n - 1);
  ctx.save();
  clipTo(ctx, main);
  // the selected tower, shaded: never narrower than fig.min_span_px, so it shows at N = 100
  let left = px(main, edges[k]);
  let right = px(main, edges[k + 1]);
  const grow = Math.max(0, fig.min_span_px - (right - left)) / 2;
  [left, right] = [left - grow, right + grow];
  ctx.fillStyle = styles.span.color;
  ctx.globalAlpha = styles.span.alpha;
  ctx.fillRect(left, main.clip[1], right - left, main.clip[3]);
  ctx.globalAlpha = 1;
  // ideal towers: flat between edges, so N + 1 corners drawn as steps
  const stepX = [];
  const stepY = [];
  for (let j = 0; j < s.n; j++) stepX.push(edges[j], edges[j + 1]), stepY.push(h[j], h[j]);
  strokePolyline(ctx, main, stepX, stepY, styles.ideal);
  strokePolyline(ctx, main, GRID, sum, styles.sum);
  if (s.n <= fig.max_dots) dots(ctx, main, centres, h, styles.heights); // more would hide the lines
  dots(ctx, main, [centres[k]], [h[k]], styles.selected);
  ctx.restore();
}

/** The right panel: one tower of height 1 up close, its two steps and their sum. */
function drawZoom(ctx, fig, s, zoomU) {
  const close = zoomTower(zoomU, s.w, s.n, s.kind);
  ctx.save();
  clipTo(ctx, fig.zoom);
  strokePolyline(ctx, fig.zoom, zoomU, close.up, fig.styles.up);
  strokePolyline(ctx, fig.zoom, zoomU, close.down, fig.styles.down);
  strokePolyline(ctx, fig.zoom, zoomU, close.tower, fig.styles.tower);
  ctx.restore();
}

// -------------------------------------------------------------------------------------- controls

/** The first row: the target menu, the kind of units, auto-fit. */
function makeTopRow(model, fig, act) {
  const W = model.get("words");
  const select = element("select", "", { "aria-label": W.target });
  for (const [name, formula] of model.get("targets")) select.add(new Option(`${name}: ${formula}`, name));
  select.addEventListener("change", () => act.setTarget(select.value));
  const targetLabel = element("label");
  targetLabel.append(`${W.target} `, select);
  const kindButtons = Object.entries(W.kinds).map(([kind, text]) => {
    const b = element("button", "towers-kind", { type: "button", text, "data-kind": kind });
    b.addEventListener("click", () => act.update({ kind }));
    return b;
  });
  const kindGroup = element("span", "", { role: "group", "aria-label": W.units });
  kindGroup.append(...kindButtons);
  const fitButton = element("button", "towers-fit", {
    type: "button", text: W.auto_fit, title: W.auto_fit_title,
  });
  fitButton.addEventListener("click", act.autoFit);
  return { row: row(targetLabel, kindGroup, fitButton), select, kindButtons };
}

/** The four sliders: steepness w (on the grid the kernel sends), towers N, the tower to edit and its
 *  height (position i is the height i * height_step). */
function makeSliders(model, fig, act) {
  const wGrid = model.get("w_grid");
  const hStep = fig.height_step;
  const [hLo, hHi] = fig.height_range;
  const W = model.get("words");
  const height = (i) => Number((i * hStep).toFixed(2));
  return {
    w: makeSlider({
      label: W.steepness, lo: 0, hi: wGrid.length - 1, valueOf: (i) => wGrid[i],
      text: (i) => formatW(wGrid[i]), onInput: (i) => act.update({ w: wGrid[i] }),
    }),
    n: makeSlider({
      label: W.towers, lo: 1, hi: fig.max_towers, valueOf: (i) => i, text: String, onInput: act.setN,
    }),
    tower: makeSlider({
      label: W.edit, lo: 1, hi: model.get("n"), valueOf: (i) => i, text: String,
      onInput: (i) => act.update({ selected: i - 1 }),
    }),
    height: makeSlider({
      label: W.height, lo: Math.round(hLo / hStep), hi: Math.round(hHi / hStep), valueOf: height,
      text: (i) => (i * hStep).toFixed(2), onInput: (i) => act.setHeight(model.get("selected"), height(i)),
    }),
  };
}

/** The controls and the words follow the state drawn. */
function showState(view, fig, model, s, error) {
  const k = Math.min(s.selected, s.n - 1);
  const h = s.heights[k];
  const wGrid = model.get("w_grid");
  const logDistance = (i) => Math.abs(Math.log(wGrid[i] / s.w));
  const nearestW = wGrid.reduce((best, _, i) => (logDistance(i) < logDistance(best) ? i : best), 0);
  if (view.select.value !== s.target) view.select.value = s.target;
  for (const b of view.kindButtons) setAttr(b, "aria-pressed", String(b.dataset.kind === s.kind));
  // the exact w and height, also when Python set one off the slider's grid
  view.sliders.w.set(nearestW, null, [s.w, formatW(s.w)]);
  view.sliders.n.set(s.n);
  view.sliders.tower.set(k + 1, [1, s.n]);
  view.sliders.height.set(Math.round(h / fig.height_step), null, [h, h.toFixed(2)]);
  const text = describe(s, error, model.get("words"));
  setText(view.status, text);
  const met = error.maxAbs <= s.bound;
  if (view.status.classList.contains("explorer-met") !== met) view.status.classList.toggle("explorer-met");
  setAttr(view.figure.canvas, "aria-label", `${model.get("words").figure} ${text}`);
}

// ------------------------------------------------------------------------------ pointer handling

/** Dragging a tower top sets its height; a press in a tower's column selects that tower. */
function attachPointer(canvas, fig, model, act) {
  const GRAB_PX = 10;
  const main = fig.main;
  const toFigure = (event) => {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * (fig.width / box.width),
      (event.clientY - box.top) * (fig.height / box.height)];
  };
  const towerAt = (u) => {
    const n = model.get("n");
    return Math.min(Math.max(Math.floor(((u - main.ox) / main.sx) * n), 0), n - 1);
  };
  const [left, top, width, height] = main.clip;
  const inMain = ([u, v]) => u >= left && u <= left + width && v >= top && v <= top + height;
  const nearTop = ([u, v]) => Math.abs(v - py(main, model.get("heights")[towerAt(u)])) <= GRAB_PX;
  const hStep = fig.height_step;
  const heightAt = (v) => Number((Math.round((v - main.oy) / main.sy / hStep) * hStep).toFixed(2));
  let dragging = null;
  canvas.addEventListener("pointerdown", (event) => {
    const p = toFigure(event);
    if (!inMain(p)) return;
    const k = towerAt(p[0]);
    act.update({ selected: k });
    if (nearTop(p)) {
      dragging = k;
      canvas.setPointerCapture(event.pointerId);
      event.preventDefault();
    }
  });
  canvas.addEventListener("pointermove", (event) => {
    const p = toFigure(event);
    if (dragging !== null) act.setHeight(dragging, heightAt(p[1]));
    else canvas.style.cursor = inMain(p) && nearTop(p) ? "ns-resize" : "default";
  });
  const endDrag = () => { dragging = null; };
  canvas.addEventListener("pointerup", endDrag);
  canvas.addEventListener("pointercancel", endDrag);
}

// ------------------------------------------------------------------------------------ model sync

/** What a reader's move changes in the model; `update` is modelSync's (the kernel hears it later). */
function actions(model, fig, update) {
  const W = model.get("words");
  const readOff = (n, target) => ({
    heights: centreHeights(TARGET_FUNCTIONS[target], n), heights_source: W.read_off,
  });
  return {
    update,
    setTarget: (target) => update({ target, ...readOff(model.get("n"), target) }),
    setN: (n) => update({
      n, selected: Math.min(model.get("selected"), n - 1), ...readOff(n, model.get("target")),
    }),
    setHeight(k, value) {
      const heights = [...model.get("heights")];
      heights[k] = Math.min(Math.max(value, fig.height_range[0]), fig.height_range[1]);
      update({ heights, heights_source: W.by_hand });
    },
    autoFit() {
      const [target, n, w, kind] = ["target", "n", "w", "kind"].map((key) => model.get(key));
      const fit = fitHeights(TARGET_FUNCTIONS[target], n, w, kind, fig.max_condition);
      const tooGentle = fill(W.too_gentle, { w: formatW(1.3 * n) });
      update(fit.heights
        ? { heights: Array.from(fit.heights), heights_source: fill(W.auto_fitted, { w: formatW(w) }) }
        : { ...readOff(n, target), heights_source: tooGentle });
    },
  };
}

/** One frame: everything that depends on the state; then reportFrame. */
function drawFrame(view, fig, model, el, reschedule) {
  const s = Object.fromEntries(STATE_KEYS.map((key) => [key, model.get(key)]));
  const picture = view.figure.pictures[s.target];
  if (!picture.complete) {
    picture.decode().then(reschedule, reschedule);
    return;
  }
  const target = TARGET_FUNCTIONS[s.target];
  const error = fitError(target, s.heights, s.w, s.kind);
  const { ctx, dpr } = view.figure;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.drawImage(picture, 0, 0, fig.width, fig.height);
  drawMain(ctx, fig, s, towerSum(GRID, s.heights, s.w, s.kind));
  drawZoom(ctx, fig, s, view.zoomU);
  showState(view, fig, model, s, error);
  view.frames += 1;
  reportFrame(el, { frames: view.frames, state: s, error });
}

/** Render the explorer into `el` and keep it in step with `model` (anywidget's interface: get, set,
 *  on, off, save_changes). Returns the function that removes the listeners. */
function render({ model, el }) {
  const fig = model.get("figure");
  const sync = modelSync(model);
  const act = actions(model, fig, sync.update);
  const top = makeTopRow(model, fig, act);
  const sliders = makeSliders(model, fig, act);
  const figure = makeFigure(fig);
  const status = element("div", "explorer-status", { "aria-live": "polite" });
  const root = element("div", "explorer tower-explorer");
  root.append(top.row, row(sliders.w.root, sliders.n.root), row(sliders.tower.root, sliders.height.root),
    figure.box, status);
  el.append(root);
  attachPointer(figure.canvas, fig, model, act);
  const view = { ...top, sliders, figure, status, zoomU: linspace(...fig.zoom_u), frames: 0 };
  return sync.watch(STATE_KEYS, (reschedule) => drawFrame(view, fig, model, el, reschedule));
}

export default { render };
