// The math of the tower explorer (notebook 07), in the browser: a line-for-line mirror of
// companion.towers, which stays the reference (tests/browser/test_explorer_math.py compares the two on a
// grid of inputs to 1e-12), and the status sentence of companion.towers_view.describe_state.
//
// The host prepends `const TARGET_FUNCTIONS = {name: (x) => ..., ...}`, generated from the `js`
// expression of each companion.towers.TARGETS entry (companion.towers_view.esm_source).
/* global TARGET_FUNCTIONS, fill */

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


// ----------------------------------------------------------------------------------------- words

/** The status line under the figure in the words `W` (one language of companion.towers_view.WORDS,
 *  whose describe_state fills the same templates). */
export function describe(s, error, W) {
  const towers = fill(s.n === 1 ? W.tower_one : W.tower_many, { n: s.n, kind: W.kinds[s.kind] });
  const head = fill(W.head, {
    towers, w: formatW(s.w), max: error.maxAbs.toFixed(3), mean: error.meanAbs.toFixed(3),
  });
  const verdict = fill(error.maxAbs <= s.bound ? W.within : W.not_yet, { bound: s.bound });
  return [head, verdict, fill(W.tail, { source: s.heights_source })].join(W.sep);
}
