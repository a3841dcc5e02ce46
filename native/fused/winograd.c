// 3x3 stride-1 convolutions by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2015): each 2x2 block of outputs comes from a
// 4x4 input tile through 16 element-wise products instead of 36, which turns a convolution into
// 16 matrix products over channels with 2.25 times fewer multiply-adds than the direct product.
//   forward:          Y = A^T [U . V] A,  U = G g G^T (filter), V = B^T d B (input tile)
//   filter gradient:  dW = G^T [sum over tiles of V . Z] G,  Z = A dY A^T (the tile's 2x2 of dy)
//   input gradient:   the forward algorithm on dy with the filter flipped and its channels swapped
// The transforms' coefficients are 0, +-1 and +-1/2: the results differ from the direct sum by
// rounding only. Tiles are processed in blocks of WT: the transformed block stays in L2.
#include "gemm.h"

#define WT 32 // tiles per block
#define TAPS 16

/**
 * Floats from one tap's block of n-channel rows to the next: a cache line more than the block,
 * so that the 16 taps' rows a transform reads or writes together do not all fall into the same
 * L1 set (a block of 32 tiles x 32 channels is exactly 4 KiB).
 */
static inline int64_t tap_stride(int n) { return (int64_t)WT * n + 16; }

struct Tiles {
  int n, h, w, pt, pl, ho, wo, th, tw;
};

static struct Tiles tiles_of(int n, int h, int w, int pt, int pl, int ho, int wo) {
  const struct Tiles g = {n, h, w, pt, pl, ho, wo, (ho + 1) / 2, (wo + 1) / 2};
  return g;
}

/** Floats of a thread's work for one block: the transformed inputs (16 taps of WT x c), then the products (16 of WT x co). */
__attribute__((export_name("winograd_work_floats"))) int winograd_work_floats(int c, int co) { return (int)(TAPS * (tap_stride(c) + tap_stride(co))); }

/** V = B^T d B of tile t (4x4 input values from (iy0, ix0) of image b, zeros outside), four channels at a time, into V[16][WT][c]. */
static void transform_input(const struct Tiles *g, const float *x, int c, int b, int iy0, int ix0, float *V, int t) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  // Where the tile lies inside the input its 16 values are read in place; at the borders, the
  // values that exist are copied into a zeroed 4x4 patch first.
  const int inside = iy0 >= 0 && iy0 + 4 <= g->h && ix0 >= 0 && ix0 + 4 <= g->w;
  const int64_t rs = (int64_t)g->w * c;
  const float *base = x + (((int64_t)b * g->h + iy0) * g->w + ix0) * c;
  const int64_t step = tap_stride(c);
  float *v = V + (int64_t)t * c;
  for (int ci = 0; ci < c; ci += 4) {
    v128_t d[4][4], u[4][4];
    if (inside) {
      const float *row = base + ci;
      for (int r = 0; r < 4; r++, row += rs)
        for (int s = 0; s < 4; s++) d[r][s] = wasm_v128_load(row + s * c);
    } else {
      for (int r = 0; r < 4; r++)
        for (int s = 0; s < 4; s++) {
          const int iy = iy0 + r, ix = ix0 + s;
          d[r][s] = iy >= 0 && iy < g->h && ix >= 0 && ix < g->w ? wasm_v128_load(base + r * rs + s * c + ci) : zero;
        }
    }
    for (int s = 0; s < 4; s++) {
      u[0][s] = wasm_f32x4_sub(d[0][s], d[2][s]);
      u[1][s] = wasm_f32x4_add(d[1][s], d[2][s]);
      u[2][s] = wasm_f32x4_sub(d[2][s], d[1][s]);
      u[3][s] = wasm_f32x4_sub(d[1][s], d[3][s]);
    }
    float *out = v + ci;
    for (int r = 0; r < 4; r++, out += 4 * step) {
      wasm_v128_store(out, wasm_f32x4_sub(u[r][0], u[r][2]));
      wasm_v128_store(out + step, wasm_f32x4_add(u[r][1], u[r][2]));
      wasm_v128_store(out + 2 * step, wasm_f32x4_sub(u[r][2], u[r][1]));
      wasm_v128_store(out + 3 * step, wasm_f32x4_sub(u[r][1], u[r][3]));
    }
  }
}

