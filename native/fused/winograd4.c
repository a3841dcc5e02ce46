// F(4x4, 3x3): 4x4 outputs from 6x6 input tiles through 36 products (instead of 144), 1.78 times
// fewer multiply-adds than F(2x2, 3x3), with larger coefficients (up to 8 in A, 1/24 in G): more
// rounding, still within float32's reach (the comparisons with tfjs's cpu backend print it).
//   B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
//   G = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1]
//   A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]
#include "winograd.h"

#define K(v) wasm_f32x4_splat(v)

/** r = B^T d for six values (a column or a row of the tile). */
static inline void bt6(const v128_t *d, int ds, v128_t *r, int rs) {
  const v128_t d0 = d[0], d1 = d[ds], d2 = d[2 * ds], d3 = d[3 * ds], d4 = d[4 * ds], d5 = d[5 * ds];
  const v128_t t = MADD(K(-4.0f), d2, d4), s = MADD(K(4.0f), d1, wasm_f32x4_neg(d3));
  const v128_t t2 = wasm_f32x4_sub(d4, d2), s2 = wasm_f32x4_mul(K(2.0f), wasm_f32x4_sub(d1, d3));
  r[0] = MADD(K(4.0f), d0, MADD(K(-5.0f), d2, d4));
  r[rs] = wasm_f32x4_sub(t, s);
  r[2 * rs] = wasm_f32x4_add(t, s);
  r[3 * rs] = wasm_f32x4_sub(t2, s2);
  r[4 * rs] = wasm_f32x4_add(t2, s2);
  r[5 * rs] = MADD(K(4.0f), d1, MADD(K(-5.0f), d3, d5));
}

static void input(const struct Tiles *g, const float *x, int c, int b, int iy0, int ix0, float *V, int t) {
  const v128_t zero = K(0.0f);
  const int inside = iy0 >= 0 && iy0 + 6 <= g->h && ix0 >= 0 && ix0 + 6 <= g->w;
  const int64_t rs = (int64_t)g->w * c;
  const float *base = x + (((int64_t)b * g->h + iy0) * g->w + ix0) * c;
  const int64_t step = tap_stride(c);
  float *v = V + (int64_t)t * c;
  for (int ci = 0; ci < c; ci += 4) {
    v128_t d[6][6], u[6][6], r[6];
    for (int i = 0; i < 6; i++)
      for (int j = 0; j < 6; j++) {
        const int iy = iy0 + i, ix = ix0 + j;
        d[i][j] = inside || (iy >= 0 && iy < g->h && ix >= 0 && ix < g->w) ? wasm_v128_load(base + i * rs + j * c + ci) : zero;
      }
    for (int j = 0; j < 6; j++) bt6(&d[0][j], 6, &u[0][j], 6);
    for (int i = 0; i < 6; i++) {
      bt6(u[i], 1, r, 1);
      for (int j = 0; j < 6; j++) wasm_v128_store(v + (i * 6 + j) * step + ci, r[j]);
    }
  }
}

/** z = A e for four values: [e0, e0+e1+e2+e3, e0-e1+e2-e3, e0+2e1+4e2+8e3, e0-2e1+4e2-8e3, e3]. */
static inline void a6(const v128_t *e, int es, v128_t *z, int zs) {
  const v128_t e0 = e[0], e1 = e[es], e2 = e[2 * es], e3 = e[3 * es];
  const v128_t p = wasm_f32x4_add(e0, e2), q = wasm_f32x4_add(e1, e3);
  const v128_t p2 = MADD(K(4.0f), e2, e0), q2 = MADD(K(8.0f), e3, wasm_f32x4_add(e1, e1));
  z[0] = e0;
  z[zs] = wasm_f32x4_add(p, q);
  z[2 * zs] = wasm_f32x4_sub(p, q);
  z[3 * zs] = wasm_f32x4_add(p2, q2);
  z[4 * zs] = wasm_f32x4_sub(p2, q2);
  z[5 * zs] = e3;
}

static void gradient(const struct Tiles *g, const float *dy, int co, int b, int oy0, int ox0, float *Z, int t) {
  const int64_t step = tap_stride(co);
  float *z = Z + (int64_t)t * co;
  for (int o = 0; o < co; o += 4) {
    v128_t e[4][4], u[6][4], r[6];
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 4; j++)
        e[i][j] = oy0 + i < g->ho && ox0 + j < g->wo ? wasm_v128_load(dy + (((int64_t)b * g->ho + oy0 + i) * g->wo + ox0 + j) * co + o) : K(0.0f);
    for (int j = 0; j < 4; j++) a6(&e[0][j], 4, &u[0][j], 4);
    for (int i = 0; i < 6; i++) {
      a6(u[i], 1, r, 1);
      for (int j = 0; j < 6; j++) wasm_v128_store(z + (i * 6 + j) * step + o, r[j]);
    }
  }
}

