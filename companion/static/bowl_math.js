// The math of the bowl explorer (notebook 09), in the browser: a line-for-line mirror of
// companion.bowl (the bowl, its gradient, descend) and of the update rules of common.optimizer, which
// stay the reference (tests/browser/test_explorer_math.py compares the paths on a grid of settings), and
// the status sentence of companion.bowl_view.describe_run.

/* global fill */

const EPS = 1e-7; // common.optimizer._EPS

/** The gradient of f(x, y) = x²/20 + y² (companion.bowl.grad). */
export function grad(x, y) {
  return [x / 10.0, 2.0 * y];
}

/** Per-parameter state (common.optimizer._state): zeros for x and y. */
const zeros = () => ({ x: 0, y: 0 });

/** The update rules of common.optimizer on the parameters {x, y}, each with its state. */
const RULES = {
  SGD: ({ lr }) => (p, g) => {
    for (const k in p) p[k] -= lr * g[k];
  },
  Momentum: ({ lr, beta: momentum }, v = zeros()) => (p, g) => {
    for (const k in p) {
      v[k] = momentum * v[k] - lr * g[k];
      p[k] += v[k];
    }
  },
  Nesterov: ({ lr, beta: momentum }, v = zeros()) => (p, g) => {
    for (const k in p) {
      v[k] = momentum * v[k] - lr * g[k];
      p[k] += momentum * v[k] - lr * g[k];
    }
  },
  AdaGrad: ({ lr }, h = zeros()) => (p, g) => {
    for (const k in p) {
      h[k] = h[k] + g[k] * g[k];
      p[k] -= lr * g[k] / (Math.sqrt(h[k]) + EPS);
    }
  },
  RMSprop: ({ lr, beta: decay }, h = zeros()) => (p, g) => {
    for (const k in p) {
      h[k] = decay * h[k] + (1 - decay) * g[k] * g[k];
      p[k] -= lr * g[k] / (Math.sqrt(h[k]) + EPS);
    }
  },
  Adam: ({ lr, beta: beta1, beta2 }, m = zeros(), v = zeros(), t = { iter: 0 }) => (p, g) => {
    t.iter += 1;
    const lrT = lr * Math.sqrt(1 - beta2 ** t.iter) / (1 - beta1 ** t.iter);
    for (const k in p) {
      m[k] = beta1 * m[k] + (1 - beta1) * g[k];
      v[k] = beta2 * v[k] + (1 - beta2) * g[k] * g[k];
      p[k] -= lrT * m[k] / (Math.sqrt(v[k]) + EPS);
    }
  },
};

/** A fresh optimizer's update(params, grads): name as in companion.bowl.OPTIMIZERS, settings
 *  {lr, beta (its second setting), beta2 (Adam's, fixed at common.optimizer's default)}. */
export function makeOptimizer(name, settings) {
  return RULES[name](settings);
}

/** companion.bowl.descend: the start, then the point after each update, up to `steps` updates; the
 *  path ends early at the first point within `stopWithin` of the minimum (if given) or farther than
 *  `escape`. Returns the points as an array of [x, y]. */
export function descend(update, { steps, start, stopWithin = null, escape }) {
  const p = { x: start[0], y: start[1] };
  const points = [[p.x, p.y]];
  for (let i = 0; i < steps; i++) {
    const [gx, gy] = grad(p.x, p.y);
    update(p, { x: gx, y: gy });
    points.push([p.x, p.y]);
    const distance = Math.hypot(p.x, p.y);
    if (!(distance < escape) || (stopWithin !== null && distance <= stopWithin)) break;
  }
  return points;
}

/** One run of the explorer (companion.bowl_view.BowlExplorer's path, steps, diverged): the path up
 *  to the first point within bowl.tolerance of the minimum, at most bowl.max_steps updates. */
export function run(name, settings, bowl) {
  const path = descend(makeOptimizer(name, settings), {
    steps: bowl.max_steps, start: bowl.start, stopWithin: bowl.tolerance, escape: bowl.escape,
  });
  const end = Math.hypot(...path[path.length - 1]);
  return { path, end, steps: end <= bowl.tolerance ? path.length - 1 : null, diverged: !(end < bowl.escape) };
}

// ----------------------------------------------------------------------------------------- words

/** Python's format(v, ".{precision}g"): `precision` significant digits, no trailing zeros, an
 *  exponent (two digits at least) below 1e-4 and from 10**precision up. */
export function formatG(v, precision = 6) {
  if (v === 0) return "0";
  const strip = (s) => (s.includes(".") ? s.replace(/\.?0+$/, "") : s);
  const [mantissa, exponent] = v.toExponential(precision - 1).split("e");
  const e = Number(exponent);
  if (e < -4 || e >= precision) {
    return `${strip(mantissa)}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  return strip(v.toFixed(precision - 1 - e));
}

/** The line under the figure (companion.bowl_view.describe_run says the same). */
export function describeRun(s, result, bowl, W) {
  const second = bowl.optimizers[s.name].second;
  let setting = `lr = ${formatG(s.lr)}`;
  if (second !== null) setting += `, ${second} = ${formatG(s.beta)}`;
  const head = fill(W.head, { name: s.name, setting });
  const tol = formatG(bowl.tolerance);
  if (result.steps !== null) return fill(W.reached, { head, tol, steps: result.steps });
  if (result.diverged) {
    return fill(W.diverged, { head, steps: result.path.length - 1, escape: formatG(bowl.escape) });
  }
  return fill(W.not_yet, { head, tol, max_steps: bowl.max_steps, end: formatG(result.end, 3) });
}