/** Z = A dY A^T of tile t (the 2x2 of dy at (oy0, ox0), zeros past the output), into Z[16][WT][co]. */
static void transform_gradient(const struct Tiles *g, const float *dy, int co, int b, int oy0, int ox0, float *Z, int t) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (int o = 0; o < co; o += 4) {
    v128_t e[2][2];
    for (int r = 0; r < 2; r++)
      for (int s = 0; s < 2; s++)
        e[r][s] = oy0 + r < g->ho && ox0 + s < g->wo ? wasm_v128_load(dy + (((int64_t)b * g->ho + oy0 + r) * g->wo + ox0 + s) * co + o) : zero;
    v128_t u[4][2];
    for (int s = 0; s < 2; s++) {
      u[0][s] = e[0][s];
      u[1][s] = wasm_f32x4_add(e[0][s], e[1][s]);
      u[2][s] = wasm_f32x4_sub(e[0][s], e[1][s]);
      u[3][s] = wasm_f32x4_neg(e[1][s]);
    }
    float *z = Z + (int64_t)t * co + o;
    const int64_t step = tap_stride(co);
    for (int r = 0; r < 4; r++, z += 4 * step) {
      wasm_v128_store(z, u[r][0]);
      wasm_v128_store(z + step, wasm_f32x4_add(u[r][0], u[r][1]));
      wasm_v128_store(z + 2 * step, wasm_f32x4_sub(u[r][0], u[r][1]));
      wasm_v128_store(z + 3 * step, wasm_f32x4_neg(u[r][1]));
    }
  }
}

/** Y = A^T M A of tile t from M[16][WT][co], plus bias and activation, into the 2x2 outputs at (oy0, ox0) that exist. */
static void transform_output(const struct Tiles *g, const float *M, int co, const float *bias, int act, float *y, int b, int oy0, int ox0, int t) {
  const int64_t step = tap_stride(co);
  const int rows = min_i(2, g->ho - oy0), cols = min_i(2, g->wo - ox0);
  float *out = y + (((int64_t)b * g->ho + oy0) * g->wo + ox0) * co;
  const int64_t rs = (int64_t)g->wo * co;
  const float *m = M + (int64_t)t * co;
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (int o = 0; o < co; o += 4, m += 4) {
    v128_t s0[4], s1[4];
    for (int j = 0; j < 4; j++) {
      const v128_t m0 = wasm_v128_load(m + j * step), m1 = wasm_v128_load(m + (4 + j) * step);
      const v128_t m2 = wasm_v128_load(m + (8 + j) * step), m3 = wasm_v128_load(m + (12 + j) * step);
      s0[j] = wasm_f32x4_add(wasm_f32x4_add(m0, m1), m2);
      s1[j] = wasm_f32x4_sub(wasm_f32x4_sub(m1, m2), m3);
    }
    v128_t res[2][2] = {
        {wasm_f32x4_add(wasm_f32x4_add(s0[0], s0[1]), s0[2]), wasm_f32x4_sub(wasm_f32x4_sub(s0[1], s0[2]), s0[3])},
        {wasm_f32x4_add(wasm_f32x4_add(s1[0], s1[1]), s1[2]), wasm_f32x4_sub(wasm_f32x4_sub(s1[1], s1[2]), s1[3])},
    };
    const v128_t add = bias ? wasm_v128_load(bias + o) : zero;
    for (int r = 0; r < rows; r++) {
      for (int s = 0; s < cols; s++) {
        v128_t v = wasm_f32x4_add(res[r][s], add);
        if (act == ACT_RELU) v = wasm_f32x4_max(v, zero);
        wasm_v128_store(out + r * rs + s * co + o, v);
      }
    }
  }
}

