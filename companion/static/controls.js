// What both explorers' front ends share (towers_widget.js, bowl_widget.js): writing to the page only
// where something changed, a keyboard slider with real values for screen readers, and the model sync.

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

/** A template of an explorer's words (companion.towers_view.WORDS, companion.bowl_view.WORDS) with
 *  each {name} replaced by values[name]: Python's str.format fills the same templates. */
function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}

/** A new element: tag, class name, then attributes (a `text` entry sets its text). */
function element(tag, className, attributes = {}) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") el.textContent = value;
    else el.setAttribute(key, value);
  }
  return el;
}

/** A row of controls. */
function row(...children) {
  const el = element("div", "explorer-row");
  el.append(...children);
  return el;
}

/** A keyboard- and pointer-driven slider over the integers lo..hi, with real values for screen
 *  readers: `valueOf(i)` is what position i means (aria-valuenow/min/max carry that, not i) and
 *  `text(i)` what the readout and aria-valuetext say. Keys: arrows +-1, PageUp/PageDown +-10,
 *  Home/End to the ends. `onInput(i)` is called on every move made by the reader. */
function makeSlider({ label, lo, hi, valueOf, text, onInput }) {
  const track = element("div", "explorer-slider-track");
  const handle = element("div", "explorer-slider-handle", { tabindex: "0", role: "slider", "aria-label": label });
  track.append(handle);
  const readout = element("span", "explorer-slider-readout");
  const root = element("div", "explorer-slider");
  root.append(element("span", "explorer-slider-label", { text: label }), track, readout);

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
  slider.move = (index) => {
    const i = Math.min(Math.max(index, slider.lo), slider.hi);
    if (i !== slider.index) onInput(i);
  };
  sliderInput(slider, track);
  return slider;
}

/** The keys and the pointer move a slider (see makeSlider). */
function sliderInput(slider, track) {
  slider.handle.addEventListener("keydown", (event) => {
    const i = slider.index;
    const moves = {
      ArrowRight: i + 1, ArrowUp: i + 1, ArrowLeft: i - 1, ArrowDown: i - 1,
      PageUp: i + 10, PageDown: i - 10, Home: slider.lo, End: slider.hi,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    slider.move(moves[event.key]);
  });
  const fromPointer = (event) => {
    const box = track.getBoundingClientRect();
    const f = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
    slider.move(Math.round(slider.lo + f * (slider.hi - slider.lo)));
  };
  track.addEventListener("pointerdown", (event) => {
    track.setPointerCapture(event.pointerId);
    slider.handle.focus();
    fromPointer(event);
  });
  track.addEventListener("pointermove", (event) => {
    if (track.hasPointerCapture(event.pointerId)) fromPointer(event);
  });
}

/** The model sync of an explorer: `update(values)` sets the model at once (the view redraws in the
 *  next animation frame) and tells the kernel a moment later, at most one message per SAVE_MS while a
 *  control is being moved. `watch(keys, draw)` draws once a frame after any change of those keys and
 *  returns the function that stops watching. */
function modelSync(model) {
  const SAVE_MS = 80;
  let saveTimer = null;
  const save = () => {
    if (saveTimer === null) saveTimer = setTimeout(() => { saveTimer = null; model.save_changes(); }, SAVE_MS);
  };
  const update = (values) => {
    for (const [key, value] of Object.entries(values)) model.set(key, value);
    save();
  };
  const watch = (keys, draw) => {
    let pending = false;
    const schedule = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; draw(schedule); });
    };
    for (const key of keys) model.on(`change:${key}`, schedule);
    schedule();
    return () => { for (const key of keys) model.off(`change:${key}`, schedule); };
  };
  return { update, watch };
}

/** After each frame: what it drew, on the host element (`el.explorerFrame`, with the frame count and the
 *  time), and an "explorer-drawn" event. Tests and bench/ (tools/browser.py) read them. */
function reportFrame(el, frame) {
  el.explorerFrame = { ...frame, time: performance.now() };
  el.dispatchEvent(new CustomEvent("explorer-drawn", { detail: el.explorerFrame }));
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
