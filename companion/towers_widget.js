// The tower explorer of notebook 07, drawn and computed in the browser.
//
// One file serves two hosts:
//   * JupyterLab, as an anywidget front end: companion/towers_view.py (TowerExplorer) loads it with the
//     targets prepended (see below), and the widget model carries the state both sides read and set;
//   * docs/explorer.html, the same explorer with no Python at all: tools/build_explorer_page.py puts
//     this file, the targets and the still pictures into one page, with a small in-page model.
//
// The file is in three parts: the math (a line-for-line mirror of companion.towers, which stays the
// reference: tests/test_browser.py compares the two at random states), the sliders, and the view.
//
// The host prepends `const TARGET_FUNCTIONS = {name: (x) => ..., ...}`, generated from the `js`
// expression of each companion.towers.TARGETS entry, so both hosts use the very same targets.
/* global TARGET_FUNCTIONS */

// ------------------------------------------------------------------------------------------ math

/** numpy.linspace(start, stop, num) value for value: start + i * ((stop - start) / (num - 1)), and
 *  exactly `stop` last. The same floating-point operations give the same numbers (an ideal step is
 *  1/2 exactly on an edge, so a sample must sit exactly where numpy puts it). */
export function linspace(start, stop, num) {
  const out = new Float64Array(num);
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/** Where errors are measured: companion.towers.GRID, 1001 points on [0, 1]. */
export const GRID = linspace(0, 1, 1001);

/** The N + 1 edges 0, 1/N, ..., 1 of N equal towers (companion.towers.tower_edges). */
export function towerEdges(n) {
  return linspace(0, 1, n + 1);
}

/** The N centres (k + 1/2) / N (companion.towers.tower_centres). */
export function towerCentres(n) {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = (k + 0.5) / n;
  return out;
}

/** common.functions.sigmoid: 1 / (1 + e^-z), written with e^-|z| so that it never overflows. */
export function sigmoid(z) {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** The ReLU pair relu(z + 1/2) - relu(z - 1/2), which is clip(z + 1/2, 0, 1). */
export function ramp(z) {
  return Math.min(Math.max(z + 0.5, 0), 1);
}

/** A step up at `position` (companion.towers.step): "sigmoid", "relu" or "ideal" (1/2 on the jump). */
export function step(x, position, w, kind) {
  if (kind === "ideal") {
    const d = x - position;
    return d > 0 ? 1 : d < 0 ? 0 : 0.5;
  }
  const z = w * (x - position);
  return kind === "relu" ? ramp(z) : sigmoid(z);
}

/** The sum of N = heights.length towers at each x (companion.towers.tower_sum): the first height plus,
 *  at each inner edge, a step up by the change of height there. */
export function towerSum(xs, heights, w, kind) {
  const n = heights.length;
  const edges = towerEdges(n);
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    let y = heights[0];
    for (let k = 1; k < n; k++) {
      const change = heights[k] - heights[k - 1];
      if (kind === "sigmoid") {
        // Beyond |z| = 40 a sigmoid is 0 or 1 to within 4e-18: no exp needed. At N = 100 and a steep
        // w this skips most of the 99,000 units of a frame (the result moves by < 1e-15).
        const z = w * (xs[i] - edges[k]);
        if (z > 40) y += change;
        else if (z >= -40) y += sigmoid(z) * change;
      } else {
        y += step(xs[i], edges[k], w, kind) * change;
      }
    }
    out[i] = y;
  }
  return out;
}

/** The N x N matrix of towers of height 1 at the points xs (companion.towers.tower_basis): row j,
 *  column k is tower k at xs[j]. The first tower has no left step, the last no right step. */
export function towerBasis(xs, n, w, kind) {
  const edges = towerEdges(n);
  return Array.from(xs, (x) => {
    const row = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const upLeft = k === 0 ? 1 : step(x, edges[k], w, kind);
      const upRight = k === n - 1 ? 0 : step(x, edges[k + 1], w, kind);
      row[k] = upLeft - upRight;
    }
    return row;
  });
}