/** y = A^T m for six values: a = m1+m2, b = m1-m2, c = m3+m4, d = m3-m4: [m0+a+c, b+2d, a+4c, b+8d+m5]. */
static inline void at6(const v128_t *m, int ms, v128_t *y, int ys) {
  const v128_t a = wasm_f32x4_add(m[ms], m[2 * ms]), b = wasm_f32x4_sub(m[ms], m[2 * ms]);
  const v128_t c = wasm_f32x4_add(m[3 * ms], m[4 * ms]), d = wasm_f32x4_sub(m[3 * ms], m[4 * ms]);
  y[0] = wasm_f32x4_add(wasm_f32x4_add(m[0], a), c);
  y[ys] = MADD(K(2.0f), d, b);
  y[2 * ys] = MADD(K(4.0f), c, a);
  y[3 * ys] = wasm_f32x4_add(MADD(K(8.0f), d, b), m[5 * ms]);
}

static void output(const struct Tiles *g, const float *M, int co, const float *bias, int act, float *y, int b, int oy0, int ox0, int t) {
  const int64_t step = tap_stride(co);
  const int rows = min_i(4, g->ho - oy0), cols = min_i(4, g->wo - ox0);
  float *out = y + (((int64_t)b * g->ho + oy0) * g->wo + ox0) * co;
  const int64_t rs = (int64_t)g->wo * co;
  const float *m = M + (int64_t)t * co;
  for (int o = 0; o < co; o += 4, m += 4) {
    v128_t mm[6][6], s[4][6], r[4];
    for (int i = 0; i < 6; i++)
      for (int j = 0; j < 6; j++) mm[i][j] = wasm_v128_load(m + (i * 6 + j) * step);
    for (int j = 0; j < 6; j++) at6(&mm[0][j], 6, &s[0][j], 6);
    const v128_t add = bias ? wasm_v128_load(bias + o) : K(0.0f);
    for (int i = 0; i < rows; i++) {
      at6(s[i], 1, r, 1);
      for (int j = 0; j < cols; j++) {
        v128_t v = wasm_f32x4_add(r[j], add);
        if (act == ACT_RELU) v = wasm_f32x4_max(v, K(0.0f));
        wasm_v128_store(out + i * rs + j * co + o, v);
      }
    }
  }
}

/** u = G (a, b, c). */
static inline void g6(float a, float b, float c, float *u, int us) {
  u[0] = 0.25f * a;
  u[us] = -(a + b + c) / 6.0f;
  u[2 * us] = -(a - b + c) / 6.0f;
  u[3 * us] = a / 24.0f + b / 12.0f + c / 6.0f;
  u[4 * us] = a / 24.0f - b / 12.0f + c / 6.0f;
  u[5 * us] = c;
}

static void filter(const float *g, float *u) {
  float gg[6][3];
  for (int j = 0; j < 3; j++) g6(g[j], g[3 + j], g[6 + j], &gg[0][j], 3);
  for (int i = 0; i < 6; i++) g6(gg[i][0], gg[i][1], gg[i][2], u + i * 6, 1);
}

/** w = G^T m for six values. */
static inline void gt3(const float *m, int ms, float *w, int ws) {
  const float p = m[ms] + m[2 * ms], q = m[ms] - m[2 * ms], r = m[3 * ms] + m[4 * ms], s = m[3 * ms] - m[4 * ms];
  w[0] = 0.25f * m[0] - p / 6.0f + r / 24.0f;
  w[ws] = -q / 6.0f + s / 12.0f;
  w[2 * ws] = -p / 6.0f + r / 6.0f + m[5 * ms];
}

static void finish(const float *m, float *w) {
  float mg[6][3];
  for (int r = 0; r < 6; r++) gt3(m + r * 6, 1, mg[r], 1);
  for (int kx = 0; kx < 3; kx++) gt3(&mg[0][kx], 3, w + kx, 3);
}

const struct Variant WINOGRAD_F4 = {4, 36, input, gradient, output, filter, finish};
