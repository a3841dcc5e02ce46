// The drivers of Winograd's minimal filtering for 3x3 stride-1 convolutions (the variants and
// their transforms: winograd.h, winograd2.c, winograd4.c). A convolution becomes one matrix
// product over channels per tap of the tile:
//   forward:          Y = A^T [U . V] A,  U = G g G^T (filter), V = B^T d B (input tile)
//   filter gradient:  dW = G^T [sum over tiles of V . Z] G,  Z = A dY A^T (the tile's m x m of dy)
//   input gradient:   the forward algorithm on dy with the filter flipped and its channels swapped
// Tiles are processed in blocks of WT: the transformed block stays in L2.
#include "winograd.h"

static const struct Variant *variant(int m) { return m == 4 ? &WINOGRAD_F4 : &WINOGRAD_F2; }

static struct Tiles tiles_of(int m, int n, int h, int w, int pt, int pl, int ho, int wo) {
  const struct Tiles g = {n, h, w, pt, pl, ho, wo, m, (ho + m - 1) / m, (wo + m - 1) / m};
  return g;
}

/** Floats of a thread's work for one block: the transformed inputs (a block of WT x c a tap), then the products (WT x co a tap). */
__attribute__((export_name("winograd_work_floats"))) int winograd_work_floats(int c, int co, int m) {
  return (int)(variant(m)->taps * (tap_stride(c) + tap_stride(co)));
}

/**
 * U[tap][ceil(co/8)][c][8] = G g G^T for each input channel and filter, the panels of the
 * products' B operand (columns past co zero). W is [3, 3, c, co]; with `flipped`, the input
 * gradient's filter: channels swapped and the kernel turned half a turn, read from the forward W
 * [3, 3, co, c].
 */
EXPORT(winograd_filter)(int tid, int nt, const float *W, float *U, int c, int co, int flipped, int m) {
  const struct Variant *v = variant(m);
  const int panels = (co + NR - 1) / NR;
  int from, to;
  share(tid, nt, c, &from, &to);
  for (int ci = from; ci < to; ci++) {
    for (int o = 0; o < panels * NR; o++) {
      float g[9], u[MAX_TAPS];
      for (int k = 0; k < 9; k++) g[k] = o >= co ? 0.0f : flipped ? W[((8 - k) * co + o) * c + ci] : W[(k * c + ci) * co + o];
      v->filter(g, u);
      for (int xi = 0; xi < v->taps; xi++) U[(((int64_t)xi * panels + o / NR) * c + ci) * NR + o % NR] = u[xi];
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
EXPORT(winograd_forward)(int tid, int nt, const float *x, const float *U, const float *bias, float *y, int c, int co, int act, int m, int n, int h, int w,
                         int pt, int pl, int ho, int wo, float *work) {
  const struct Variant *v = variant(m);
  const struct Tiles g = tiles_of(m, n, h, w, pt, pl, ho, wo);
  const int count = n * g.th * g.tw, blocks = (count + WT - 1) / WT, panels = (co + NR - 1) / NR;
  float *V = work + (int64_t)tid * winograd_work_floats(c, co, m), *M = V + v->taps * tap_stride(c);
  int from, to;
  share(tid, nt, blocks, &from, &to);
  for (int block = from; block < to; block++) {
    const int t0 = block * WT, size = min_i(WT, count - t0);
    struct TileWalk at = walk_from(&g, t0);
    for (int t = 0; t < size; t++, walk_next(&g, &at)) v->input(&g, x, c, at.b, m * at.ty - pt, m * at.tx - pl, V, t);
    for (int xi = 0; xi < v->taps; xi++) {
      const float *vt = V + xi * tap_stride(c);
      float *mt = M + xi * tap_stride(co);
      for (int t = 0; t < size; t += MR)
        for (int jr = 0; jr < panels; jr++)
          tile_rows(1, c, vt + (int64_t)t * c, c, 0, U + ((int64_t)xi * panels + jr) * c * NR, mt + (int64_t)t * co + jr * NR, co, min_i(NR, co - jr * NR), 0,
                    ACT_LINEAR);
    }
    at = walk_from(&g, t0);
    for (int t = 0; t < size; t++, walk_next(&g, &at)) v->output(&g, M, co, bias, act, y, at.b, m * at.ty, m * at.tx, t);
  }
}

/**
 * The filter gradient's 16 sums over tiles, V^T Z per tap, in REDUCTION_CHUNKS partials of
 * 16 x c x co (fixed chunks of the tiles: the sums do not depend on the thread count);
 * winograd_filter_grad_finish adds them up and transforms them into dW.
 */
EXPORT(winograd_filter_grad)(int tid, int nt, const float *x, const float *dy, float *partials, int c, int co, int m, int n, int h, int w, int pt, int pl,
                             int ho, int wo, float *work) {
  const struct Variant *v = variant(m);
  const struct Tiles g = tiles_of(m, n, h, w, pt, pl, ho, wo);
  const int count = n * g.th * g.tw;
  float *V = work + (int64_t)tid * winograd_work_floats(c, co, m), *Z = V + v->taps * tap_stride(c);
  for (int chunk = tid; chunk < REDUCTION_CHUNKS; chunk += nt) {
    float *P = partials + (int64_t)chunk * v->taps * c * co;
    for (int64_t i = 0; i < (int64_t)v->taps * c * co; i++) P[i] = 0.0f;
    int first, last;
    share(chunk, REDUCTION_CHUNKS, count, &first, &last);
    for (int t0 = first; t0 < last; t0 += WT) {
      const int size = min_i(WT, last - t0);
      struct TileWalk at = walk_from(&g, t0);
      for (int t = 0; t < size; t++, walk_next(&g, &at)) {
        v->input(&g, x, c, at.b, m * at.ty - pt, m * at.tx - pl, V, t);
        v->gradient(&g, dy, co, at.b, m * at.ty, m * at.tx, Z, t);
      }
      for (int xi = 0; xi < v->taps; xi++) {
        const float *vt = V + xi * tap_stride(c), *z = Z + xi * tap_stride(co);
        float *p = P + (int64_t)xi * c * co;
        for (int ci = 0; ci < c; ci += MR)
          for (int o = 0; o < co; o += NR) tile_strided(size, vt + ci, c, z + o, co, p + (int64_t)ci * co + o, co, min_i(MR, c - ci), min_i(NR, co - o));
      }
    }
  }
}

/** dW[3, 3, c, co] = G^T (the sum of the partials) G, per input channel and filter. */
EXPORT(winograd_filter_grad_finish)(int tid, int nt, const float *partials, float *dW, int c, int co, int m) {
  const struct Variant *v = variant(m);
  int from, to;
  share(tid, nt, c * co, &from, &to);
  const int64_t part = (int64_t)v->taps * c * co;
  for (int i = from; i < to; i++) {
    float sums[MAX_TAPS], w[9];
    for (int xi = 0; xi < v->taps; xi++) {
      float sum = partials[(int64_t)xi * c * co + i];
      for (int k = 1; k < REDUCTION_CHUNKS; k++) sum += partials[k * part + (int64_t)xi * c * co + i];
      sums[xi] = sum;
    }
    v->finish(sums, w);
    for (int k = 0; k < 9; k++) dW[(int64_t)k * c * co + i] = w[k];
  }
}
