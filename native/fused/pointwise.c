// Element-wise steps: bias and activation after a product, their gradients, dropout, copies.
#include "fused.h"

static inline float activate(float v, int act) {
  switch (act) {
    case ACT_RELU: return v > 0.0f ? v : 0.0f;
    case ACT_SIGMOID: return 1.0f / (1.0f + expf_fast(-v));
    case ACT_TANH: {
      // tanh(v) = 1 - 2 / (exp(2v) + 1), exact enough away from 0; near 0 the odd series.
      if (v > -0.0625f && v < 0.0625f) { const float v2 = v * v; return v * (1.0f - v2 * (1.0f / 3.0f - v2 * (2.0f / 15.0f))); }
      return 1.0f - 2.0f / (expf_fast(2.0f * v) + 1.0f);
    }
    default: return v;
  }
}

/** Y[rows x cols] = act(Y + bias) in place; bias may be 0 (none). */
EXPORT(bias_act)(int tid, int nt, float *Y, int rows, int cols, const float *bias, int act) {
  int from, to;
  share(tid, nt, rows, &from, &to);
  if (act == ACT_RELU || act == ACT_LINEAR) {
    const v128_t zero = wasm_f32x4_splat(0.0f);
    for (int r = from; r < to; r++) {
      float *row = Y + (int64_t)r * cols;
      int j = 0;
      for (; j + 4 <= cols; j += 4) {
        v128_t v = wasm_v128_load(row + j);
        if (bias) v = wasm_f32x4_add(v, wasm_v128_load(bias + j));
        if (act == ACT_RELU) v = wasm_f32x4_max(v, zero);
        wasm_v128_store(row + j, v);
      }
      for (; j < cols; j++) row[j] = activate(row[j] + (bias ? bias[j] : 0.0f), act);
    }
    return;
  }
  for (int r = from; r < to; r++) {
    float *row = Y + (int64_t)r * cols;
    for (int j = 0; j < cols; j++) row[j] = activate(row[j] + (bias ? bias[j] : 0.0f), act);
  }
}

/** dY *= act'(the pre-activation), from the activation's output Y. */
EXPORT(act_grad)(int tid, int nt, float *dY, const float *Y, int count, int act) {
  int from, to;
  share(tid, nt, count, &from, &to);
  switch (act) {
    case ACT_RELU: {
      const v128_t zero = wasm_f32x4_splat(0.0f);
      int i = from;
      for (; i + 4 <= to; i += 4) {
        const v128_t keep = wasm_f32x4_gt(wasm_v128_load(Y + i), zero);
        wasm_v128_store(dY + i, wasm_v128_and(wasm_v128_load(dY + i), keep));
      }
      for (; i < to; i++) dY[i] = Y[i] > 0.0f ? dY[i] : 0.0f;
      break;
    }
    case ACT_SIGMOID:
      for (int i = from; i < to; i++) dY[i] *= Y[i] * (1.0f - Y[i]);
      break;
    case ACT_TANH:
      for (int i = from; i < to; i++) dY[i] *= 1.0f - Y[i] * Y[i];
      break;
    default:
      break;
  }
}

// A counter-based generator (a 32-bit hash of seed and index): any thread split gives the same masks.
static inline uint32_t hash32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

/**
 * y = x * mask, mask = 1 / (1 - rate) where a uniform draw >= rate, else 0 (tfjs's dropout), the
 * draws keyed by the step's seed (written before each step) and the layer's salt.
 */
EXPORT(dropout)(int tid, int nt, const float *x, float *y, float *mask, int count, float rate, const uint32_t *step_seed, uint32_t salt) {
  int from, to;
  share(tid, nt, count, &from, &to);
  const float keep = 1.0f / (1.0f - rate);
  const uint32_t key = hash32(*step_seed ^ hash32(salt + 0x9e3779b9U));
  for (int i = from; i < to; i++) {
    const float u = (float)(hash32((uint32_t)i ^ key) >> 8) * (1.0f / 16777216.0f);
    const float m = u >= rate ? keep : 0.0f;
    mask[i] = m;
    y[i] = x[i] * m;
  }
}

