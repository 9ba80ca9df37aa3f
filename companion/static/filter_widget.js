// The slide-a-filter explorer in the browser: controls, drawing, pointer handling, model sync.
//
// One module serves two hosts: JupyterLab, as the anywidget front end of
// companion.filter_view.SlideFilter, and docs/slide_filter.html (and its Chinese copy), with the in-page
// model of controls.js. The host puts in front of this file controls.js, conv_math.js, digit_math.js and
// filter_math.js (companion.filter_view.esm_source).
/* global element, row, makeSlider, modelSync, reportFrame, setAttr, setText, decodeNet, fromBase64,
   digitImage, filterWeights, slideState, fill */

const FILTER_KEYS = [
  "digit", "filter", "size", "stride", "pad", "row", "pool_size", "pool_stride", "pool_row",
];
const H = 28;
const CELL = 9; // pixels per input or output cell
const MAX_PAD = 3;

/** A number as the explorer writes it: three decimals, no "-0.000". */
export function num(v) {
  const text = v.toFixed(3);
  return text === "-0.000" ? "0.000" : text;
}

/** The output-size formula with the current numbers (companion.filter_view.formula says the same). */
export function formula(t, k, stride, pad) {
  const span = H + 2 * pad - k;
  const values = { H, pad2: 2 * pad, k, s: stride, q: span / stride + 1 };
  const head = fill(t.formula, values);
  if (span < 0 || span % stride !== 0) return `${head} ${fill(t.formula_bad, values)}`;
  return `${head} = ${span / stride + 1}`;
}

// --------------------------------------------------------------------------------------- drawing

/** Blue for negative, white for 0, red for positive, scaled by `scale`. */
function diverging(v, scale) {
  const a = 0.6 * Math.min(Math.abs(v) / (scale || 1), 1); // light enough to read a number on
  const fade = Math.round(255 * (1 - a));
  return v >= 0 ? `rgb(255,${fade},${fade})` : `rgb(${fade},${fade},255)`;
}
function grey(v) {
  const g = Math.round(255 * (1 - Math.min(Math.max(v, 0), 1)));
  return `rgb(${g},${g},${g})`;
}
function sizeCanvas(canvas, width, height, dpr) {
  if (canvas.width !== Math.round(width * dpr)) canvas.width = Math.round(width * dpr);
  if (canvas.height !== Math.round(height * dpr)) canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}