/** The index of the first edge >= v ("left") or > v ("right"), like numpy.searchsorted. */
function searchSorted(edges, v, side) {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (side === "left" ? edges[mid] < v : edges[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The target at every point of GRID, computed once per target function. */
const gridValues = new Map();
function onGrid(target) {
  if (!gridValues.has(target)) gridValues.set(target, Float64Array.from(GRID, target));
  return gridValues.get(target);
}

/** Largest and mean |sum - target| (companion.towers.fit_error on GRID): {maxAbs, meanAbs}.
 *  For ideal towers the largest error also takes both one-sided limits at every point and edge. */
export function fitError(target, heights, w, kind) {
  const t = onGrid(target);
  const y = towerSum(GRID, heights, w, kind);
  let maxAbs = 0;
  let total = 0;
  for (let i = 0; i < GRID.length; i++) {
    const d = Math.abs(y[i] - t[i]);
    maxAbs = Math.max(maxAbs, d);
    total += d;
  }
  if (kind === "ideal") {
    const n = heights.length;
    const edges = towerEdges(n);
    const clamp = (k) => Math.min(Math.max(k, 0), n - 1);
    for (const p of [...GRID, ...edges]) {
      const f = target(p);
      const left = clamp(searchSorted(edges, p, "left") - 1);
      const right = clamp(searchSorted(edges, p, "right") - 1);
      maxAbs = Math.max(maxAbs, Math.abs(f - heights[left]), Math.abs(f - heights[right]));
    }
  }
  return { maxAbs, meanAbs: total / GRID.length };
}

/** One tower of height 1 up close, in units of its width u (left edge at 0, right edge at 1): the
 *  step up at 0, minus the step up at 1, and their sum. Only w / N sets its shape. */
export function zoomTower(u, w, n, kind) {
  const up = Float64Array.from(u, (v) => step(v, 0, w / n, kind));
  const down = Float64Array.from(u, (v) => -step(v, 1, w / n, kind));
  return { up, down, tower: up.map((v, i) => v + down[i]) };
}

/** x with A x = b, by Gaussian elimination with partial pivoting. A: array of rows (not changed). */
export function solve(A, b) {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(M[r][col]) > Math.abs(M[pivot][col])) pivot = r;
    [M[col], M[pivot]] = [M[pivot], M[col]];
    for (let r = col + 1; r < n; r++) {
      const factor = M[r][col] / M[col][col];
      if (factor === 0) continue;
      for (let c = col; c <= n; c++) M[r][c] -= factor * M[col][c];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let c = r + 1; c < n; c++) s -= M[r][c] * x[c];
    x[r] = s / M[r][r];
  }
  return x;
}

/** The singular values of A (largest first), by one-sided Jacobi rotations of its columns: rotate
 *  pairs of columns until every pair is orthogonal; the column lengths are then the singular values. */
export function singularValues(A) {
  const n = A[0].length;
  const cols = Array.from({ length: n }, (_, k) => Float64Array.from(A, (row) => row[k]));
  const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const a = cols[p];
        const b = cols[q];
        const alpha = dot(a, a);
        const beta = dot(b, b);
        const gamma = dot(a, b);
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < a.length; i++) {
          const ai = a[i];
          a[i] = c * ai - s * b[i];
          b[i] = s * ai + c * b[i];
        }
      }
    }
    if (!rotated) break;
  }
  return cols.map((col) => Math.sqrt(dot(col, col))).sort((u, v) => v - u);
}

/** The 2-norm condition number of A, as numpy.linalg.cond computes it. */
export function conditionNumber(A) {
  const s = singularValues(A);
  return s[0] / s[s.length - 1];
}

/** Auto-fit (companion.towers.fit_heights): heights that make the sum meet the target at every centre.
 *  Returns {heights, cond}; heights is null when the system is worse conditioned than `maxCondition`
 *  (the towers overlap so much that their heights would have to cancel each other out). */
