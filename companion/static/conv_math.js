// The layers of common (common.util.im2col, common.layers.Convolution, Relu, Pooling, Affine, and
// common.functions.sigmoid, softmax) in JavaScript, for one image at a time, in float64. The explorers
// of companion/draw_view.py and companion/filter_view.py compute with them in the browser;
// tests/browser/test_draw_digit.py and tests/browser/test_slide_filter.py compare them with common's.
//
// An image is a Float64Array of C * H * W values, channel by channel, row by row (numpy's (C, H, W)).

/** The convolution's output size (H + 2 pad - FH) / stride + 1, or null when it is not a whole number
 *  of strides (common.util refuses those sizes) or the filter is larger than the padded input. */
export function outputSize(size, filterSize, stride, pad) {
  const span = size + 2 * pad - filterSize;
  if (span < 0 || span % stride !== 0) return null;
  return span / stride + 1;
}

/** One row of common.util.im2col for the window whose top-left corner is at (i * stride, j * stride) of
 *  the zero-padded input: its C * FH * FW values, channel by channel, each channel's window row by row.
 *  The row's index in the matrix is i * OW + j (one image). */
export function im2colRow(x, C, H, W, FH, FW, stride, pad, i, j) {
  const row = new Float64Array(C * FH * FW);
  let k = 0;
  for (let c = 0; c < C; c++) {
    for (let u = 0; u < FH; u++) {
      const y = i * stride + u - pad; // the row in the unpadded input
      for (let v = 0; v < FW; v++) {
        const xCol = j * stride + v - pad;
        row[k++] = y >= 0 && y < H && xCol >= 0 && xCol < W ? x[(c * H + y) * W + xCol] : 0;
      }
    }
  }
  return row;
}

/** common.util.im2col for one image: (OH * OW) rows of C * FH * FW values, as an array of rows. */
export function im2col(x, C, H, W, FH, FW, stride, pad) {
  const OH = outputSize(H, FH, stride, pad);
  const OW = outputSize(W, FW, stride, pad);
  const rows = [];
  for (let i = 0; i < OH; i++) {
    for (let j = 0; j < OW; j++) rows.push(im2colRow(x, C, H, W, FH, FW, stride, pad, i, j));
  }
  return rows;
}

/** common.layers.Convolution.forward for one image: out[f, i, j] = W[f] . im2col row (i, j) + b[f].
 *  W: Float64Array of FN * C * FH * FW (numpy's (FN, C, FH, FW)), b: FN values. Returns FN * OH * OW.
 *  The im2col matrix is laid out in one array, row after row (a frame makes it once per move). */
export function convolution(x, C, H, Wd, W, b, FN, FH, FW, stride, pad) {
  const OH = outputSize(H, FH, stride, pad);
  const OW = outputSize(Wd, FW, stride, pad);
  const K = C * FH * FW;
  const rows = OH * OW;
  const col = new Float64Array(rows * K);
  for (let i = 0; i < OH; i++) {
    for (let j = 0; j < OW; j++) col.set(im2colRow(x, C, H, Wd, FH, FW, stride, pad, i, j), (i * OW + j) * K);
  }
  const out = new Float64Array(FN * rows);
  for (let f = 0; f < FN; f++) {
    const base = f * K;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let k = 0, o = r * K; k < K; k++, o++) s += W[base + k] * col[o];
      out[f * rows + r] = s + b[f];
    }
  }
  return out;
}

/** common.layers.Relu.forward: max(0, x), element by element (a new array). */
export function relu(x) {
  return x.map((v) => (v > 0 ? v : 0));
}

/** common.layers.Pooling.forward (max) for one image, with the layer's arg_max: for every output, the
 *  index u * PW + v of the first largest value in its window (padding counts as -Infinity).
 *  Returns {out, argMax, OH, OW} (C * OH * OW each), or null for sizes Pooling refuses. */
export function maxPool(x, C, H, W, PH, PW, stride, pad) {
  const OH = outputSize(H, PH, stride, pad);
  const OW = outputSize(W, PW, stride, pad);
  if (OH === null || OW === null) return null;
  const out = new Float64Array(C * OH * OW);
  const argMax = new Int32Array(C * OH * OW);
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++) {
        let best = -Infinity;
        let where = 0;
        for (let u = 0; u < PH; u++) {
          const y = i * stride + u - pad;
          for (let v = 0; v < PW; v++) {
            const xCol = j * stride + v - pad;
            const value = y >= 0 && y < H && xCol >= 0 && xCol < W ? x[(c * H + y) * W + xCol] : -Infinity;
            if (value > best || (u === 0 && v === 0)) {
              best = value;
              where = u * PW + v;
            }
          }
        }
        out[(c * OH + i) * OW + j] = best;
        argMax[(c * OH + i) * OW + j] = where;
      }
    }
  }
  return { out, argMax, OH, OW };
}

/** common.layers.Pooling.backward for one image: each output's gradient goes back to the input cell
 *  its maximum came from (argMax); every other cell gets 0. Returns C * H * W values. */
export function maxPoolBackward(dout, argMax, C, H, W, PH, PW, stride, pad) {
  const OH = outputSize(H, PH, stride, pad);
  const OW = outputSize(W, PW, stride, pad);
  const dx = new Float64Array(C * H * W);
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++) {
        const o = (c * OH + i) * OW + j;
        const y = i * stride + Math.floor(argMax[o] / PW) - pad;
        const xCol = j * stride + (argMax[o] % PW) - pad;
        if (y >= 0 && y < H && xCol >= 0 && xCol < W) dx[(c * H + y) * W + xCol] += dout[o];
      }
    }
  }
  return dx;
}

/** common.layers.Affine.forward for one input: x W + b, W (D, M) row by row. Zeros of x (after a ReLU,
 *  about half of them) are skipped: they add nothing. */
export function affine(x, W, b, M) {
  const out = new Float64Array(M);
  for (let d = 0; d < x.length; d++) {
    const a = x[d];
    if (a === 0) continue;
    const base = d * M;
    for (let m = 0; m < M; m++) out[m] += a * W[base + m];
  }
  for (let m = 0; m < M; m++) out[m] += b[m];
  return out;
}

/** common.functions.sigmoid: with e = exp(-|x|), 1 / (1 + e) for x >= 0 and e / (1 + e) below. */
export function sigmoid(x) {
  return x.map((v) => {
    const e = Math.exp(-Math.abs(v));
    return (v >= 0 ? 1 : e) / (1 + e);
  });
}

/** common.functions.softmax: exp(a - max a) / sum exp(a - max a). */
export function softmax(a) {
  let top = -Infinity;
  for (const v of a) top = Math.max(top, v);
  const e = a.map((v) => Math.exp(v - top));
  let s = 0;
  for (const v of e) s += v;
  return e.map((v) => v / s);
}