/**
 * U[16][ceil(co/8)][c][8] = G g G^T for each input channel and filter, the panels of the products'
 * B operand (columns past co zero). W is [3, 3, c, co]; with `flipped`, the input gradient's
 * filter: channels swapped and the kernel turned half a turn, read from the forward W [3, 3, co, c].
 */
EXPORT(winograd_filter)(int tid, int nt, const float *W, float *U, int c, int co, int flipped) {
  const int panels = (co + NR - 1) / NR;
  int from, to;
  share(tid, nt, c, &from, &to);
  for (int ci = from; ci < to; ci++) {
    for (int o = 0; o < panels * NR; o++) {
      float g[3][3], gg[4][3], u[4][4];
      for (int ky = 0; ky < 3; ky++)
        for (int kx = 0; kx < 3; kx++)
          g[ky][kx] = o >= co ? 0.0f : flipped ? W[(((2 - ky) * 3 + (2 - kx)) * co + o) * c + ci] : W[((ky * 3 + kx) * c + ci) * co + o];
      for (int j = 0; j < 3; j++) {
        gg[0][j] = g[0][j];
        gg[1][j] = 0.5f * (g[0][j] + g[1][j] + g[2][j]);
        gg[2][j] = 0.5f * (g[0][j] - g[1][j] + g[2][j]);
        gg[3][j] = g[2][j];
      }
      for (int i = 0; i < 4; i++) {
        u[i][0] = gg[i][0];
        u[i][1] = 0.5f * (gg[i][0] + gg[i][1] + gg[i][2]);
        u[i][2] = 0.5f * (gg[i][0] - gg[i][1] + gg[i][2]);
        u[i][3] = gg[i][2];
      }
      for (int xi = 0; xi < TAPS; xi++) U[(((int64_t)xi * panels + o / NR) * c + ci) * NR + o % NR] = u[xi / 4][xi % 4];
    }
  }
}

/** Walks tiles in order from index `t`: image b, tile row ty, tile column tx. */
struct TileWalk {
  int b, ty, tx;
};

static struct TileWalk walk_from(const struct Tiles *g, int t) {
  const struct TileWalk at = {t / (g->th * g->tw), t / g->tw % g->th, t % g->tw};
  return at;
}

static void walk_next(const struct Tiles *g, struct TileWalk *at) {
  if (++at->tx < g->tw) return;
  at->tx = 0;
  if (++at->ty < g->th) return;
  at->ty = 0;
  at->b++;
}

/**
 * y = act(conv3x3(x, W) + bias) at stride 1: x is n x h x w x c, y n x ho x wo x co, U from
 * winograd_filter. Threads split the blocks of tiles.
 */
EXPORT(winograd_forward)(int tid, int nt, const float *x, const float *U, const float *bias, float *y, int c, int co, int act, int n, int h, int w, int pt,
                         int pl, int ho, int wo, float *work) {
  const struct Tiles g = tiles_of(n, h, w, pt, pl, ho, wo);
  const int count = n * g.th * g.tw, blocks = (count + WT - 1) / WT, panels = (co + NR - 1) / NR;
  float *V = work + (int64_t)tid * winograd_work_floats(c, co), *M = V + TAPS * tap_stride(c);
  int from, to;
  share(tid, nt, blocks, &from, &to);
  for (int block = from; block < to; block++) {
    const int t0 = block * WT, size = min_i(WT, count - t0);
    struct TileWalk at = walk_from(&g, t0);
    for (int t = 0; t < size; t++, walk_next(&g, &at)) transform_input(&g, x, c, at.b, 2 * at.ty - pt, 2 * at.tx - pl, V, t);
    for (int xi = 0; xi < TAPS; xi++) {
      const float *v = V + xi * tap_stride(c);
      float *m = M + xi * tap_stride(co);
      for (int t = 0; t < size; t += MR)
        for (int jr = 0; jr < panels; jr++)
          tile_rows(1, c, v + (int64_t)t * c, c, 0, U + ((int64_t)xi * panels + jr) * c * NR, m + (int64_t)t * co + jr * NR, co, min_i(NR, co - jr * NR), 0,
                    ACT_LINEAR);
    }
    at = walk_from(&g, t0);
    for (int t = 0; t < size; t++, walk_next(&g, &at)) transform_output(&g, M, co, bias, act, y, at.b, 2 * at.ty, 2 * at.tx, t);
  }
}

