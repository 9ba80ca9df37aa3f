// The draw-a-digit explorer in the browser: controls, drawing, pointer handling, model sync.
//
// One module serves two hosts: JupyterLab, as the anywidget front end of companion.draw_view.DrawDigit,
// and docs/draw_digit.html (and its Chinese copy), with the in-page model of controls.js. The host puts
// in front of this file controls.js, conv_math.js and digit_math.js (companion.draw_view.esm_source).
// Every pointer move is computed and painted in the next animation frame: the 28 x 28 input, both
// networks' probabilities and the convolutional network's 30 pooled feature maps.
/* global element, row, modelSync, reportFrame, setAttr, setText, prepare, shiftImage, decodeNet, fromBase64,
   digitImage, mlpForward, convnetForward, fill */

const STATE_KEYS = ["strokes", "shift", "digit"];
const SIDE = 280; // the drawing area, CSS pixels
const MIN_MOVE = 0.004; // a pointer move shorter than this (of the side) adds no point
const MAP_GAP = 1; // pixels between feature maps, before the 3x zoom

/** The index of the largest probability (the first, on a tie, as numpy.argmax). */
function best(p) {
  let k = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[k]) k = i;
  return k;
}

/** What is shown, in words (companion.draw_view.describe_state says the same). */
export function describe(t, state, labels, indices, mlp, cnn) {
  const [dx, dy] = state.shift;
  let source = state.digit >= 0
    ? fill(t.source_digit, { index: indices[state.digit], label: labels[state.digit] })
    : state.strokes.length ? t.source_drawing : t.source_empty;
  if (dx !== 0 || dy !== 0) source += fill(t.shifted, { dx, dy });
  const a = best(mlp);
  const c = best(cnn);
  return `${source}${t.space}${fill(t.reads, {
    mlp_digit: a, mlp_p: (100 * mlp[a]).toFixed(1), cnn_digit: c, cnn_p: (100 * cnn[c]).toFixed(1),
  })}`;
}

// --------------------------------------------------------------------------------------- drawing

function drawStrokes(ctx, strokes, dpr) {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, SIDE, SIDE);
  ctx.strokeStyle = "#1f2328";
  ctx.fillStyle = "#1f2328";
  ctx.lineWidth = 16;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  for (const stroke of strokes) {
    ctx.beginPath();
    if (stroke.length === 1) {
      ctx.arc(stroke[0][0] * SIDE, stroke[0][1] * SIDE, 8, 0, 2 * Math.PI);
      ctx.fill();
      continue;
    }
    stroke.forEach(([x, y], i) => (i ? ctx.lineTo(x * SIDE, y * SIDE) : ctx.moveTo(x * SIDE, y * SIDE)));
    ctx.stroke();
  }
}

/** A grey image (values in [0, 1], 0 white, 1 black) painted into an ImageData at (left, top). */
function paintGrey(data, width, image, side, left, top, scale) {
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      const v = 255 - Math.round(255 * Math.min(image[i * side + j] / scale, 1));
      const o = ((top + i) * width + left + j) * 4;
      data[o] = v;
      data[o + 1] = v;
      data[o + 2] = v;
      data[o + 3] = 255;
    }
  }
}

/** The two networks' probabilities as bars, side by side, the largest of each in colour. */
function drawBars(ctx, t, mlp, cnn, width, height, dpr) {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = "12px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  const half = width / 2;
  const rowH = (height - 22) / 10;
  [[t.mlp_title, mlp, "#0969da"], [t.cnn_title, cnn, "#8250df"]].forEach(([title, p, colour], n) => {
    const left = n * half;
    ctx.fillStyle = "#1f2328";
    ctx.textAlign = "left";
    ctx.fillText(title, left + 4, 9);
    const top = best(p);
    const barMax = half - 80;
    for (let d = 0; d < 10; d++) {
      const y = 22 + d * rowH;
      ctx.fillStyle = "#1f2328";
      ctx.textAlign = "right";
      ctx.fillText(String(d), left + 14, y + rowH / 2);
      ctx.fillStyle = d === top ? colour : "#afb8c1";
      ctx.fillRect(left + 20, y + 2, Math.max(barMax * p[d], 1), rowH - 4);
      ctx.fillStyle = "#57606a";
      ctx.textAlign = "left";
      ctx.fillText(`${(100 * p[d]).toFixed(1)}%`, left + 24 + barMax * p[d], y + rowH / 2);
    }
  });
}

