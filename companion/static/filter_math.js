// The slide-a-filter explorer's filters (companion.filter_view.filter_weights, value for value) and
// one state's numbers: the convolution's output, the current window's im2col row, the max pooling
// of the output after ReLU and where its gradient goes back. Uses conv_math.js (loaded before it).

/** A hand-set edge filter of size k x k: "vertical" weighs each column by its offset from the centre,
 *  v - (k - 1) / 2 (for k = 3 the Prewitt filter: -1 0 1 in every row), "horizontal" each row. */
export function edgeFilter(kind, k) {
  const W = new Float64Array(k * k);
  for (let u = 0; u < k; u++) {
    for (let v = 0; v < k; v++) W[u * k + v] = kind === "vertical" ? v - (k - 1) / 2 : u - (k - 1) / 2;
  }
  return W;
}

/** The filter named `name` ("vertical", "horizontal" or "learned N", N = 1..30) at size k (the learned
 *  ones are always 5 x 5): {W (k * k), b, k}. `net` holds SimpleConvNet's W1 and b1 (digit_math.js). */
export function filterWeights(net, name, k) {
  if (name.startsWith("learned")) {
    const n = Number(name.split(" ")[1]) - 1;
    const size = net.W1.shape[2];
    return { W: net.W1.subarray(n * size * size, (n + 1) * size * size), b: net.b1[n], k: size };
  }
  return { W: edgeFilter(name, k), b: 0, k };
}

/** Everything one state shows, for an image of H x W (one channel). null parts where a size does not
 *  fit (the output size formula gives no whole number). */
export function slideState(x, H, Wd, filter, stride, pad, row, poolSize, poolStride) {
  const OH = outputSize(H, filter.k, stride, pad);
  const OW = outputSize(Wd, filter.k, stride, pad);
  if (OH === null || OW === null) return { OH, OW, output: null };
  const output = convolution(x, 1, H, Wd, filter.W, [filter.b], 1, filter.k, filter.k, stride, pad);
  const r = Math.min(Math.max(row, 0), OH * OW - 1);
  const i = Math.floor(r / OW);
  const j = r % OW;
  const colRow = im2colRow(x, 1, H, Wd, filter.k, filter.k, stride, pad, i, j);
  const activated = relu(output);
  const pooled = maxPool(activated, 1, OH, OW, poolSize, poolSize, poolStride, 0);
  const ones = pooled && new Float64Array(pooled.out.length).fill(1);
  const back = pooled && maxPoolBackward(ones, pooled.argMax, 1, OH, OW, poolSize, poolSize, poolStride, 0);
  return { OH, OW, output, row: r, i, j, colRow, activated, pooled, back };
}
