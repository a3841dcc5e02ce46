// 3x3 convolutions of a single input channel at stride 1 (a grayscale image's first layer). Their
// products have a depth of only 9, too short for the blocked product to pay for packing and for
// its tile's stores: here four neighbouring positions' inputs at one tap are one vector of x, the
// filters are taken four at a time, and the three kernel rows are three row pointers.
#include "fused.h"

struct Narrow {
  int n, h, w, pt, pl, ho, wo;
};

/** The row of x at kernel row ky for output row oy of image b, shifted left by the padding; 0 outside. */
static inline const float *kernel_row(const struct Narrow *g, const float *x, int b, int oy, int ky) {
  const int iy = oy + ky - g->pt;
  return iy >= 0 && iy < g->h ? x + ((int64_t)b * g->h + iy) * g->w - g->pl : 0;
}

/** x at (row r, columns ix .. ix + 3) for outputs ox0 .. ox0 + 3 (ix = ox0 + kx - pl), zeros outside x and past the output row. */
static inline v128_t quad(const struct Narrow *g, const float *r, int ox0, int kx) {
  if (!r) return wasm_f32x4_splat(0.0f);
  const int ix = ox0 + kx - g->pl;
  if (ix >= 0 && ix + 4 <= g->w && ox0 + 4 <= g->wo) return wasm_v128_load(r + ox0 + kx);
  float lanes[4];
  for (int q = 0; q < 4; q++) lanes[q] = ix + q >= 0 && ix + q < g->w && ox0 + q < g->wo ? r[ox0 + kx + q] : 0.0f;
  return wasm_v128_load(lanes);
}

