// The blocked matrix product every dense layer and convolution runs on: C[M x N] (+)= A * B, A and
// B read through packing functions, so a convolution's patches are gathered block by block into
// cache-sized buffers instead of being laid out whole in memory first (im2col).
#pragma once
#include "fused.h"

#define MR 4   // rows of the register tile
#define NR 8   // columns of the register tile
#define KC 384 // largest K block: a B panel (KC x NR) stays in L1
#define MC 192 // rows of an A block (MC x KC, in L2)
#define NC 256 // columns of a B block

struct Product;

/**
 * Writes rows [i0, i0 + rows) x K range [k0, k0 + kc) of A as ceil(rows / MR) micro-panels of
 * kc x MR floats (row-interleaved), rows past `rows` as zeros.
 */
typedef void (*PackA)(const struct Product *p, float *restrict dst, int i0, int rows, int k0, int kc);
/** Writes K range [k0, k0 + kc) x columns [j0, j0 + cols) of B as ceil(cols / NR) panels of kc x NR floats. */
typedef void (*PackB)(const struct Product *p, float *restrict dst, int j0, int cols, int k0, int kc);

/** A convolution's geometry: input n x h x w x c (NHWC), kernel kh x kw, strides, padding before, output ho x wo. */
struct Window {
  int n, h, w, c, kh, kw, sh, sw, pt, pl, ho, wo;
};

struct Product {
  int M, N, K;
  PackA pack_a;
  PackB pack_b;
  const float *A;
  int sam, sak; // element (i, k) of a plain A at A[i * sam + k * sak]
  const float *B;
  int sbk, sbn; // element (k, j) of a plain B at B[k * sbk + j * sbn]
  struct Window win; // for the convolution packers
  int co;            // a convolution's filter count (the flipped-filter packer)
  float *C;
  int ldc;
  int accumulate;    // add to C instead of overwriting it
  const float *bias; // per column, added at the end (or 0)
  int act;           // ACT_LINEAR or ACT_RELU, applied at the end
};

/** Four rows' runs of kc values (a null row: zeros) into one micro-panel. */
void pack_rows4(float *restrict dst, const float *r0, const float *r1, const float *r2, const float *r3, int kc);
/** Rows k = 0..len-1 of B (element (k, j) at b[k*sbk + j*sbn]) into panels of NR columns, `panel_stride` floats apart. */
void pack_b_run(float *restrict dst, int panel_stride, const float *b, int sbk, int sbn, int cols, int len);
static inline v128_t tile_result(v128_t acc, const float *c, int load, const float *bias, int act) {
  if (load) acc = wasm_f32x4_add(acc, wasm_v128_load(c));
  if (bias) acc = wasm_f32x4_add(acc, wasm_v128_load(bias));
  if (act == ACT_RELU) acc = wasm_f32x4_max(acc, wasm_f32x4_splat(0.0f));
  return acc;
}

/**
 * Stores a register tile (acc[2r], acc[2r + 1]: row r's two vectors) into rows x cols of C, added
 * to C's values with `load`, plus a bias per column, then the activation (linear or relu).
 */
static inline void store_tile(const v128_t *acc, float *c, int ldc, int rows, int cols, int load, const float *bias, int act) {
  if (rows == MR && (cols == NR || cols == 4)) {
    for (int r = 0; r < MR; r++, c += ldc) {
      wasm_v128_store(c, tile_result(acc[2 * r], c, load, bias, act));
      if (cols == NR) wasm_v128_store(c + 4, tile_result(acc[2 * r + 1], c + 4, load, bias ? bias + 4 : 0, act));
    }
    return;
  }
  float t[MR * NR];
  for (int i = 0; i < 2 * MR; i++) wasm_v128_store(t + 4 * i, acc[i]);
  for (int i = 0; i < rows; i++) {
    for (int j = 0; j < cols; j++) {
      float v = t[i * NR + j];
      if (load) v += c[i * ldc + j];
      if (bias) v += bias[j];
      if (act == ACT_RELU) v = v > 0.0f ? v : 0.0f;
      c[i * ldc + j] = v;
    }
  }
}

void pack_a_plain(const struct Product *p, float *restrict dst, int i0, int rows, int k0, int kc);
void pack_b_plain(const struct Product *p, float *restrict dst, int j0, int cols, int k0, int kc);

/** C tile (rows x cols of MR x NR) (+)= packed A (kc x MR) * packed B (kc x NR), then bias and activation. */
void tile(int kc, const float *restrict a, const float *restrict b, float *c, int ldc, int rows, int cols, int load, const float *bias, int act);
/** The register tile over `segs` runs of `run` k values read in place: four rows `s` floats apart, runs `seg_stride` apart. */
void tile_rows(int segs, int run, const float *a, int s, int seg_stride, const float *restrict b, float *c, int ldc, int cols, const float *bias, int act);
/** C tile (rows x cols) += A * B over kc, row k of A (MR values) at a + k*sa, of B (NR values) at b + k*sb. */
void tile_strided(int kc, const float *a, int sa, const float *b, int sb, float *c, int ldc, int rows, int cols);

/** This thread's share of the product: rows split by MR (or, with split_cols, columns by NR). `work` per thread: PRODUCT_WORK floats. */
void product(const struct Product *p, int tid, int nt, int split_cols, float *work);

#define PRODUCT_WORK (MC * KC + KC * NC)
