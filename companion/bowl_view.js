// The bowl explorer's figure in the browser (companion/bowl_view.py): a still PNG from matplotlib and,
// over it, the optimizer's path as SVG, redrawn whenever the kernel sends new points.
//
// Model traits: background (base64 PNG), alt (its alt text), size [width, height] of the figure in px,
// clip [left, top, width, height] of the axes box in the same px, points [x0, y0, x1, y1, ...] (px),
// colour of the path.

const SVG = "http://www.w3.org/2000/svg";

function svgElement(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
}

function render({ model, el }) {
  const [width, height] = model.get("size");
  const box = document.createElement("div");
  box.className = "bowl-figure";
  box.style.cssText = `position: relative; width: 100%; max-width: ${width}px;`;

  const img = document.createElement("img");
  img.style.cssText = "display: block; width: 100%; height: auto;";

  // The overlay has the figure's own pixel coordinates (viewBox) and scales with the picture.
  const svg = svgElement("svg", { viewBox: `0 0 ${width} ${height}` });
  svg.classList.add("bowl-overlay");
  svg.style.cssText = "position: absolute; left: 0; top: 0; width: 100%; height: 100%; pointer-events: none;";
  // A nested svg clips the path to the axes box, as matplotlib clips lines to their axes.
  const [left, top, w, h] = model.get("clip");
  const axes = svgElement("svg", { x: left, y: top, width: w, height: h, viewBox: `${left} ${top} ${w} ${h}`,
                                   overflow: "hidden" });
  const line = svgElement("polyline", { fill: "none", "stroke-width": 1.4, "stroke-linejoin": "round" });
  line.classList.add("bowl-path");
  // Each point is a zero-length segment with round caps: a dot as wide as the stroke.
  const dots = svgElement("path", { "stroke-width": 4.5, "stroke-linecap": "round" });
  axes.append(line, dots);
  svg.append(axes);
  box.append(img, svg);
  el.append(box);

  function drawBackground() {
    img.src = "data:image/png;base64," + model.get("background");
    img.alt = model.get("alt");
  }

  function drawPath() {
    const p = model.get("points");
    const pairs = [];
    let d = "";
    for (let i = 0; i + 1 < p.length; i += 2) {
      const x = p[i].toFixed(1), y = p[i + 1].toFixed(1);
      pairs.push(`${x},${y}`);
      d += `M${x} ${y}h0`;
    }
    line.setAttribute("points", pairs.join(" "));
    dots.setAttribute("d", d);
    line.setAttribute("stroke", model.get("colour"));
    dots.setAttribute("stroke", model.get("colour"));
  }

  drawBackground();
  drawPath();
  model.on("change:background", drawBackground);
  model.on("change:points", drawPath);
  return () => {
    model.off("change:background", drawBackground);
    model.off("change:points", drawPath);
  };
}

export default { render };
