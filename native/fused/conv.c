// Convolutions as blocked matrix products whose operands are gathered from the NHWC tensors as
// the product packs them (implicit im2col): a block of patches lives in L2 for the time it is
// used instead of a whole patch matrix in memory. A patch row is (kernel row, kernel column,
// input channel), the order of a tfjs [kh, kw, ci, co] filter seen as a matrix.
//   forward:          y[positions x co]  = patches(x) * W                     (+ bias, activation)
//   filter gradient:  dW[(ky,kx,ci) x co] = patches(x)^T * dy
//   input gradient:   dx = patches(dy) * flipped W, a stride-1 convolution of dy (stride 1 only;
//                     other strides multiply dy by W^T into patch rows, then col2im adds them up)
#include "gemm.h"

#define SHAPE_ARGS int n, int h, int w, int c, int kh, int kw, int sh, int sw, int pt, int pl, int ho, int wo
#define WINDOW {n, h, w, c, kh, kw, sh, sw, pt, pl, ho, wo}

/**
 * Rows are output positions, k runs over (ky, kx, ci): each tap's channels are a run in x (or
 * zeros outside it). One input channel at stride 1: four neighbouring positions' values at a tap
 * are one vector in x, already the micro-panel's layout.
 */
static void pack_a_patches(const struct Product *p, float *restrict dst, int i0, int rows, int k0, int kc) {
  const struct Window *g = &p->win;
  const int hw = g->ho * g->wo;
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (int ir = 0; ir < rows; ir += MR, dst += kc * MR) {
    const int n = min_i(MR, rows - ir);
    int b[MR], iy0[MR], ix0[MR];
    for (int r = 0; r < MR; r++) {
      const int i = i0 + ir + min_i(r, n - 1);
      b[r] = i / hw;
      iy0[r] = (i % hw) / g->wo * g->sh - g->pt;
      ix0[r] = i % g->wo * g->sw - g->pl;
    }
    if (g->c == 1 && g->sw == 1 && n == MR && iy0[0] == iy0[3] && b[0] == b[3]) {
      // k = the tap index; the four positions are ix0[0] .. ix0[0] + 3 of one row
      int ky = k0 / g->kw, kx = k0 % g->kw;
      for (int k = 0; k < kc; k++) {
        const int iy = iy0[0] + ky, ix = ix0[0] + kx;
        v128_t v = zero;
        if (iy >= 0 && iy < g->h) {
          const float *row = p->A + ((int64_t)b[0] * g->h + iy) * g->w;
          if (ix >= 0 && ix + 3 < g->w) {
            v = wasm_v128_load(row + ix);
          } else {
            float t[4];
            for (int r = 0; r < 4; r++) t[r] = ix + r >= 0 && ix + r < g->w ? row[ix + r] : 0.0f;
            v = wasm_v128_load(t);
          }
        }
        wasm_v128_store(dst + k * MR, v);
        if (++kx == g->kw) {
          kx = 0;
          ky++;
        }
      }
      continue;
    }
    const int t0 = k0 / g->c;
    int ci = k0 % g->c, ky = t0 / g->kw, kx = t0 % g->kw;
    for (int k = k0; k < k0 + kc;) {
      const int len = min_i(g->c - ci, k0 + kc - k);
      const float *src[MR];
      for (int r = 0; r < MR; r++) {
        const int iy = iy0[r] + ky, ix = ix0[r] + kx;
        const int inside = r < n && iy >= 0 && iy < g->h && ix >= 0 && ix < g->w;
        src[r] = inside ? p->A + (((int64_t)b[r] * g->h + iy) * g->w + ix) * g->c + ci : 0;
      }
      pack_rows4(dst + (k - k0) * MR, src[0], src[1], src[2], src[3], len);
      k += len;
      ci = 0;
      if (++kx == g->kw) {
        kx = 0;
        ky++;
      }
    }
  }
}