export function fitHeights(target, n, w, kind, maxCondition) {
  const centres = towerCentres(n);
  const values = Float64Array.from(centres, target);
  const A = towerBasis(centres, n, w, kind);
  const cond = conditionNumber(A);
  return { heights: cond <= maxCondition ? solve(A, values) : null, cond };
}

/** The target read off at each centre: the heights of ideal towers. */
export function centreHeights(target, n) {
  return Array.from(towerCentres(n), target);
}

/** One way to write a steepness everywhere (readout, status line, screen readers): whole numbers
 *  from 100 up, three significant digits below (companion.towers_view.format_w does the same). */
export function formatW(w) {
  return w >= 100 ? String(Math.round(w)) : w.toPrecision(3);
}

// --------------------------------------------------------------------------------------- sliders

// Writes to the page only when the value changes: every write makes the browser restyle (and in
// JupyterLab's large page that is a good part of a frame's time).
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}
function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
function setStyle(el, name, value) {
  if (el.style[name] !== value) el.style[name] = value;
}

/** A keyboard- and pointer-driven slider over the integers lo..hi, with real values for screen
 *  readers: `valueOf(i)` is what position i means (aria-valuenow/min/max carry that, not i) and
 *  `text(i)` what the readout and aria-valuetext say. Keys: arrows +-1, PageUp/PageDown +-10,
 *  Home/End to the ends. `onInput(i)` is called on every move made by the reader. */