static inline void store_positions(float *y, v128_t *a, int count, int co, int act) {
  // a[j] holds filter j at 4 positions: transposed, 4 filters per position.
  const v128_t t0 = wasm_i32x4_shuffle(a[0], a[1], 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(a[0], a[1], 2, 6, 3, 7);
  const v128_t t2 = wasm_i32x4_shuffle(a[2], a[3], 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(a[2], a[3], 2, 6, 3, 7);
  const v128_t p[4] = {wasm_i64x2_shuffle(t0, t2, 0, 2), wasm_i64x2_shuffle(t0, t2, 1, 3), wasm_i64x2_shuffle(t1, t3, 0, 2), wasm_i64x2_shuffle(t1, t3, 1, 3)};
  for (int q = 0; q < count; q++) wasm_v128_store(y + (int64_t)q * co, act == ACT_RELU ? wasm_f32x4_max(p[q], wasm_f32x4_splat(0.0f)) : p[q]);
}

/**
 * y = act(conv3x3(x, W) + bias) for x with one channel: per 8 positions (two quads) and 4 filters,
 * 8 accumulators of 4 positions each. Threads split the output rows.
 */
EXPORT(conv1_forward)(int tid, int nt, const float *x, const float *W, const float *bias, float *y, int co, int act, int n, int h, int w, int pt, int pl,
                      int ho, int wo) {
  const struct Narrow g = {n, h, w, pt, pl, ho, wo};
  int from, to;
  share(tid, nt, n * ho, &from, &to);
  for (int row = from; row < to; row++) {
    const int b = row / ho, oy = row % ho;
    const float *r[3] = {kernel_row(&g, x, b, oy, 0), kernel_row(&g, x, b, oy, 1), kernel_row(&g, x, b, oy, 2)};
    float *out = y + ((int64_t)b * ho + oy) * wo * co;
    for (int ox0 = 0; ox0 < wo; ox0 += 8) {
      v128_t xv[2][9];
      for (int half = 0; half < 2; half++)
        for (int t = 0; t < 9; t++) xv[half][t] = quad(&g, r[t / 3], ox0 + 4 * half, t % 3);
      for (int o = 0; o < co; o += 4) {
        v128_t acc[2][4];
        for (int j = 0; j < 4; j++) acc[0][j] = acc[1][j] = wasm_f32x4_splat(bias ? bias[o + j] : 0.0f);
        for (int t = 0; t < 9; t++) {
          const float *wt = W + (int64_t)t * co + o;
          for (int j = 0; j < 4; j++) {
            const v128_t s = wasm_v128_load32_splat(wt + j);
            acc[0][j] = MADD(xv[0][t], s, acc[0][j]);
            acc[1][j] = MADD(xv[1][t], s, acc[1][j]);
          }
        }
        store_positions(out + (int64_t)ox0 * co + o, acc[0], min_i(4, wo - ox0), co, act);
        if (ox0 + 4 < wo) store_positions(out + (int64_t)(ox0 + 4) * co + o, acc[1], min_i(4, wo - ox0 - 4), co, act);
      }
    }
  }
}

/**
 * dW[t][co] = the sum over positions of x at tap t times dy, for x with one channel. A unit of
 * work is one kernel row (3 taps) and up to 12 filters: 9 accumulators, each splat of x and each
 * vector of dy used three times (V8 spills the accumulators of a loop whose loads each feed one
 * multiply-add: 9 taps x 4 filters ran at a third of the speed). Threads split the units, so each
 * sum is one thread's, in one order, whatever the thread count.
 */
// One unit's sums over a run of positions [from, to) of one output row whose three taps all lie
// inside x: Q (1 to 3) vectors of 4 filters; a separate function per Q keeps the loop free of
// branches (and its accumulators in registers).
#define ROW_SUMS(Q)                                                                                                    \
  static void row_sums_##Q(v128_t acc[3][3], const float *r, const float *d, int co, int from, int to) {                \
    v128_t a[3][Q];                                                                                                    \
    for (int kx = 0; kx < 3; kx++)                                                                                     \
      for (int j = 0; j < Q; j++) a[kx][j] = acc[kx][j];                                                               \
    for (int ox = from; ox < to; ox++) {                                                                               \
      v128_t e[Q];                                                                                                     \
      for (int j = 0; j < Q; j++) e[j] = wasm_v128_load(d + (int64_t)ox * co + 4 * j);                                 \
      for (int kx = 0; kx < 3; kx++) {                                                                                 \
        const v128_t s = wasm_v128_load32_splat(r + ox + kx);                                                          \
        for (int j = 0; j < Q; j++) a[kx][j] = MADD(s, e[j], a[kx][j]);                                                \
      }                                                                                                                \
    }                                                                                                                  \
    for (int kx = 0; kx < 3; kx++)                                                                                     \
      for (int j = 0; j < Q; j++) acc[kx][j] = a[kx][j];                                                               \
  }
ROW_SUMS(1)
ROW_SUMS(2)
ROW_SUMS(3)

EXPORT(conv1_filter_grad)(int tid, int nt, const float *x, const float *dy, float *dW, int co, int n, int h, int w, int pt, int pl, int ho, int wo) {
  const struct Narrow g = {n, h, w, pt, pl, ho, wo};
  const int groups = (co / 4 + 2) / 3;
  int from, to;
  share(tid, nt, 3 * groups, &from, &to);
  // Output columns whose three taps lie inside the input's width.
  const int lo = max_i(0, pl), hi = max_i(lo, min_i(wo, w - 3 + 1 + pl));
  for (int unit = from; unit < to; unit++) {
    const int ky = unit / groups, o = unit % groups * 12, quads = min_i(3, (co - o) / 4);
    v128_t acc[3][3];
    for (int kx = 0; kx < 3; kx++)
      for (int j = 0; j < 3; j++) acc[kx][j] = wasm_f32x4_splat(0.0f);
    for (int b = 0; b < n; b++) {
      for (int oy = 0; oy < ho; oy++) {
        const float *r = kernel_row(&g, x, b, oy, ky);
        if (!r) continue;
        const float *d = dy + ((int64_t)b * ho + oy) * wo * co + o;
        if (quads == 3) row_sums_3(acc, r, d, co, lo, hi);
        else if (quads == 2) row_sums_2(acc, r, d, co, lo, hi);
        else row_sums_1(acc, r, d, co, lo, hi);
        // The row's ends, tap by tap: a tap outside x adds nothing.
        for (int ox = 0; ox < wo; ox++) {
          if (ox >= lo && ox < hi) continue;
          for (int kx = 0; kx < 3; kx++) {
            const int ix = ox + kx - pl;
            if (ix < 0 || ix >= w) continue;
            const v128_t s = wasm_v128_load32_splat(r + ox + kx);
            for (int j = 0; j < quads; j++) acc[kx][j] = MADD(s, wasm_v128_load(d + (int64_t)ox * co + 4 * j), acc[kx][j]);
          }
        }
      }
    }
    for (int kx = 0; kx < 3; kx++)
      for (int j = 0; j < quads; j++) wasm_v128_store(dW + (int64_t)(ky * 3 + kx) * co + o + 4 * j, acc[kx][j]);
  }
}