/** The output columns [from, to) of one kernel tap inside the input, for the output row at iy = oy*sh + ky - pt. */
static inline void inside_columns(const struct Window *g, int kx, int *from, int *to) {
  // ix = ox*sw + kx - pl in [0, w)  <=>  ox in [ceil((pl - kx) / sw), floor((w - 1 + pl - kx) / sw)]
  const int lo = g->pl - kx, hi = g->w - 1 + g->pl - kx;
  *from = lo <= 0 ? 0 : (lo + g->sw - 1) / g->sw;
  *to = hi < 0 ? 0 : min_i(hi / g->sw + 1, g->wo);
  if (*from > *to) *from = *to;
}

/** Runs the statements after `count` for each run of output positions [from, from + count) within one row: b, oy, ox, run. */
#define FOR_ROW_RUNS(g, from, count, ...)                                   \
  do {                                                                       \
    const int hw_ = (g)->ho * (g)->wo;                                       \
    int b = (from) / hw_, oy = (from) % hw_ / (g)->wo, ox = (from) % (g)->wo; \
    for (int offset = 0; offset < (count);) {                                \
      const int run = min_i((g)->wo - ox, (count) - offset);                 \
      __VA_ARGS__                                                            \
      offset += run;                                                         \
      ox = 0;                                                                \
      if (++oy == (g)->ho) {                                                 \
        oy = 0;                                                              \
        b++;                                                                 \
      }                                                                      \
    }                                                                        \
  } while (0)

/**
 * The filter gradient's A: rows (ky, kx, ci), k runs over output positions. With a channel count
 * that is a multiple of MR, a micro-panel is MR channels of one tap: one vector per position;
 * otherwise each row is gathered on its own.
 */
static void pack_a_patches_t(const struct Product *p, float *restrict dst, int i0, int rows, int k0, int kc) {
  const struct Window *g = &p->win;
  const v128_t zero = wasm_f32x4_splat(0.0f);
  const int vector = g->c % MR == 0;
  for (int ir = 0; ir < rows; ir += MR, dst += kc * MR) {
    const int n = min_i(MR, rows - ir);
    for (int r = 0; r < (vector ? 1 : MR); r++) {
      float *d = dst + r;
      if (r >= n) {
        for (int k = 0; k < kc; k++) d[k * MR] = 0.0f;
        continue;
      }
      const int t = (i0 + ir + r) / g->c, ci = (i0 + ir + r) % g->c, ky = t / g->kw, kx = t % g->kw;
      int lo, hi;
      inside_columns(g, kx, &lo, &hi);
      const int step = g->sw * g->c;
      FOR_ROW_RUNS(g, k0, kc, {
        const int iy = oy * g->sh + ky - g->pt;
        int from = ox, to = ox + run; // the columns of this run inside the input
        if (iy < 0 || iy >= g->h) {
          from = to;
        } else {
          from = max_i(from, lo);
          to = min_i(to, hi);
          if (from > to) from = to;
        }
        const float *src = p->A + (((int64_t)b * g->h + iy) * g->w + from * g->sw + kx - g->pl) * g->c + ci;
        int q = ox;
        if (vector) {
          for (; q < from; q++, d += MR) wasm_v128_store(d, zero);
          for (; q < to; q++, d += MR, src += step) wasm_v128_store(d, wasm_v128_load(src));
          for (; q < ox + run; q++, d += MR) wasm_v128_store(d, zero);
        } else {
          for (; q < from; q++, d += MR) *d = 0.0f;
          for (; q < to; q++, d += MR, src += step) *d = *src;
          for (; q < ox + run; q++, d += MR) *d = 0.0f;
        }
      });
    }
  }
}

/**
 * The input gradient's B: the filter flipped in space with its channel axes swapped, read in
 * place. k runs over (ky', kx', co) of the transposed convolution, columns over ci; p->co is co.
 */
static void pack_b_flipped(const struct Product *p, float *restrict dst, int j0, int cols, int k0, int kc) {
  const struct Window *g = &p->win;
  const int co = p->co, ci = p->N;
  for (int k = k0; k < k0 + kc;) {
    const int t = k / co, o = k % co, len = min_i(co - o, k0 + kc - k);
    const int flipped = (g->kh - 1 - t / g->kw) * g->kw + (g->kw - 1 - t % g->kw);
    const float *src = p->B + ((int64_t)flipped * ci + j0) * co + o;
    pack_b_run(dst + (k - k0) * NR, kc * NR, src, 1, co, cols, len);
    k += len;
  }
}

