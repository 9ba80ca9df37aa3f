// The draw-a-digit explorer's math: a drawing made into a 28x28 input the way MNIST's digits were
// (companion.digit_prep, step for step and operation for operation), and the two networks' forward
// passes (companion.digit_nets): notebook 01's fully connected network and SimpleConvNet.
// Uses conv_math.js (loaded before this file).

const FIELD = 28;
const BOX = 20;
const SUB = 4;
const PEN = 1.2;
const MIN_EXTENT = 0.1;

/** Step 1 (companion.digit_prep.scale_and_place): each stroke's points in output pixels. Strokes are
 *  arrays of [x, y] in units of the drawing area's side. */
export function scaleAndPlace(strokes) {
  if (strokes.length === 0) return [];
  let [loX, loY, hiX, hiY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const stroke of strokes) {
    for (const [x, y] of stroke) {
      loX = Math.min(loX, x);
      loY = Math.min(loY, y);
      hiX = Math.max(hiX, x);
      hiY = Math.max(hiY, y);
    }
  }
  const extent = Math.max(hiX - loX, hiY - loY, MIN_EXTENT);
  const scale = (BOX - 2 * PEN) / extent;
  const cx = (loX + hiX) / 2;
  const cy = (loY + hiY) / 2;
  const place = ([x, y]) => [(x - cx) * scale + FIELD / 2, (y - cy) * scale + FIELD / 2];
  return strokes.map((stroke) => stroke.map(place));
}

/** Indices k of the sample points (k + 0.5) / SUB that may lie within PEN of [lo, hi]. */
function near(lo, hi, n) {
  const first = Math.max(Math.floor((lo - PEN) * SUB - 0.5), 0);
  const last = Math.min(Math.ceil((hi + PEN) * SUB - 0.5), n - 1);
  return [first, last];
}

/** Step 2 (companion.digit_prep.coverage): each pixel's share of its SUB x SUB sample points that lie
 *  within PEN of a stroke's segment (a one-point stroke is a dot). FIELD * FIELD values, row by row. */
export function coverage(placed) {
  const n = FIELD * SUB;
  const inked = new Uint8Array(n * n);
  const r2 = PEN * PEN;
  for (const stroke of placed) {
    const ends = stroke.length > 1 ? stroke : [stroke[0], stroke[0]];
    for (let s = 0; s + 1 < ends.length; s++) {
      const [ax, ay] = ends[s];
      const [bx, by] = ends[s + 1];
      const [c0, c1] = near(Math.min(ax, bx), Math.max(ax, bx), n);
      const [r0, r1] = near(Math.min(ay, by), Math.max(ay, by), n);
      const ex = bx - ax;
      const ey = by - ay;
      const ee = ex * ex + ey * ey;
      for (let r = r0; r <= r1; r++) {
        const dy = (r + 0.5) / SUB - ay;
        for (let c = c0; c <= c1; c++) {
          if (inked[r * n + c]) continue;
          const dx = (c + 0.5) / SUB - ax;
          let t = 0;
          if (ee > 0) t = Math.min(Math.max((dx * ex + dy * ey) / ee, 0), 1);
          const qx = dx - t * ex;
          const qy = dy - t * ey;
          if (qx * qx + qy * qy <= r2) inked[r * n + c] = 1;
        }
      }
    }
  }
  const image = new Float64Array(FIELD * FIELD);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (inked[r * n + c]) image[Math.floor(r / SUB) * FIELD + Math.floor(c / SUB)] += 1;
    }
  }
  return image.map((v) => v / (SUB * SUB));
}

/** Step 3 (companion.digit_prep.centring_shift): the whole-pixel move [dx, dy] that brings the centre
 *  of mass nearest the field's centre. */
export function centringShift(image) {
  let total = 0;
  const colSums = new Float64Array(FIELD);
  const rowSums = new Float64Array(FIELD);
  for (let i = 0; i < FIELD; i++) {
    for (let j = 0; j < FIELD; j++) {
      colSums[j] += image[i * FIELD + j];
      rowSums[i] += image[i * FIELD + j];
      total += image[i * FIELD + j];
    }
  }
  if (total === 0) return [0, 0];
  let mx = 0;
  let my = 0;
  for (let k = 0; k < FIELD; k++) {
    mx += colSums[k] * (k + 0.5);
    my += rowSums[k] * (k + 0.5);
  }
  return [Math.floor(FIELD / 2 - mx / total + 0.5), Math.floor(FIELD / 2 - my / total + 0.5)];
}

/** companion.digit_prep.shift_image: moved dx right and dy down, zeros coming in. */
export function shiftImage(image, dx, dy) {
  const out = new Float64Array(FIELD * FIELD);
  for (let i = 0; i < FIELD; i++) {
    const y = i - dy;
    if (y < 0 || y >= FIELD) continue;
    for (let j = 0; j < FIELD; j++) {
      const x = j - dx;
      if (x >= 0 && x < FIELD) out[i * FIELD + j] = image[y * FIELD + x];
    }
  }
  return out;
}

/** companion.digit_prep.prepare: the network's input for a drawing (FIELD * FIELD grey levels). */
export function prepare(strokes, shift = [0, 0]) {
  const image = coverage(scaleAndPlace(strokes));
  const [dx, dy] = centringShift(image);
  return shiftImage(image, dx + shift[0], dy + shift[1]);
}

// ------------------------------------------------------------------------------------ networks

/** Bytes from base64 text. */
export function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The arrays of a network as companion.digit_nets.encode sends them ({name: {shape, float32:
 *  base64 of little-endian float32}}), each as a Float64Array holding the same values. */
export function decodeNet(encoded) {
  const net = {};
  for (const [name, { shape, float32 }] of Object.entries(encoded)) {
    net[name] = Float64Array.from(new Float32Array(fromBase64(float32).buffer));
    net[name].shape = shape;
  }
  return net;
}

/** A test digit (28 * 28 bytes 0..255) as load_mnist(normalize=True) gives it: float32(v) / 255 in
 *  float32 (rounding the float64 quotient to float32 gives the same number). */
export function digitImage(bytes) {
  return Float64Array.from(bytes, (v) => Math.fround(v / 255));
}

/** Notebook 01's network (companion.three_layer_net.forward with sigmoid and softmax): class
 *  probabilities of one image (784 values). */
export function mlpForward(net, x) {
  const z1 = sigmoid(affine(x, net.W1, net.b1, net.b1.length));
  const z2 = sigmoid(affine(z1, net.W2, net.b2, net.b2.length));
  return softmax(affine(z2, net.W3, net.b3, net.b3.length));
}

/** SimpleConvNet's forward pass (companion.digit_nets.convnet_forward) for one 1 x 28 x 28 image:
 *  {maps: the pooled feature maps (FN * 12 * 12, after ReLU and pooling), probabilities}. */
export function convnetForward(net, x) {
  const [FN, C, FH, FW] = net.W1.shape;
  const conv = relu(convolution(x, C, FIELD, FIELD, net.W1, net.b1, FN, FH, FW, 1, 0));
  const side = outputSize(FIELD, FH, 1, 0);
  const maps = maxPool(conv, FN, side, side, 2, 2, 2, 0).out;
  const hidden = relu(affine(maps, net.W2, net.b2, net.b2.length));
  return { maps, probabilities: softmax(affine(hidden, net.W3, net.b3, net.b3.length)) };
}
