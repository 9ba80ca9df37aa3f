// The bowl explorer of notebook 09 in the browser: controls, drawing, model sync (no pointer handling
// beyond the sliders': the figure only shows the path).
//
// companion.bowl_view.BowlExplorer loads this module after bowl_math.js (the optimizer rules and
// companion.bowl.descend, mirrored) and controls.js (the slider and the model sync both explorers
// use). Every move of a control is followed and drawn here, in the next animation frame; the kernel
// hears about the new settings a moment later. The still picture (contours, start, minimum, axes) is
// matplotlib's; the path is SVG over it, in the figure's own pixels.
/* global run, describeRun, element, row, makeSlider, modelSync, setAttr, setText, reportFrame */

const SVG = "http://www.w3.org/2000/svg";
const BOWL_KEYS = ["name", "lr", "beta"];

function svgElement(name, attributes) {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
  return el;
}

// --------------------------------------------------------------------------------------- drawing

/** The still picture with an SVG layer over it; the path is clipped to the axes, as matplotlib
 *  clips lines. */
function makeBowlFigure(fig) {
  const box = element("div", "bowl-figure");
  box.style.cssText = `position: relative; width: 100%; max-width: ${fig.width}px;`;
  const img = element("img", "", { src: fig.background, alt: fig.alt });
  img.style.cssText = "display: block; width: 100%; height: auto;";
  const svg = svgElement("svg", { viewBox: `0 0 ${fig.width} ${fig.height}`, class: "bowl-overlay" });
  svg.style.cssText = "position: absolute; left: 0; top: 0; width: 100%; height: 100%; pointer-events: none;";
  const [left, top, w, h] = fig.map.clip;
  const axes = svgElement("svg", { x: left, y: top, width: w, height: h, viewBox: `${left} ${top} ${w} ${h}`,
                                   overflow: "hidden" });
  const line = svgElement("polyline", { fill: "none", "stroke-width": 1.4, "stroke-linejoin": "round",
                                        stroke: fig.colour, class: "bowl-path" });
  // Each point is a zero-length segment with round caps: a dot as wide as the stroke.
  const dots = svgElement("path", { "stroke-width": 4.5, "stroke-linecap": "round", stroke: fig.colour });
  axes.append(line, dots);
  svg.append(axes);
  box.append(img, svg);
  return { box, line, dots };
}

/** The path in the figure's pixels, to 0.1 px (companion.bowl_view.BowlExplorer.pixels). */
function drawPath(figure, map, path) {
  const pairs = [];
  let d = "";
  for (const [x, y] of path) {
    const u = (map.sx * x + map.ox).toFixed(1);
    const v = (map.sy * y + map.oy).toFixed(1);
    pairs.push(`${u},${v}`);
    d += `M${u} ${v}h0`;
  }
  setAttr(figure.line, "points", pairs.join(" "));
  setAttr(figure.dots, "d", d);
}

// -------------------------------------------------------------------------------------- controls

/** The optimizer menu and the two sliders: the learning rate and the rule's second setting
 *  (momentum, decay_rate or beta1), each moving in steps of its range's third number. */
function makeBowlControls(model, bowl, update) {
  const W = model.get("words");
  const select = element("select", "", { "aria-label": W.optimizer });
  for (const name of Object.keys(bowl.optimizers)) select.add(new Option(name, name));
  select.addEventListener("change", () => {
    const opening = bowl.optimizers[select.value];
    update({ name: select.value, lr: opening.lr, beta: opening.beta });
  });
  const label = element("label");
  label.append(`${W.optimizer} `, select);
  const slider = (name, [lo, hi, step], key, enabled) => {
    const value = (i) => Number((i * step).toFixed(2));
    return makeSlider({
      label: name, lo: Math.round(lo / step), hi: Math.round(hi / step), valueOf: value,
      text: (i) => value(i).toFixed(2), onInput: (i) => enabled() && update({ [key]: value(i) }),
    });
  };
  const hasSecond = () => bowl.optimizers[model.get("name")].second !== null;
  const lr = slider(W.lr, bowl.lr_range, "lr", () => true);
  const beta = slider(W.second, bowl.beta_range, "beta", hasSecond);
  return { select, lr, beta, row: row(label, lr.root, beta.root) };
}

/** The controls and the words follow the state drawn; the second slider shows the rule's own name
 *  for its setting, and is switched off for SGD and AdaGrad, which have none. */
function showBowlState(view, bowl, s, result, W) {
  if (view.select.value !== s.name) view.select.value = s.name;
  view.lr.set(Math.round(s.lr / bowl.lr_range[2]), null, [s.lr, s.lr.toFixed(2)]);
  const second = bowl.optimizers[s.name].second;
  const label = view.beta.root.querySelector(".explorer-slider-label");
  setText(label, second || "—");
  setAttr(view.beta.handle, "aria-label", second || W.no_second);
  setAttr(view.beta.handle, "aria-disabled", String(second === null));
  view.beta.root.classList.toggle("explorer-disabled", second === null);
  if (second !== null) view.beta.set(Math.round(s.beta / bowl.beta_range[2]), null, [s.beta, s.beta.toFixed(2)]);
  const text = describeRun(s, result, bowl, W);
  setText(view.status, text);
  view.status.classList.toggle("explorer-met", result.steps !== null);
}

// ------------------------------------------------------------------------------------ model sync

/** One frame: follow the optimizer from the start, draw its path, say how it went; then reportFrame. */
function drawBowlFrame(view, model, el) {
  const bowl = model.get("bowl");
  const s = Object.fromEntries(BOWL_KEYS.map((key) => [key, model.get(key)]));
  const result = run(s.name, { lr: s.lr, beta: s.beta, beta2: bowl.beta2 }, bowl);
  drawPath(view.figure, model.get("figure").map, result.path);
  showBowlState(view, bowl, s, result, model.get("words"));
  view.frames += 1;
  reportFrame(el, { frames: view.frames, state: s, steps: result.steps, path: result.path });
}

/** Render the explorer into `el` and keep it in step with `model`; returns the function that removes
 *  the listeners. */
function render({ model, el }) {
  const sync = modelSync(model);
  const controls = makeBowlControls(model, model.get("bowl"), sync.update);
  const figure = makeBowlFigure(model.get("figure"));
  const status = element("div", "explorer-status", { "aria-live": "polite" });
  const root = element("div", "explorer bowl-explorer");
  root.append(controls.row, figure.box, status);
  el.append(root);
  const view = { ...controls, figure, status, frames: 0 };
  return sync.watch(BOWL_KEYS, () => drawBowlFrame(view, model, el));
}

export default { render };
