// F(2x2, 3x3): 2x2 outputs from 4x4 input tiles through 16 products (instead of 36). Its
// coefficients are 0, +-1 and +-1/2: the results differ from the direct sum by rounding only.
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]   G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]
//   A^T = [1 1 1 0; 0 1 -1 -1]
#include "winograd.h"

/** V = B^T d B of tile t (4x4 input values from (iy0, ix0) of image b, zeros outside), four channels at a time, into V[16][WT][c]. */
static void input(const struct Tiles *g, const float *x, int c, int b, int iy0, int ix0, float *V, int t) {
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
static void gradient(const struct Tiles *g, const float *dy, int co, int b, int oy0, int ox0, float *Z, int t) {
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
static void output(const struct Tiles *g, const float *M, int co, const float *bias, int act, float *y, int b, int oy0, int ox0, int t) {
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

static void filter(const float *g, float *u) {
  float gg[4][3];
  for (int j = 0; j < 3; j++) {
    gg[0][j] = g[j];
    gg[1][j] = 0.5f * (g[j] + g[3 + j] + g[6 + j]);
    gg[2][j] = 0.5f * (g[j] - g[3 + j] + g[6 + j]);
    gg[3][j] = g[6 + j];
  }
  for (int i = 0; i < 4; i++) {
    u[i * 4] = gg[i][0];
    u[i * 4 + 1] = 0.5f * (gg[i][0] + gg[i][1] + gg[i][2]);
    u[i * 4 + 2] = 0.5f * (gg[i][0] - gg[i][1] + gg[i][2]);
    u[i * 4 + 3] = gg[i][2];
  }
}

static void finish(const float *m, float *w) {
  float mg[4][3];
  for (int r = 0; r < 4; r++) {
    mg[r][0] = m[r * 4] + 0.5f * (m[r * 4 + 1] + m[r * 4 + 2]);
    mg[r][1] = 0.5f * (m[r * 4 + 1] - m[r * 4 + 2]);
    mg[r][2] = 0.5f * (m[r * 4 + 1] + m[r * 4 + 2]) + m[r * 4 + 3];
  }
  for (int kx = 0; kx < 3; kx++) {
    w[kx] = mg[0][kx] + 0.5f * (mg[1][kx] + mg[2][kx]);
    w[3 + kx] = 0.5f * (mg[1][kx] - mg[2][kx]);
    w[6 + kx] = 0.5f * (mg[1][kx] + mg[2][kx]) + mg[3][kx];
  }
}

const struct Variant WINOGRAD_F2 = {2, 16, input, gradient, output, filter, finish};
