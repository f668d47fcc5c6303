/*
 * DigitNormalizer in the browser: a grey drawing prepared the way skmnist's
 * DigitNormalizer prepares images (skmnist/preprocessing/_digits.py), step for step,
 * so that the exported model reads it as Python would:
 *
 *   1. contrast stretched, inverted when the border (its median) is light;
 *   2. ink: what stands out by more than the threshold of the contrast (or the paper's
 *      grain), 8-connected regions smaller than speck_fraction of the largest removed,
 *      the faint pixels touching the ink kept;
 *   3. cropped to the ink, scaled to fit box_size with Lanczos resampling as Pillow does
 *      it on float images, placed in field_size with its centre of mass at the centre.
 *
 * prepareDigit(grey, height, width) returns a Uint8Array of field_size * field_size
 * pixels, bright ink on black. The documentation's browser check compares it with
 * DigitNormalizer's output on the same drawing.
 */
(function (root) {
  "use strict";

  const DEFAULTS = { boxSize: 20, fieldSize: 28, threshold: 0.2, speckFraction: 0.01 };

  function median(values) {
    const sorted = Float64Array.from(values).sort();
    const n = sorted.length;
    return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  // numpy's rint: halves to the even neighbour
  function rint(x) {
    const floor = Math.floor(x);
    const diff = x - floor;
    if (diff > 0.5) return floor + 1;
    if (diff < 0.5) return floor;
    return floor % 2 === 0 ? floor : floor + 1;
  }

  function border(image, height, width) {
    const values = [];
    for (let c = 0; c < width; c++) values.push(image[c]);
    for (let c = 0; c < width; c++) values.push(image[(height - 1) * width + c]);
    for (let r = 1; r < height - 1; r++) values.push(image[r * width]);
    for (let r = 1; r < height - 1; r++) values.push(image[r * width + width - 1]);
    return values;
  }

  // 8-connected regions of a mask: their labels (0 outside) and sizes (index 0 unused)
  function label(mask, height, width) {
    const labels = new Int32Array(height * width);
    const sizes = [0];
    const stack = [];
    for (let start = 0; start < mask.length; start++) {
      if (!mask[start] || labels[start]) continue;
      const region = sizes.length;
      let size = 0;
      labels[start] = region;
      stack.push(start);
      while (stack.length) {
        const at = stack.pop();
        size++;
        const r = Math.floor(at / width), c = at % width;
        for (let dr = -1; dr <= 1; dr++) {
          for (let dc = -1; dc <= 1; dc++) {
            const rr = r + dr, cc = c + dc;
            if (rr < 0 || rr >= height || cc < 0 || cc >= width) continue;
            const next = rr * width + cc;
            if (mask[next] && !labels[next]) {
              labels[next] = region;
              stack.push(next);
            }
          }
        }
      }
      sizes.push(size);
    }
    return { labels, sizes };
  }

  // The ink of a grey image as levels in [0, 1], or null when there is none.
  function ink(image, height, width, options) {
    const n = height * width;
    let low = Infinity, high = -Infinity;
    for (let i = 0; i < n; i++) {
      if (image[i] < low) low = image[i];
      if (image[i] > high) high = image[i];
    }
    if (high === low) return null;
    const level = Float64Array.from(image);
    let background = median(border(level, height, width));
    if (background > (low + high) / 2) {
      for (let i = 0; i < n; i++) level[i] = high + low - level[i];
      background = high + low - background;
    }
    let top = -Infinity;
    for (let i = 0; i < n; i++) if (level[i] > top) top = level[i];
    const span = top - background || 1.0;
    for (let i = 0; i < n; i++) level[i] = Math.min(1, Math.max(0, (level[i] - background) / span));
    const edge = border(level, height, width);
    const middle = median(edge);
    const grain = middle + 3 * 1.4826 * median(edge.map((v) => Math.abs(v - middle)));
    for (let i = 0; i < n; i++) if (level[i] <= grain) level[i] = 0;
    const cut = Math.max(options.threshold, grain);
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = level[i] > cut ? 1 : 0;
    const { labels, sizes } = label(mask, height, width);
    if (sizes.length === 1) return null;
    const largest = Math.max(...sizes);
    const kept = new Uint8Array(labels.length);
    for (let i = 0; i < labels.length; i++) {
      kept[i] = labels[i] && sizes[labels[i]] >= options.speckFraction * largest ? 1 : 0;
    }
    // the faint edges stay: the pixels within one (8-connected) step of the ink kept, by
    // a 3x3 dilation done as a horizontal then a vertical pass
    const across = new Uint8Array(kept.length);
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const i = r * width + c;
        across[i] = kept[i] | (c > 0 ? kept[i - 1] : 0) | (c < width - 1 ? kept[i + 1] : 0);
      }
    }
    const out = new Float64Array(level.length);
    for (let i = 0; i < out.length; i++) {
      const near = across[i] | (i >= width ? across[i - width] : 0) | (i < out.length - width ? across[i + width] : 0);
      if (near) out[i] = level[i];
    }
    return out;
  }

  function lanczos(x) {
    const sinc = (t) => (t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t));
    return x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0;
  }

  // Each output position's first input index and weights, as Pillow computes them.
  function coefficients(inSize, outSize) {
    const scale = inSize / outSize;
    const filterScale = Math.max(scale, 1);
    const support = 3 * filterScale;
    const taps = [];
    for (let out = 0; out < outSize; out++) {
      const centre = (out + 0.5) * scale;
      const first = Math.max(0, Math.trunc(centre - support + 0.5));
      const last = Math.min(inSize, Math.trunc(centre + support + 0.5));
      const weights = [];
      let total = 0;
      for (let i = first; i < last; i++) {
        const w = lanczos((i - centre + 0.5) / filterScale);
        weights.push(w);
        total += w;
      }
      taps.push({ first, weights: weights.map((w) => (total !== 0 ? w / total : w)) });
    }
    return taps;
  }

  // Pillow's two-pass resize of a float ("F") image: horizontal, then vertical, float32.
  function resize(image, height, width, outHeight, outWidth) {
    let current = Float32Array.from(image);
    let rows = height;
    const vertical = coefficients(height, outHeight);
    if (outWidth !== width) {
      // only the rows the vertical pass reads
      const firstRow = vertical[0].first;
      const lastRow = vertical[outHeight - 1].first + vertical[outHeight - 1].weights.length;
      const horizontal = coefficients(width, outWidth);
      const next = new Float32Array((lastRow - firstRow) * outWidth);
      for (let r = firstRow; r < lastRow; r++) {
        for (let c = 0; c < outWidth; c++) {
          const { first, weights } = horizontal[c];
          let sum = 0;
          for (let k = 0; k < weights.length; k++) sum += current[r * width + first + k] * weights[k];
          next[(r - firstRow) * outWidth + c] = sum;
        }
      }
      for (const tap of vertical) tap.first -= firstRow;
      current = next;
      rows = lastRow - firstRow;
      width = outWidth;
    }
    if (outHeight === height && rows === height) return current;
    const out = new Float32Array(outHeight * width);
    for (let r = 0; r < outHeight; r++) {
      const { first, weights } = vertical[r];
      for (let c = 0; c < width; c++) {
        let sum = 0;
        for (let k = 0; k < weights.length; k++) sum += current[(first + k) * width + c] * weights[k];
        out[r * width + c] = sum;
      }
    }
    return out;
  }

  function prepareDigit(grey, height, width, options) {
    const o = Object.assign({}, DEFAULTS, options || {});
    const field = new Float64Array(o.fieldSize * o.fieldSize);
    const level = ink(grey, height, width, o);
    if (level === null) return new Uint8Array(field.length);
    let top = height, bottom = -1, left = width, right = -1;
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        if (level[r * width + c] !== 0) {
          top = Math.min(top, r); bottom = Math.max(bottom, r);
          left = Math.min(left, c); right = Math.max(right, c);
        }
      }
    }
    const cropHeight = bottom - top + 1, cropWidth = right - left + 1;
    const crop = new Float64Array(cropHeight * cropWidth);
    for (let r = 0; r < cropHeight; r++) {
      for (let c = 0; c < cropWidth; c++) crop[r * cropWidth + c] = level[(top + r) * width + left + c];
    }
    const scale = o.boxSize / Math.max(cropHeight, cropWidth);
    const digitWidth = Math.max(1, Math.round(cropWidth * scale));
    const digitHeight = Math.max(1, Math.round(cropHeight * scale));
    const digit = resize(crop, cropHeight, cropWidth, digitHeight, digitWidth)
      .map((v) => Math.min(1, Math.max(0, v)));
    let mass = 0, rowSum = 0, colSum = 0;
    for (let r = 0; r < digitHeight; r++) {
      for (let c = 0; c < digitWidth; c++) {
        const v = digit[r * digitWidth + c];
        mass += v; rowSum += r * v; colSum += c * v;
      }
    }
    const place = (shift, length) => Math.min(o.fieldSize - length, Math.max(0, rint(shift)));
    const rowAt = place(o.fieldSize / 2 - rowSum / mass, digitHeight);
    const colAt = place(o.fieldSize / 2 - colSum / mass, digitWidth);
    for (let r = 0; r < digitHeight; r++) {
      for (let c = 0; c < digitWidth; c++) {
        field[(rowAt + r) * o.fieldSize + colAt + c] = digit[r * digitWidth + c];
      }
    }
    return Uint8Array.from(field, (v) => rint(v * 255));
  }

  const api = { prepareDigit };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.skmnistPrepare = api;
})(typeof self !== "undefined" ? self : this);
