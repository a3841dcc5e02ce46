// Pooling windows over NHWC inputs: max pooling keeps the index of each maximum for its gradient;
// average pooling divides by the window's positions inside the input.
#include "fused.h"

#define SHAPE_ARGS int n, int h, int w, int c, int kh, int kw, int sh, int sw, int pt, int pl, int ho, int wo

/**
 * Max pooling; `arg` keeps, per output, the input index of its maximum (the first, on ties, as
 * tfjs's cpu backend). Four channels at a time where the channel count allows.
 */
EXPORT(maxpool)(int tid, int nt, const float *x, float *y, int *arg, SHAPE_ARGS) {
  int from, to;
  share(tid, nt, n * ho, &from, &to);
  const int vec = (c & 3) == 0 ? c : 0;
  const v128_t lanes = wasm_i32x4_make(0, 1, 2, 3);
  for (int r = from; r < to; r++) {
    const int b = r / ho, oy = r % ho;
    const int y0 = max_i(oy * sh - pt, 0), y1 = min_i(oy * sh - pt + kh, h);
    for (int ox = 0; ox < wo; ox++) {
      const int x0 = max_i(ox * sw - pl, 0), x1 = min_i(ox * sw - pl + kw, w);
      const int64_t out = (((int64_t)b * ho + oy) * wo + ox) * c;
      for (int ci = 0; ci < vec; ci += 4) {
        v128_t best = wasm_f32x4_splat(-__builtin_inff());
        v128_t at = wasm_i32x4_splat(-1);
        for (int iy = y0; iy < y1; iy++) {
          for (int ix = x0; ix < x1; ix++) {
            const int index = ((b * h + iy) * w + ix) * c + ci;
            const v128_t v = wasm_v128_load(x + index);
            const v128_t take = wasm_v128_or(wasm_f32x4_gt(v, best), wasm_i32x4_eq(at, wasm_i32x4_splat(-1)));
            best = wasm_v128_bitselect(v, best, take);
            at = wasm_v128_bitselect(wasm_i32x4_add(wasm_i32x4_splat(index), lanes), at, take);
          }
        }
        wasm_v128_store(y + out + ci, best);
        wasm_v128_store(arg + out + ci, at);
      }
      for (int ci = vec; ci < c; ci++) {
        float best = -__builtin_inff();
        int at = -1;
        for (int iy = y0; iy < y1; iy++) {
          for (int ix = x0; ix < x1; ix++) {
            const int index = ((b * h + iy) * w + ix) * c + ci;
            if (at < 0 || x[index] > best) {
              best = x[index];
              at = index;
            }
          }
        }
        y[out + ci] = best;
        arg[out + ci] = at;
      }
    }
  }
}

EXPORT(maxpool_grad)(int tid, int nt, const float *dy, const int *arg, float *dx, SHAPE_ARGS) {
  int from, to;
  share(tid, nt, n, &from, &to);
  const int64_t in_per = (int64_t)h * w * c, out_per = (int64_t)ho * wo * c;
  for (int64_t i = from * in_per; i < to * in_per; i++) dx[i] = 0.0f;
  for (int64_t i = from * out_per; i < to * out_per; i++) dx[arg[i]] += dy[i];
}

/** The rows [*y0, *y1) and columns [*x0, *x1) of the input that output (oy, ox)'s window covers. */
static inline void window_inside(int oy, int ox, int h, int w, int kh, int kw, int sh, int sw, int pt, int pl, int *y0, int *y1, int *x0, int *x1) {
  *y0 = max_i(oy * sh - pt, 0);
  *y1 = min_i(oy * sh - pt + kh, h);
  *x0 = max_i(ox * sw - pl, 0);
  *x1 = min_i(ox * sw - pl + kw, w);
}

/** Average pooling over the window's positions inside the input (tfjs's 'same' padding counts only those). */
EXPORT(avgpool)(int tid, int nt, const float *x, float *y, SHAPE_ARGS) {
  int from, to;
  share(tid, nt, n * ho, &from, &to);
  for (int r = from; r < to; r++) {
    const int b = r / ho, oy = r % ho;
    for (int ox = 0; ox < wo; ox++) {
      float *out = y + (((int64_t)b * ho + oy) * wo + ox) * c;
      int y0, y1, x0, x1;
      window_inside(oy, ox, h, w, kh, kw, sh, sw, pt, pl, &y0, &y1, &x0, &x1);
      for (int ci = 0; ci < c; ci++) out[ci] = 0.0f;
      for (int iy = y0; iy < y1; iy++)
        for (int ix = x0; ix < x1; ix++) {
          const float *src = x + (((int64_t)b * h + iy) * w + ix) * c;
          for (int ci = 0; ci < c; ci++) out[ci] += src[ci];
        }
      const int count = max_i(y1 - y0, 0) * max_i(x1 - x0, 0);
      const float scale = count ? 1.0f / (float)count : 0.0f;
      for (int ci = 0; ci < c; ci++) out[ci] *= scale;
    }
  }
}

EXPORT(avgpool_grad)(int tid, int nt, const float *dy, float *dx, SHAPE_ARGS) {
  int from, to;
  share(tid, nt, n, &from, &to);
  zero_images(dx, from, to, (int64_t)h * w * c);
  for (int b = from; b < to; b++) {
    for (int oy = 0; oy < ho; oy++) {
      for (int ox = 0; ox < wo; ox++) {
        int y0, y1, x0, x1;
        window_inside(oy, ox, h, w, kh, kw, sh, sw, pt, pl, &y0, &y1, &x0, &x1);
        const int count = max_i(y1 - y0, 0) * max_i(x1 - x0, 0);
        if (!count) continue;
        const float scale = 1.0f / (float)count;
        const float *g = dy + (((int64_t)b * ho + oy) * wo + ox) * c;
        for (int iy = y0; iy < y1; iy++)
          for (int ix = x0; ix < x1; ix++) {
            float *dst = dx + (((int64_t)b * h + iy) * w + ix) * c;
            for (int ci = 0; ci < c; ci++) dst[ci] += g[ci] * scale;
          }
      }
    }
  }
}