function makeSlider({ label, lo, hi, valueOf, text, onInput }) {
  const root = document.createElement("div");
  root.className = "towers-slider";
  const name = document.createElement("span");
  name.className = "towers-slider-label";
  name.textContent = label;
  const track = document.createElement("div");
  track.className = "towers-slider-track";
  const handle = document.createElement("div");
  handle.className = "towers-slider-handle";
  handle.tabIndex = 0;
  handle.setAttribute("role", "slider");
  handle.setAttribute("aria-label", label);
  track.append(handle);
  const readout = document.createElement("span");
  readout.className = "towers-slider-readout";
  root.append(name, track, readout);

  const slider = { root, handle, readout, lo, hi, index: lo };
  // (what = null: the real value and its text; a caller may pass them for a value off the grid)
  slider.set = (index, bounds, what = null) => {
    if (bounds) [slider.lo, slider.hi] = bounds;
    slider.index = Math.min(Math.max(index, slider.lo), slider.hi);
    const span = slider.hi - slider.lo;
    setStyle(handle, "left", `${span > 0 ? (100 * (slider.index - slider.lo)) / span : 0}%`);
    const [now, words] = what || [valueOf(slider.index), text(slider.index)];
    setAttr(handle, "aria-valuemin", String(valueOf(slider.lo)));
    setAttr(handle, "aria-valuemax", String(valueOf(slider.hi)));
    setAttr(handle, "aria-valuenow", String(now));
    setAttr(handle, "aria-valuetext", words);
    setText(readout, words);
  };
  const move = (index) => {
    const i = Math.min(Math.max(index, slider.lo), slider.hi);
    if (i !== slider.index) onInput(i);
  };
  handle.addEventListener("keydown", (event) => {
    const i = slider.index;
    const moves = {
      ArrowRight: i + 1, ArrowUp: i + 1, ArrowLeft: i - 1, ArrowDown: i - 1,
      PageUp: i + 10, PageDown: i - 10, Home: slider.lo, End: slider.hi,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    move(moves[event.key]);
  });
  const fromPointer = (event) => {
    const box = track.getBoundingClientRect();
    const f = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
    move(Math.round(slider.lo + f * (slider.hi - slider.lo)));
  };
  track.addEventListener("pointerdown", (event) => {
    track.setPointerCapture(event.pointerId);
    handle.focus();
    fromPointer(event);
  });
  track.addEventListener("pointermove", (event) => {
    if (track.hasPointerCapture(event.pointerId)) fromPointer(event);
  });
  return slider;
}

// ------------------------------------------------------------------------------------------ view

const KIND_LABELS = { sigmoid: "sigmoid", relu: "ReLU pair" };

/** The status line under the figure (companion.towers_view.TowerExplorer.describe says the same). */
export function describe(s, error) {
  const units = `${KIND_LABELS[s.kind]} tower${s.n === 1 ? "" : "s"}`;
  const head = `${s.n} ${units} at steepness w = ${formatW(s.w)}: the sum is at most ` +
    `${error.maxAbs.toFixed(3)} away from the target (mean ${error.meanAbs.toFixed(3)}).`;
  const verdict = error.maxAbs <= s.bound
    ? `Within the challenge bound ${s.bound}.`
    : `The challenge bound is ${s.bound}: not there yet.`;
  return `${head} ${verdict} Heights: ${s.heights_source}.`;
}

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

/** Render the explorer into `el` and keep it in step with `model` (anywidget's interface: get, set,
 *  on, save_changes). Returns a function that removes the listeners. */
function render({ model, el }) {
  const fig = model.get("figure");
  const styles = fig.styles;
  const [hLo, hHi] = fig.height_range;
  const hStep = fig.height_step;
  const wGrid = model.get("w_grid");
  const zoomU = linspace(...fig.zoom_u);
  const state = () => ({
    target: model.get("target"), kind: model.get("kind"), w: model.get("w"), n: model.get("n"),
    heights: model.get("heights"), selected: model.get("selected"), bound: model.get("bound"),
    heights_source: model.get("heights_source"),
  });
  const targetFn = () => TARGET_FUNCTIONS[model.get("target")];

  // Changes made here go to the kernel a moment later, after the frame that shows them, at most one
  // message per SAVE_MS while a slider or a tower top is being moved.
  const SAVE_MS = 80;
  let saveTimer = null;
  const save = () => {
    if (saveTimer === null) saveTimer = setTimeout(() => { saveTimer = null; model.save_changes(); }, SAVE_MS);
  };
  const update = (values) => {
    for (const [key, value] of Object.entries(values)) model.set(key, value);
    save();
  };
  const resetHeights = (n, target) => ({
    heights: centreHeights(TARGET_FUNCTIONS[target], n), heights_source: "the target read off at each centre",
  });

  // ---- the controls
  const root = document.createElement("div");
  root.className = "tower-explorer";
  const top = document.createElement("div");
  top.className = "towers-row";
  const select = document.createElement("select");
  select.setAttribute("aria-label", "target");
  for (const [name, formula] of model.get("targets")) select.add(new Option(`${name}: ${formula}`, name));
  select.addEventListener("change", () => {
    update({ target: select.value, ...resetHeights(model.get("n"), select.value) });
  });
  const targetLabel = document.createElement("label");
  targetLabel.append("target ", select);
  const kindButtons = Object.entries(KIND_LABELS).map(([kind, text]) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "towers-kind";
    b.textContent = text;
    b.dataset.kind = kind;
    b.addEventListener("click", () => update({ kind }));
    return b;
  });
  const kindGroup = document.createElement("span");
  kindGroup.setAttribute("role", "group");
  kindGroup.setAttribute("aria-label", "units");
  kindGroup.append(...kindButtons);
  const fitButton = document.createElement("button");
  fitButton.type = "button";
  fitButton.className = "towers-fit";
  fitButton.textContent = "auto-fit heights";
  fitButton.title = "heights that make the sum meet the target at each centre";
  fitButton.addEventListener("click", () => {
    const s = state();
    const fit = fitHeights(targetFn(), s.n, s.w, s.kind, fig.max_condition);
    if (fit.heights) {
      update({ heights: Array.from(fit.heights), heights_source: `auto-fitted for w = ${formatW(s.w)}` });
    } else {
      update({
        ...resetHeights(s.n, s.target),
        heights_source: `the target at each centre (w below about ${formatW(1.3 * s.n)} is too gentle to auto-fit)`,
      });
    }
  });
  top.append(targetLabel, kindGroup, fitButton);

  const nearestW = (w) => wGrid.reduce((best, v, i) => (Math.abs(Math.log(v / w)) < Math.abs(Math.log(wGrid[best] / w)) ? i : best), 0);
  const wSlider = makeSlider({
    label: "steepness w", lo: 0, hi: wGrid.length - 1, valueOf: (i) => wGrid[i],
    text: (i) => formatW(wGrid[i]), onInput: (i) => update({ w: wGrid[i] }),
  });
  const nSlider = makeSlider({
    label: "towers N", lo: 1, hi: fig.max_towers, valueOf: (i) => i, text: String,
    onInput: (n) => update({ n, selected: Math.min(model.get("selected"), n - 1), ...resetHeights(n, model.get("target")) }),
  });
  const towerSlider = makeSlider({
    label: "edit tower", lo: 1, hi: model.get("n"), valueOf: (i) => i, text: String,
    onInput: (i) => update({ selected: i - 1 }),
  });
  // The height slider moves in steps of hStep: position i is the height i * hStep.
  const setHeight = (k, value) => {
    const heights = [...model.get("heights")];
    heights[k] = Math.min(Math.max(value, hLo), hHi);
    update({ heights, heights_source: "edited by hand" });
  };
  const heightSlider = makeSlider({
    label: "its height", lo: Math.round(hLo / hStep), hi: Math.round(hHi / hStep),
    valueOf: (i) => Number((i * hStep).toFixed(2)), text: (i) => (i * hStep).toFixed(2),
    onInput: (i) => setHeight(model.get("selected"), Number((i * hStep).toFixed(2))),
  });
  const rows = [[wSlider, nSlider], [towerSlider, heightSlider]].map((pair) => {
    const row = document.createElement("div");
    row.className = "towers-row";
    row.append(...pair.map((s) => s.root));
    return row;
  });

  // ---- the figure: one canvas, the still picture of the current target drawn under the lines
  const canvas = document.createElement("canvas");
  canvas.className = "towers-canvas";
  canvas.setAttribute("role", "img");
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(fig.width * dpr);
  canvas.height = Math.round(fig.height * dpr);
  canvas.style.width = `${fig.width}px`;
  const ctx = canvas.getContext("2d");
  const figureBox = document.createElement("div");
  figureBox.className = "towers-figure";
  figureBox.append(canvas);
  const status = document.createElement("div");
  status.className = "towers-status";
  status.setAttribute("aria-live", "polite");
  root.append(top, ...rows, figureBox, status);
  el.append(root);

  const pictures = {};
  for (const [name, url] of Object.entries(fig.backgrounds)) {
    pictures[name] = new Image();
    pictures[name].src = url;
  }

  // ---- drawing: everything that depends on the state, in one animation frame
  let framePending = false;
  let frames = 0;
  const scheduleDraw = () => {
    if (framePending) return;
    framePending = true;
    requestAnimationFrame(() => { framePending = false; draw(); });
  };
  const main = fig.main;
  const zoom = fig.zoom;

  function draw() {
    const s = state();
    const picture = pictures[s.target];
    if (!picture.complete) {
      picture.decode().then(scheduleDraw, scheduleDraw);
      return;
    }
    const f = targetFn();
    const h = s.heights;
    const edges = towerEdges(s.n);
    const centres = towerCentres(s.n);
    const ySum = towerSum(GRID, h, s.w, s.kind);
    const error = fitError(f, h, s.w, s.kind);
    const close = zoomTower(zoomU, s.w, s.n, s.kind);

    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.drawImage(picture, 0, 0, fig.width, fig.height);
    ctx.save();
    clipTo(ctx, main);
    // the selected tower, shaded: never narrower than fig.min_span_px, so it shows at N = 100
    const k = Math.min(s.selected, s.n - 1);
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
    strokePolyline(ctx, main, GRID, ySum, styles.sum);
    if (s.n <= fig.max_dots) dots(ctx, main, centres, h, styles.heights); // more would hide the lines
    dots(ctx, main, [centres[k]], [h[k]], styles.selected);
    ctx.restore();

    ctx.save();
    clipTo(ctx, zoom);
    strokePolyline(ctx, zoom, zoomU, close.up, styles.up);
    strokePolyline(ctx, zoom, zoomU, close.down, styles.down);
    strokePolyline(ctx, zoom, zoomU, close.tower, styles.tower);
    ctx.restore();

    // ---- the controls and the words follow the state
    if (select.value !== s.target) select.value = s.target;
    for (const b of kindButtons) setAttr(b, "aria-pressed", String(b.dataset.kind === s.kind));
    // the exact w and height, also when Python set one off the slider's grid
    wSlider.set(nearestW(s.w), null, [s.w, formatW(s.w)]);
    nSlider.set(s.n);
    towerSlider.set(k + 1, [1, s.n]);
    heightSlider.set(Math.round(h[k] / hStep), null, [h[k], h[k].toFixed(2)]);
    const text = describe(s, error);
    setText(status, text);
    if (status.classList.contains("towers-met") !== error.maxAbs <= s.bound) status.classList.toggle("towers-met");
    setAttr(canvas, "aria-label", `Tower explorer figure. ${text}`);
    frames += 1;
    // for tests and bench/: what this frame shows, read by the page that hosts the explorer
    el.towerFrame = { frames, state: s, error, time: performance.now() };
    el.dispatchEvent(new CustomEvent("towers-drawn", { detail: el.towerFrame }));
  }

  // ---- dragging a tower top sets its height; a click in a tower's column selects it
  const GRAB_PX = 10;
  const toFigure = (event) => {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * (fig.width / box.width), (event.clientY - box.top) * (fig.height / box.height)];
  };
  const towerAt = (u) => Math.min(Math.max(Math.floor(((u - main.ox) / main.sx) * model.get("n")), 0), model.get("n") - 1);
  const inMain = ([u, v]) => u >= main.clip[0] && u <= main.clip[0] + main.clip[2] && v >= main.clip[1] && v <= main.clip[1] + main.clip[3];
  const nearTop = ([u, v]) => Math.abs(v - py(main, model.get("heights")[towerAt(u)])) <= GRAB_PX;
  const heightAt = (v) => Math.round((v - main.oy) / main.sy / hStep) * hStep;
  let dragging = null;
  canvas.addEventListener("pointerdown", (event) => {
    const p = toFigure(event);
    if (!inMain(p)) return;
    const k = towerAt(p[0]);
    update({ selected: k });
    if (nearTop(p)) {
      dragging = k;
      canvas.setPointerCapture(event.pointerId);
      event.preventDefault();
    }
  });
  canvas.addEventListener("pointermove", (event) => {
    const p = toFigure(event);
    if (dragging !== null) setHeight(dragging, Number(heightAt(p[1]).toFixed(2)));
    else canvas.style.cursor = inMain(p) && nearTop(p) ? "ns-resize" : "default";
  });
  const endDrag = () => { dragging = null; };
  canvas.addEventListener("pointerup", endDrag);
  canvas.addEventListener("pointercancel", endDrag);

  const keys = ["target", "kind", "w", "n", "heights", "selected", "bound", "heights_source"];
  for (const key of keys) model.on(`change:${key}`, scheduleDraw);
  scheduleDraw();
  return () => {
    for (const key of keys) model.off(`change:${key}`, scheduleDraw);
  };
}

/** A model for a page with no kernel: the same get / set / on / off / save_changes as anywidget's. */
export function pageModel(initial) {
  const values = { ...initial };
  const listeners = {};
  return {
    get: (key) => values[key],
    set(key, value) {
      if (values[key] === value) return; // as anywidget's model: no change, no event
      values[key] = value;
      for (const f of listeners[`change:${key}`] || []) f();
    },
    on(event, f) { (listeners[event] = listeners[event] || []).push(f); },
    off(event, f) { listeners[event] = (listeners[event] || []).filter((g) => g !== f); },
    save_changes() {},
  };
}

export default { render };