/**
 * The filter gradient's 16 sums over tiles, V^T Z per tap, in REDUCTION_CHUNKS partials of
 * 16 x c x co (fixed chunks of the tiles: the sums do not depend on the thread count);
 * winograd_filter_grad_finish adds them up and transforms them into dW.
 */
EXPORT(winograd_filter_grad)(int tid, int nt, const float *x, const float *dy, float *partials, int c, int co, int n, int h, int w, int pt, int pl, int ho,
                             int wo, float *work) {
  const struct Tiles g = tiles_of(n, h, w, pt, pl, ho, wo);
  const int count = n * g.th * g.tw;
  float *V = work + (int64_t)tid * winograd_work_floats(c, co), *Z = V + TAPS * tap_stride(c);
  for (int chunk = tid; chunk < REDUCTION_CHUNKS; chunk += nt) {
    float *P = partials + (int64_t)chunk * TAPS * c * co;
    for (int64_t i = 0; i < (int64_t)TAPS * c * co; i++) P[i] = 0.0f;
    int first, last;
    share(chunk, REDUCTION_CHUNKS, count, &first, &last);
    for (int t0 = first; t0 < last; t0 += WT) {
      const int size = min_i(WT, last - t0);
      struct TileWalk at = walk_from(&g, t0);
      for (int t = 0; t < size; t++, walk_next(&g, &at)) {
        transform_input(&g, x, c, at.b, 2 * at.ty - pt, 2 * at.tx - pl, V, t);
        transform_gradient(&g, dy, co, at.b, 2 * at.ty, 2 * at.tx, Z, t);
      }
      for (int xi = 0; xi < TAPS; xi++) {
        const float *v = V + xi * tap_stride(c), *z = Z + xi * tap_stride(co);
        float *p = P + (int64_t)xi * c * co;
        for (int ci = 0; ci < c; ci += MR)
          for (int o = 0; o < co; o += NR) tile_strided(size, v + ci, c, z + o, co, p + (int64_t)ci * co + o, co, min_i(MR, c - ci), min_i(NR, co - o));
      }
    }
  }
}

/** dW[3, 3, c, co] = G^T (the sum of the partials) G, per input channel and filter. */
EXPORT(winograd_filter_grad_finish)(int tid, int nt, const float *partials, float *dW, int c, int co) {
  int from, to;
  share(tid, nt, c * co, &from, &to);
  const int64_t part = (int64_t)TAPS * c * co;
  for (int i = from; i < to; i++) {
    float m[4][4], mg[4][3];
    for (int xi = 0; xi < TAPS; xi++) {
      float sum = partials[(int64_t)xi * c * co + i];
      for (int k = 1; k < REDUCTION_CHUNKS; k++) sum += partials[k * part + (int64_t)xi * c * co + i];
      m[xi / 4][xi % 4] = sum;
    }
    for (int r = 0; r < 4; r++) {
      mg[r][0] = m[r][0] + 0.5f * (m[r][1] + m[r][2]);
      mg[r][1] = 0.5f * (m[r][1] - m[r][2]);
      mg[r][2] = 0.5f * (m[r][1] + m[r][2]) + m[r][3];
    }
    for (int kx = 0; kx < 3; kx++) {
      dW[(int64_t)(0 * 3 + kx) * c * co + i] = mg[0][kx] + 0.5f * (mg[1][kx] + mg[2][kx]);
      dW[(int64_t)(1 * 3 + kx) * c * co + i] = 0.5f * (mg[1][kx] - mg[2][kx]);
      dW[(int64_t)(2 * 3 + kx) * c * co + i] = 0.5f * (mg[1][kx] + mg[2][kx]) + mg[3][kx];
    }
  }
}