function outline(ctx, x, y, w, h, colour, width = 2) {
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.strokeRect(x + width / 2, y + width / 2, w - width, h - width);
}
/** A grid of cells, `colour(r, c)` (null: not drawn), optional numbers inside. */
function cells(ctx, rows, cols, size, colour, text = null) {
  ctx.font = `${Math.max(8, Math.floor(size / 2.6))}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const fill = colour(r, c);
      if (fill === null) continue;
      ctx.fillStyle = fill;
      ctx.fillRect(c * size, r * size, size, size);
      if (text) {
        ctx.fillStyle = "#1f2328";
        ctx.fillText(text(r, c), c * size + size / 2, r * size + size / 2);
      }
    }
  }
  ctx.strokeStyle = "rgba(140,149,159,0.35)";
  ctx.lineWidth = 1;
  ctx.strokeRect(0.5, 0.5, cols * size - 1, rows * size - 1);
}

// ------------------------------------------------------------------------------------------ view

function render({ model, el }) {
  const t = model.get("strings");
  const net = decodeNet(model.get("convnet"));
  const digitBytes = fromBase64(model.get("digits"));
  const labels = model.get("labels");
  const indices = model.get("indices");
  const choices = model.get("digit_choices"); // 10 shipped digits, one of each class
  const image = (k) => digitImage(digitBytes.subarray(784 * k, 784 * (k + 1)));
  const { update, watch } = modelSync(model);
  const dpr = window.devicePixelRatio || 1;

  // ---- the controls
  const digitSelect = element("select", "", { "aria-label": t.digit });
  for (const k of choices) {
    digitSelect.add(new Option(fill(t.digit_option, { label: labels[k], index: indices[k] }), String(k)));
  }
  digitSelect.addEventListener("change", () => update({ digit: Number(digitSelect.value) }));
  const filterSelect = element("select", "", { "aria-label": t.filter });
  filterSelect.add(new Option(t.vertical, "vertical"));
  filterSelect.add(new Option(t.horizontal, "horizontal"));
  for (let n = 1; n <= net.W1.shape[0]; n++) {
    filterSelect.add(new Option(fill(t.learned, { n }), `learned ${n}`));
  }
  filterSelect.addEventListener("change", () => update({ filter: filterSelect.value, row: 0, pool_row: 0 }));
  const label = (text, control) => {
    const l = element("label", "");
    l.append(`${text} `, control);
    return l;
  };
  const fillButton = element("button", "", { type: "button", text: t.fill_all });
  fillButton.addEventListener("click", () => {
    if (current && current.output) update({ row: current.OH * current.OW - 1 });
  });
  const slider = (text, lo, hi, key, reset = {}) => makeSlider({
    label: text, lo, hi, valueOf: (i) => i, text: String, onInput: (i) => update({ [key]: i, ...reset }),
  });
  const sizeSlider = slider(t.size, 2, 7, "size", { row: 0, pool_row: 0 });
  const strideSlider = slider(t.stride, 1, 4, "stride", { row: 0, pool_row: 0 });
  const padSlider = slider(t.pad, 0, MAX_PAD, "pad", { row: 0, pool_row: 0 });
  const windowSlider = slider(t.window, 0, 575, "row");
  const poolSizeSlider = slider(t.pool_size, 2, 3, "pool_size", { pool_row: 0 });
  const poolStrideSlider = slider(t.pool_stride, 1, 3, "pool_stride", { pool_row: 0 });
  const poolSlider = slider(t.pool_cell, 0, 143, "pool_row");

  // ---- the pictures
  const canvas = (aria, focusable = false) => element("canvas", "filter-canvas",
    { role: "img", "aria-label": aria, ...(focusable ? { tabindex: "0" } : {}) });
  const inputCanvas = canvas(t.input_label, true);
  const filterCanvas = canvas(t.filter_label);
  const outputCanvas = canvas(t.output_label);
  const rowCanvas = canvas(t.row_label);
  const reluCanvas = canvas(t.relu_label);
  const pooledCanvas = canvas(t.pooled_label);
  const backCanvas = canvas(t.back_label);
  const figure = (c, caption) => {
    const box = element("figure", "filter-figure");
    const cap = element("figcaption", "", { text: caption });
    box.append(c, cap);
    return box;
  };
  const formulaLine = element("div", "filter-formula", { "aria-live": "polite" });
  const rowLine = element("div", "filter-row-text");
  const poolLine = element("div", "filter-row-text");
  const convPart = element("section", "filter-part", { "aria-label": t.conv_part });
  convPart.append(row(label(t.digit, digitSelect), label(t.filter, filterSelect), fillButton),
    row(sizeSlider.root, strideSlider.root), row(padSlider.root, windowSlider.root), formulaLine,
    row(figure(inputCanvas, t.input_caption), figure(filterCanvas, t.filter_caption),
      figure(outputCanvas, t.output_caption)),
    figure(rowCanvas, t.row_caption), rowLine);
  const poolPart = element("section", "filter-part", { "aria-label": t.pool_part });
  poolPart.append(element("h4", "filter-heading", { text: t.pool_part }),
    row(poolSizeSlider.root, poolStrideSlider.root), row(poolSlider.root),
    row(figure(reluCanvas, t.relu_caption), figure(pooledCanvas, t.pooled_caption),
      figure(backCanvas, t.back_caption)), poolLine);
  const root = element("div", "explorer filter-explorer");
  root.append(convPart, poolPart);
  el.append(root);

  // ---- the window follows the pointer (drag) and the arrow keys on the input
  let dragging = false;
  const moveWindowTo = (event) => {
    const s = current;
    if (!s || s.output === null) return;
    const box = inputCanvas.getBoundingClientRect();
    const side = H + 2 * model.get("pad");
    const y = ((event.clientY - box.top) / box.height) * side;
    const x = ((event.clientX - box.left) / box.width) * side;
    const k = s.filter.k;
    const stride = model.get("stride");
    const clamp = (v, n) => Math.min(Math.max(v, 0), n - 1);
    const i = clamp(Math.round((y - k / 2) / stride), s.OH);
    const j = clamp(Math.round((x - k / 2) / stride), s.OW);
    if (i * s.OW + j !== model.get("row")) update({ row: i * s.OW + j });
  };
  inputCanvas.addEventListener("pointerdown", (event) => {
    inputCanvas.setPointerCapture(event.pointerId);
    dragging = true;
    moveWindowTo(event);
  });
  inputCanvas.addEventListener("pointermove", (event) => { if (dragging) moveWindowTo(event); });
  inputCanvas.addEventListener("pointerup", () => { dragging = false; });
  inputCanvas.addEventListener("keydown", (event) => {
    const s = current;
    if (!s || s.output === null) return;
    const moves = {
      ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [1, 0], ArrowUp: [-1, 0],
    };
    let r = s.row;
    if (event.key in moves) {
      const [di, dj] = moves[event.key];
      const i = Math.min(Math.max(s.i + di, 0), s.OH - 1);
      const j = Math.min(Math.max(s.j + dj, 0), s.OW - 1);
      r = i * s.OW + j;
    } else if (event.key === "Home") r = 0;
    else if (event.key === "End") r = s.OH * s.OW - 1;
    else return;
    event.preventDefault();
    if (r !== s.row) update({ row: r });
  });

  // ---- a click on the output map moves the window there; on the pooled map, selects that cell
  const cellAt = (canvas, event, cols) => {
    const box = canvas.getBoundingClientRect();
    const c = Math.min(Math.floor(((event.clientX - box.left) / box.width) * cols), cols - 1);
    const rows = Math.round((cols * box.height) / box.width);
    const r = Math.min(Math.floor(((event.clientY - box.top) / box.height) * rows), rows - 1);
    return r * cols + c;
  };
  outputCanvas.addEventListener("pointerdown", (event) => {
    if (current && current.output) update({ row: cellAt(outputCanvas, event, current.OW) });
  });
  pooledCanvas.addEventListener("pointerdown", (event) => {
    if (current && current.pooled) update({ pool_row: cellAt(pooledCanvas, event, current.pooled.OW) });
  });

  // ---- one frame
  let current = null;
  let frames = 0;
  const draw = () => {
    const state = Object.fromEntries(FILTER_KEYS.map((key) => [key, model.get(key)]));
    const filter = filterWeights(net, state.filter, state.size);
    const x = image(state.digit);
    const s = slideState(x, H, H, filter, state.stride, state.pad, state.row, state.pool_size,
      state.pool_stride);
    s.filter = filter;
    current = s;
    const k = filter.k;
    if (digitSelect.value !== String(state.digit)) digitSelect.value = String(state.digit);
    if (filterSelect.value !== state.filter) filterSelect.value = state.filter;
    const learned = state.filter.startsWith("learned");
    sizeSlider.set(k);
    setAttr(sizeSlider.handle, "aria-disabled", String(learned));
    sizeSlider.root.classList.toggle("explorer-disabled", learned);
    strideSlider.set(state.stride);
    padSlider.set(state.pad);
    setText(formulaLine, formula(t, k, state.stride, state.pad));

    // the padded input, the padding in light blue, the window outlined
    const side = H + 2 * state.pad;
    let ctx = sizeCanvas(inputCanvas, side * CELL, side * CELL, dpr);
    const inside = (r, c) => r >= state.pad && r < state.pad + H && c >= state.pad && c < state.pad + H;
    const padded = (r, c) => (inside(r, c) ? grey(x[(r - state.pad) * H + c - state.pad]) : "#ddf4ff");
    cells(ctx, side, side, CELL, padded);
    // the filter with its numbers
    let scale = 0;
    for (const w of filter.W) scale = Math.max(scale, Math.abs(w));
    const fcell = 34;
    ctx = sizeCanvas(filterCanvas, k * fcell, k * fcell, dpr);
    cells(ctx, k, k, fcell, (r, c) => diverging(filter.W[r * k + c], scale),
      (r, c) => filter.W[r * k + c].toFixed(2));

    if (s.output === null) {
      sizeCanvas(outputCanvas, 10, 10, dpr);
      sizeCanvas(rowCanvas, 10, 10, dpr);
      for (const c of [reluCanvas, pooledCanvas, backCanvas]) sizeCanvas(c, 10, 10, dpr);
      setText(rowLine, t.no_output);
      setText(poolLine, "");
      windowSlider.set(0, [0, 0]);
    } else {
      windowSlider.set(s.row, [0, s.OH * s.OW - 1],
        [s.row, fill(t.window_text, { r: s.row, i: s.i, j: s.j })]);
      outline(inputCanvas.getContext("2d"), s.j * state.stride * CELL, s.i * state.stride * CELL, k * CELL,
        k * CELL, "#bc4c00");
      // the output, filled cell by cell up to the window's row of im2col
      let outScale = 0;
      for (const v of s.output) outScale = Math.max(outScale, Math.abs(v));
      ctx = sizeCanvas(outputCanvas, s.OW * CELL, s.OH * CELL, dpr);
      const filled = (r, c) => (r * s.OW + c <= s.row
        ? diverging(s.output[r * s.OW + c], outScale) : "#f6f8fa");
      cells(ctx, s.OH, s.OW, CELL, filled);
      outline(ctx, s.j * CELL, s.i * CELL, CELL, CELL, "#bc4c00");
      // the im2col row: k * k values, in the order of the filter's weights
      const K = k * k;
      const rcell = Math.min(30, Math.floor(900 / K));
      ctx = sizeCanvas(rowCanvas, K * rcell, rcell, dpr);
      cells(ctx, 1, K, rcell, (_, c) => grey(s.colRow[c]),
        rcell >= 24 ? (_, c) => s.colRow[c].toFixed(2) : null); // numbers where they fit
      setText(rowLine, fill(t.row_text, {
        r: s.row, i: s.i, j: s.j, rows: s.OH * s.OW, cols: K, OW: s.OW, value: num(s.output[s.row]),
      }));

      // max pooling of the output after ReLU
      ctx = sizeCanvas(reluCanvas, s.OW * CELL, s.OH * CELL, dpr);
      let reluScale = 0;
      for (const v of s.activated) reluScale = Math.max(reluScale, v);
      cells(ctx, s.OH, s.OW, CELL, (r, c) => diverging(s.activated[r * s.OW + c], reluScale));
      if (s.pooled === null) {
        sizeCanvas(pooledCanvas, 10, 10, dpr);
        sizeCanvas(backCanvas, 10, 10, dpr);
        poolSlider.set(0, [0, 0]);
        setText(poolLine, fill(t.pool_bad, { OH: s.OH, p: state.pool_size, s: state.pool_stride }));
      } else {
        const P = s.pooled;
        const pr = Math.min(state.pool_row, P.OH * P.OW - 1);
        const pi = Math.floor(pr / P.OW);
        const pj = pr % P.OW;
        const at = P.argMax[pr];
        const fromI = pi * state.pool_stride + Math.floor(at / state.pool_size);
        const fromJ = pj * state.pool_stride + (at % state.pool_size);
        outline(ctx, pj * state.pool_stride * CELL, pi * state.pool_stride * CELL, state.pool_size * CELL,
          state.pool_size * CELL, "#bc4c00");
        outline(ctx, fromJ * CELL, fromI * CELL, CELL, CELL, "#1a7f37");
        const pctx = sizeCanvas(pooledCanvas, P.OW * CELL, P.OH * CELL, dpr);
        cells(pctx, P.OH, P.OW, CELL, (r, c) => diverging(P.out[r * P.OW + c], reluScale));
        outline(pctx, pj * CELL, pi * CELL, CELL, CELL, "#bc4c00");
        const bctx = sizeCanvas(backCanvas, s.OW * CELL, s.OH * CELL, dpr);
        cells(bctx, s.OH, s.OW, CELL, (r, c) => {
          const n = s.back[r * s.OW + c];
          // green, darker for each gradient that lands here (overlapping windows can send several)
          const g = (base, step) => Math.max(Math.round(base - step * n), 0);
          return n === 0 ? "#ffffff" : `rgb(${g(255, 60)},${g(240, 40)},${g(255, 100)})`;
        });
        outline(bctx, fromJ * CELL, fromI * CELL, CELL, CELL, "#1a7f37");
        poolSlider.set(pr, [0, P.OH * P.OW - 1], [pr, fill(t.window_text, { r: pr, i: pi, j: pj })]);
        setText(poolLine, fill(t.pool_text, {
          r: pr, i: pi, j: pj, fi: fromI, fj: fromJ, value: num(P.out[pr]), POH: P.OH, POW: P.OW,
        }));
      }
    }
    poolSizeSlider.set(state.pool_size);
    poolStrideSlider.set(state.pool_stride);
    frames += 1;
    reportFrame(el, {
      frames, state, k, OH: s.OH, OW: s.OW, row: s.row, output: s.output && Array.from(s.output),
      colRow: s.output && Array.from(s.colRow), pooled: s.pooled && Array.from(s.pooled.out),
      argMax: s.pooled && Array.from(s.pooled.argMax), back: s.back && Array.from(s.back),
      formula: formulaLine.textContent,
    });
  };
  return watch(FILTER_KEYS, draw);
}

export default { render };