/**
 * A register tile read straight from the input, for four positions of one output row whose
 * windows lie inside it: `segs` kernel rows, each a run of kw * c contiguous values per position
 * (`s` floats apart from one position to the next, `seg_stride` from one kernel row to the next).
 */
void tile_rows(int segs, int run, const float *a, int s, int seg_stride, const float *restrict b, float *c, int ldc, int cols, const float *bias,
                      int act) {
  v128_t acc[8];
  for (int i = 0; i < 8; i++) acc[i] = wasm_f32x4_splat(0.0f);
  for (int seg = 0; seg < segs; seg++, a += seg_stride) {
    const float *a0 = a, *a1 = a + s, *a2 = a + 2 * s, *a3 = a + 3 * s;
    for (int k = 0; k < run; k++) {
      const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
      v128_t x = wasm_v128_load32_splat(a0 + k);
      acc[0] = MADD(x, b0, acc[0]);
      acc[1] = MADD(x, b1, acc[1]);
      x = wasm_v128_load32_splat(a1 + k);
      acc[2] = MADD(x, b0, acc[2]);
      acc[3] = MADD(x, b1, acc[3]);
      x = wasm_v128_load32_splat(a2 + k);
      acc[4] = MADD(x, b0, acc[4]);
      acc[5] = MADD(x, b1, acc[5]);
      x = wasm_v128_load32_splat(a3 + k);
      acc[6] = MADD(x, b0, acc[6]);
      acc[7] = MADD(x, b1, acc[7]);
      b += NR;
    }
  }
  store_tile(acc, c, ldc, MR, cols, 0, bias, act);
}

/**
 * A convolution's product (rows: output positions, all of K in one pass): B is packed once per
 * block of columns; four positions whose windows lie inside the input are read in place
 * (tile_rows), the others (at the borders) packed with their zeros first.
 */
static void conv_product(const struct Product *p, int tid, int nt, float *work) {
  const struct Window *g = &p->win;
  const int nc_max = (KC * NC / p->K) / NR * NR;
  if (nc_max < NR) {
    product(p, tid, nt, 0, work);
    return;
  }
  float *apack = work + (int64_t)tid * PRODUCT_WORK, *bpack = apack + MC * KC;
  int from, to;
  share(tid, nt, (p->M + MR - 1) / MR, &from, &to);
  if (from >= to) return;
  const int m0 = from * MR, m1 = min_i(to * MR, p->M);
  const int s = g->sw * g->c, seg_stride = g->w * g->c, run = g->kw * g->c;
  for (int jc = 0; jc < p->N; jc += nc_max) {
    const int nc = min_i(nc_max, p->N - jc);
    p->pack_b(p, bpack, jc, nc, 0, p->K);
    const int hw = g->ho * g->wo;
    int b = m0 / hw, oy = m0 % hw / g->wo, ox = m0 % g->wo;
    for (int i = m0; i < m1; i += MR) {
      const int rows = min_i(MR, m1 - i);
      const int iy0 = oy * g->sh - g->pt, ix0 = ox * g->sw - g->pl;
      const int inside = rows == MR && ox + MR <= g->wo && iy0 >= 0 && iy0 + g->kh <= g->h && ix0 >= 0 && ix0 + (MR - 1) * g->sw + g->kw <= g->w;
      float *c = p->C + (int64_t)i * p->ldc + jc;
      const float *bias = p->bias ? p->bias + jc : 0;
      if (inside) {
        const float *a = p->A + (((int64_t)b * g->h + iy0) * g->w + ix0) * g->c;
        for (int jr = 0; jr < nc; jr += NR)
          tile_rows(g->kh, run, a, s, seg_stride, bpack + (int64_t)jr * p->K, c + jr, p->ldc, min_i(NR, nc - jr), bias ? bias + jr : 0, p->act);
      } else {
        p->pack_a(p, apack, i, rows, 0, p->K);
        for (int jr = 0; jr < nc; jr += NR)
          tile(p->K, apack, bpack + (int64_t)jr * p->K, c + jr, p->ldc, rows, min_i(NR, nc - jr), 0, bias ? bias + jr : 0, p->act);
      }
      ox += MR;
      while (ox >= g->wo) {
        ox -= g->wo;
        if (++oy == g->ho) {
          oy = 0;
          b++;
        }
      }
    }
  }
}