/** out = a * b, element-wise (dropout's gradient). */
EXPORT(multiply)(int tid, int nt, float *out, const float *a, const float *b, int count) {
  int from, to;
  share(tid, nt, count, &from, &to);
  int i = from;
  for (; i + 4 <= to && ((i & 3) == 0); i += 4) wasm_v128_store(out + i, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  for (; i < to; i++) out[i] = a[i] * b[i];
}

EXPORT(copy)(int tid, int nt, float *dst, const float *src, int count) {
  int from, to;
  share(tid, nt, count, &from, &to);
  for (int i = from; i < to; i++) dst[i] = src[i];
}

/** Row-wise softmax of Z[rows x cols] into P (inference of a model that ends in softmax). */
EXPORT(softmax)(int tid, int nt, const float *Z, float *P, int rows, int cols) {
  int from, to;
  share(tid, nt, rows, &from, &to);
  for (int r = from; r < to; r++) {
    const float *z = Z + (int64_t)r * cols;
    float *p = P + (int64_t)r * cols;
    float top = z[0];
    for (int j = 1; j < cols; j++) top = z[j] > top ? z[j] : top;
    float sum = 0.0f;
    for (int j = 0; j < cols; j++) sum += (p[j] = expf_fast(z[j] - top));
    for (int j = 0; j < cols; j++) p[j] /= sum;
  }
}

/**
 * Mean softmax cross-entropy of logits Z[rows x cols] against int labels, its gradient dZ, and
 * the batch's accuracy: out[0] = mean loss, out[1] = accuracy. With `probabilities` the model's
 * last layer applies softmax, and the loss follows tfjs's categoricalCrossentropy on its output:
 * normalized by its sum, clipped to [1e-7, 1 - 1e-7] (where the gradient stops), then the log.
 * Small (batch x classes): thread 0 does it.
 */
EXPORT(softmax_xent)(int tid, int nt, const float *Z, const int *labels, float *dZ, int rows, int cols, int probabilities, float *out) {
  if (tid != 0) return;
  const float eps = 1e-7f;
  float loss = 0.0f;
  int correct = 0;
  const float inv = 1.0f / (float)rows;
  for (int r = 0; r < rows; r++) {
    const float *z = Z + (int64_t)r * cols;
    float *g = dZ + (int64_t)r * cols;
    const int label = labels[r];
    float top = z[0];
    int best = 0;
    for (int j = 1; j < cols; j++)
      if (z[j] > top) { top = z[j]; best = j; }
    if (best == label) correct++;
    float sum = 0.0f;
    for (int j = 0; j < cols; j++) sum += (g[j] = expf_fast(z[j] - top));
    for (int j = 0; j < cols; j++) g[j] /= sum; // g = p
    if (!probabilities) {
      loss += -((z[label] - top) - logf_fast(sum));
      for (int j = 0; j < cols; j++) g[j] = (g[j] - (j == label ? 1.0f : 0.0f)) * inv;
      continue;
    }
    // q = p / sum(p), clipped; L = -log(q[label]); dL/dq = -1/q[label] inside the clip range.
    float total = 0.0f;
    for (int j = 0; j < cols; j++) total += g[j];
    const float q = g[label] / total;
    const float qc = q < eps ? eps : q > 1.0f - eps ? 1.0f - eps : q;
    loss += -logf_fast(qc);
    const float dq = (q >= eps && q <= 1.0f - eps) ? -1.0f / qc : 0.0f;
    // through q = p / total: dp_j = dq * ([j == label] / total - p_label / total^2)
    const float pl = g[label];
    const float dp_other = -dq * pl / (total * total);
    const float dp_label = dq / total + dp_other;
    float dot = 0.0f;
    for (int j = 0; j < cols; j++) dot += (j == label ? dp_label : dp_other) * g[j];
    // through the softmax: dz_j = p_j * (dp_j - sum_k dp_k p_k)
    for (int j = 0; j < cols; j++) g[j] = g[j] * ((j == label ? dp_label : dp_other) - dot) * inv;
  }
  out[0] = loss * inv;
  out[1] = (float)correct / (float)rows;
}