// ------------------------------------------------------------------------------------------ view

/** Render the explorer into `el` and keep it in step with `model` (anywidget's interface). */
function render({ model, el }) {
  const t = model.get("strings");
  const mlpNet = decodeNet(model.get("mlp"));
  const cnnNet = decodeNet(model.get("convnet"));
  const digitBytes = fromBase64(model.get("digits"));
  const labels = model.get("labels");
  const indices = model.get("indices");
  const digitInput = (k) => digitImage(digitBytes.subarray(784 * k, 784 * (k + 1)));
  const { update, watch } = modelSync(model);
  const dpr = window.devicePixelRatio || 1;

  // ---- the drawing area, the input as the networks see it, the probabilities
  const pad = element("canvas", "draw-pad", { role: "img", tabindex: "0", "aria-label": t.pad_label });
  pad.width = SIDE * dpr;
  pad.height = SIDE * dpr;
  pad.style.width = `${SIDE}px`;
  pad.style.height = `${SIDE}px`;
  const padCtx = pad.getContext("2d");
  const input = element("canvas", "draw-input", { role: "img", "aria-label": t.input_label });
  input.width = 28;
  input.height = 28;
  const inputCtx = input.getContext("2d");
  const inputData = inputCtx.createImageData(28, 28);
  const barsW = 440;
  const barsH = 240;
  const bars = element("canvas", "draw-bars", { role: "img", "aria-label": t.bars_label });
  bars.width = barsW * dpr;
  bars.height = barsH * dpr;
  bars.style.width = `${barsW}px`;
  bars.style.height = `${barsH}px`;
  const barsCtx = bars.getContext("2d");
  const figure = (canvas, caption) => {
    const box = element("figure", "draw-figure");
    box.append(canvas, element("figcaption", "", { text: caption }));
    return box;
  };

  // ---- the feature maps: 30 maps of 12 x 12 in 10 columns, one ImageData, zoomed by CSS
  const [FN] = cnnNet.W1.shape;
  const mapSide = 12;
  const cols = 10;
  const mapRows = Math.ceil(FN / cols);
  const maps = element("canvas", "draw-maps", { role: "img", "aria-label": t.maps_label });
  maps.width = cols * (mapSide + MAP_GAP) - MAP_GAP;
  maps.height = mapRows * (mapSide + MAP_GAP) - MAP_GAP;
  const mapsCtx = maps.getContext("2d");
  const mapsData = mapsCtx.createImageData(maps.width, maps.height);
  mapsData.data.fill(215); // light grey between the maps (and 215 of 255 opaque)

  // ---- the buttons
  const button = (text, label, onClick) => {
    const b = element("button", "draw-button", { type: "button", text });
    if (label) b.setAttribute("aria-label", label);
    b.addEventListener("click", onClick);
    return b;
  };
  const clear = button(t.clear, null, () => update({ strokes: [], digit: -1, shift: [0, 0] }));
  const random = button(t.random_digit, null, () => {
    update({ strokes: [], digit: Math.floor(Math.random() * labels.length), shift: [0, 0] });
  });
  const shift = (dx, dy) => () => {
    const [x, y] = model.get("shift");
    update({ shift: [Math.max(-8, Math.min(8, x + dx)), Math.max(-8, Math.min(8, y + dy))] });
  };
  const shiftGroup = element("span", "draw-shift", { role: "group", "aria-label": t.shift_group });
  shiftGroup.append(element("span", "", { text: t.shift_group }),
    button("←", t.shift_left, shift(-2, 0)), button("→", t.shift_right, shift(2, 0)),
    button("↑", t.shift_up, shift(0, -2)), button("↓", t.shift_down, shift(0, 2)),
    button(t.shift_reset, null, () => update({ shift: [0, 0] })));
  const status = element("div", "explorer-status draw-status", { "aria-live": "polite" });

  const root = element("div", "explorer draw-explorer");
  root.append(row(clear, random, shiftGroup),
    row(figure(pad, t.pad_caption), figure(input, t.input_caption), figure(bars, t.bars_caption)),
    figure(maps, t.maps_caption), status);
  el.append(root);

  // ---- drawing with a mouse, a pen or a finger
  let drawing = false;
  const point = (event) => {
    const box = pad.getBoundingClientRect();
    return [Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1),
      Math.min(Math.max((event.clientY - box.top) / box.height, 0), 1)];
  };
  pad.addEventListener("pointerdown", (event) => {
    pad.setPointerCapture(event.pointerId);
    drawing = true;
    event.preventDefault();
    const fresh = model.get("digit") >= 0; // the first stroke over a test digit starts a new drawing
    update({ strokes: [...(fresh ? [] : model.get("strokes")), [point(event)]], digit: -1,
      shift: fresh ? [0, 0] : model.get("shift") });
  });
  pad.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    const strokes = model.get("strokes");
    const last = strokes[strokes.length - 1];
    const p = point(event);
    const [qx, qy] = last[last.length - 1];
    if (Math.hypot(p[0] - qx, p[1] - qy) < MIN_MOVE) return;
    update({ strokes: [...strokes.slice(0, -1), [...last, p]] });
  });
  const stop = () => { drawing = false; };
  pad.addEventListener("pointerup", stop);
  pad.addEventListener("pointercancel", stop);
  // the keyboard: arrows shift the input, Delete or Backspace clears, Enter loads a test digit
  pad.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: [-2, 0], ArrowRight: [2, 0], ArrowUp: [0, -2], ArrowDown: [0, 2] };
    if (event.key in moves) shift(...moves[event.key])();
    else if (event.key === "Delete" || event.key === "Backspace") clear.click();
    else if (event.key === "Enter") random.click();
    else return;
    event.preventDefault();
  });

  // ---- one frame: the input, both networks, the bars, the maps, the words
  let frames = 0;
  const draw = () => {
    const state = { strokes: model.get("strokes"), shift: model.get("shift"), digit: model.get("digit") };
    const [dx, dy] = state.shift;
    let x;
    if (state.digit >= 0) {
      x = shiftImage(digitInput(state.digit), dx, dy);
      // the drawing area shows the digit unshifted, enlarged from the small canvas (painted again below)
      padCtx.setTransform(1, 0, 0, 1, 0, 0);
      padCtx.imageSmoothingEnabled = false;
      paintGrey(inputData.data, 28, digitInput(state.digit), 28, 0, 0, 1);
      inputCtx.putImageData(inputData, 0, 0);
      padCtx.drawImage(input, 0, 0, pad.width, pad.height);
    } else {
      x = prepare(state.strokes, state.shift);
      drawStrokes(padCtx, state.strokes, dpr);
    }
    const mlp = mlpForward(mlpNet, x);
    const cnn = convnetForward(cnnNet, x);
    paintGrey(inputData.data, 28, x, 28, 0, 0, 1);
    inputCtx.putImageData(inputData, 0, 0);
    drawBars(barsCtx, t, mlp, cnn.probabilities, barsW, barsH, dpr);
    let top = 0;
    for (const v of cnn.maps) top = Math.max(top, v);
    for (let f = 0; f < FN; f++) {
      const map = cnn.maps.subarray(f * mapSide * mapSide, (f + 1) * mapSide * mapSide);
      paintGrey(mapsData.data, maps.width, map, mapSide, (f % cols) * (mapSide + MAP_GAP),
        Math.floor(f / cols) * (mapSide + MAP_GAP), top || 1);
    }
    mapsCtx.putImageData(mapsData, 0, 0);
    const text = describe(t, state, labels, indices, mlp, cnn.probabilities);
    setText(status, text);
    setAttr(bars, "aria-label", `${t.bars_label} ${text}`);
    frames += 1;
    reportFrame(el, { frames, state, input: x, mlp, cnn: cnn.probabilities, text });
  };
  return watch(STATE_KEYS, draw);
}

export default { render };