/** y = act(patches(x) * W + bias): W is [kh, kw, c, co], y is n x ho x wo x co. */
EXPORT(conv_forward)(int tid, int nt, const float *x, const float *W, const float *bias, float *y, int co, int act, SHAPE_ARGS, float *work) {
  const struct Product p = {.M = n * ho * wo, .N = co, .K = kh * kw * c, .pack_a = pack_a_patches, .pack_b = pack_b_plain, .A = x, .B = W, .sbk = co,
                            .sbn = 1, .win = WINDOW, .C = y, .ldc = co, .bias = bias, .act = act};
  conv_product(&p, tid, nt, work);
}

/** dW (+)= patches(x)^T * dy, threads split the filter's rows (or, with split_cols, its columns). */
EXPORT(conv_filter_grad)(int tid, int nt, int split_cols, const float *x, const float *dy, float *dW, int co, int accumulate, SHAPE_ARGS, float *work) {
  const struct Product p = {.M = kh * kw * c, .N = co, .K = n * ho * wo, .pack_a = pack_a_patches_t, .pack_b = pack_b_plain, .A = x, .B = dy, .sbk = co,
                            .sbn = 1, .win = WINDOW, .C = dW, .ldc = co, .accumulate = accumulate};
  product(&p, tid, nt, split_cols, work);
}

/**
 * dx = patches(dy) * flipped W for a stride-1 convolution: the window is the transposed one (dy
 * as input, n x h x w x c with c = the filter count; padding kh-1-pt, kw-1-pl; output: x's size),
 * `ci` is x's channel count, W the forward filter [kh, kw, ci, c].
 */
EXPORT(conv_input_grad)(int tid, int nt, const float *dy, const float *W, float *dx, int ci, SHAPE_ARGS, float *work) {
  const struct Product p = {.M = n * ho * wo, .N = ci, .K = kh * kw * c, .pack_a = pack_a_patches, .pack_b = pack_b_flipped, .A = dy, .B = W,
                            .win = WINDOW, .co = c, .C = dx, .ldc = ci};
  conv_product(&p, tid, nt, work);
}

static inline void add_run(float *restrict dst, const float *restrict src, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_f32x4_add(wasm_v128_load(dst + i), wasm_v128_load(src + i)));
  for (; i < n; i++) dst[i] += src[i];
}

/** dx = the sum of every patch row's entries (col: positions x (ky, kx, ci)) at the input positions they stand for. */
EXPORT(col2im)(int tid, int nt, const float *col, float *dx, SHAPE_ARGS) {
  const int k = kh * kw * c;
  const int run = kw * c;
  int from, to;
  share(tid, nt, n, &from, &to);
  zero_images(dx, from, to, (int64_t)h * w * c);
  for (int b = from; b < to; b++) {
    for (int oy = 0; oy < ho; oy++) {
      for (int ox = 0; ox < wo; ox++) {
        const float *src = col + (((int64_t)b * ho + oy) * wo + ox) * k;
        const int iy0 = oy * sh - pt, ix0 = ox * sw - pl;
        const int inside = ix0 >= 0 && ix0 + kw <= w;
        for (int ky = 0; ky < kh; ky++, src += run) {
          const int iy = iy0 + ky;
          if (iy < 0 || iy >= h) continue;
          float *dst = dx + (((int64_t)b * h + iy) * w + ix0) * c;
          if (inside) {
            add_run(dst, src, run);
            continue;
          }
          for (int kx = 0; kx < kw; kx++) {
            const int ix = ix0 + kx;
            if (ix >= 0 && ix < w) add_run(dst + kx * c, src + kx * c, c);
          }
        }
      }
    }
  }
}
