// The blocked matrix product (after BLIS's loop order): B packed in K blocks into panels of NR
// columns that stay in L1, A packed per block of MC rows into micro-panels of MR rows that stay in
// L2, and a 4x8 register tile (8 accumulators, 2 B vectors, 1 broadcast: V8 gives WebAssembly 15
// vector registers) that reads both packed buffers front to back. Packing first makes the tile's
// speed independent of A's and B's strides (a transposed operand read in place thrashed L1's sets).
#include "gemm.h"

/** The register tile's sums over kc steps: row k of A (MR values) at a + k*sa, of B (NR values) at b + k*sb. */
static inline void accumulate(v128_t *acc, int kc, const float *a, int sa, const float *b, int sb) {
  for (int i = 0; i < 8; i++) acc[i] = wasm_f32x4_splat(0.0f);
  for (int k = 0; k < kc; k++) {
    const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
    for (int r = 0; r < MR; r++) {
      const v128_t x = wasm_v128_load32_splat(a + r);
      acc[2 * r] = MADD(x, b0, acc[2 * r]);
      acc[2 * r + 1] = MADD(x, b1, acc[2 * r + 1]);
    }
    a += sa;
    b += sb;
  }
}

void tile(int kc, const float *restrict a, const float *restrict b, float *c, int ldc, int rows, int cols, int load, const float *bias, int act) {
  v128_t acc[8];
  accumulate(acc, kc, a, MR, b, NR);
  store_tile(acc, c, ldc, rows, cols, load, bias, act);
}

void tile_strided(int kc, const float *a, int sa, const float *b, int sb, float *c, int ldc, int rows, int cols) {
  v128_t acc[8];
  accumulate(acc, kc, a, sa, b, sb);
  store_tile(acc, c, ldc, rows, cols, 1, 0, ACT_LINEAR);
}

static inline void transpose4(v128_t *r0, v128_t *r1, v128_t *r2, v128_t *r3) {
  const v128_t t0 = wasm_i32x4_shuffle(*r0, *r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(*r0, *r1, 2, 6, 3, 7);
  const v128_t t2 = wasm_i32x4_shuffle(*r2, *r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(*r2, *r3, 2, 6, 3, 7);
  *r0 = wasm_i64x2_shuffle(t0, t2, 0, 2);
  *r1 = wasm_i64x2_shuffle(t0, t2, 1, 3);
  *r2 = wasm_i64x2_shuffle(t1, t3, 0, 2);
  *r3 = wasm_i64x2_shuffle(t1, t3, 1, 3);
}

/** Four rows' runs of k values (row-major sources, 0 for a row of zeros) into one micro-panel. */
void pack_rows4(float *restrict dst, const float *r0, const float *r1, const float *r2, const float *r3, int kc) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  int k = 0;
  for (; k + 4 <= kc; k += 4) {
    v128_t x0 = r0 ? wasm_v128_load(r0 + k) : zero, x1 = r1 ? wasm_v128_load(r1 + k) : zero;
    v128_t x2 = r2 ? wasm_v128_load(r2 + k) : zero, x3 = r3 ? wasm_v128_load(r3 + k) : zero;
    transpose4(&x0, &x1, &x2, &x3);
    wasm_v128_store(dst + k * MR, x0);
    wasm_v128_store(dst + k * MR + 4, x1);
    wasm_v128_store(dst + k * MR + 8, x2);
    wasm_v128_store(dst + k * MR + 12, x3);
  }
  for (; k < kc; k++) {
    dst[k * MR] = r0 ? r0[k] : 0.0f;
    dst[k * MR + 1] = r1 ? r1[k] : 0.0f;
    dst[k * MR + 2] = r2 ? r2[k] : 0.0f;
    dst[k * MR + 3] = r3 ? r3[k] : 0.0f;
  }
}

void pack_a_plain(const struct Product *p, float *restrict dst, int i0, int rows, int k0, int kc) {
  for (int ir = 0; ir < rows; ir += MR, dst += kc * MR) {
    const int n = min_i(MR, rows - ir);
    const float *a = p->A + (int64_t)(i0 + ir) * p->sam + (int64_t)k0 * p->sak;
    if (p->sak == 1) {
      pack_rows4(dst, a, n > 1 ? a + p->sam : 0, n > 2 ? a + 2 * p->sam : 0, n > 3 ? a + 3 * p->sam : 0, kc);
    } else if (p->sam == 1 && n == MR) {
      for (int k = 0; k < kc; k++) wasm_v128_store(dst + k * MR, wasm_v128_load(a + (int64_t)k * p->sak));
    } else {
      for (int k = 0; k < kc; k++)
        for (int r = 0; r < MR; r++) dst[k * MR + r] = r < n ? a[(int64_t)r * p->sam + (int64_t)k * p->sak] : 0.0f;
    }
  }
}

/** Rows k = 0..len-1 of B (element (k, j) at b[k*sbk + j*sbn]) into panels of NR columns, `panel_stride` floats apart. */
void pack_b_run(float *restrict dst, int panel_stride, const float *b, int sbk, int sbn, int cols, int len) {
  for (int jr = 0; jr < cols; jr += NR, dst += panel_stride, b += (int64_t)NR * sbn) {
    const int n = min_i(NR, cols - jr);
    if (sbn == 1 && n == NR) {
      for (int k = 0; k < len; k++) {
        const float *src = b + (int64_t)k * sbk;
        wasm_v128_store(dst + k * NR, wasm_v128_load(src));
        wasm_v128_store(dst + k * NR + 4, wasm_v128_load(src + 4));
      }
    } else if (sbk == 1 && n == NR) {
      // Columns contiguous in k (a transposed B): 4 x 4 blocks transposed into the panel.
      int k = 0;
      for (; k + 4 <= len; k += 4) {
        for (int q = 0; q < NR; q += 4) {
          const float *col = b + (int64_t)q * sbn + k;
          v128_t x0 = wasm_v128_load(col), x1 = wasm_v128_load(col + sbn), x2 = wasm_v128_load(col + 2 * sbn), x3 = wasm_v128_load(col + 3 * sbn);
          transpose4(&x0, &x1, &x2, &x3);
          wasm_v128_store(dst + k * NR + q, x0);
          wasm_v128_store(dst + (k + 1) * NR + q, x1);
          wasm_v128_store(dst + (k + 2) * NR + q, x2);
          wasm_v128_store(dst + (k + 3) * NR + q, x3);
        }
      }
      for (; k < len; k++)
        for (int j = 0; j < NR; j++) dst[k * NR + j] = b[(int64_t)j * sbn + k];
    } else {
      for (int k = 0; k < len; k++)
        for (int j = 0; j < NR; j++) dst[k * NR + j] = j < n ? b[(int64_t)k * sbk + (int64_t)j * sbn] : 0.0f;
    }
  }
}

void pack_b_plain(const struct Product *p, float *restrict dst, int j0, int cols, int k0, int kc) {
  pack_b_run(dst, kc * NR, p->B + (int64_t)k0 * p->sbk + (int64_t)j0 * p->sbn, p->sbk, p->sbn, cols, kc);
}

void product(const struct Product *p, int tid, int nt, int split_cols, float *work) {
  float *apack = work + (int64_t)tid * PRODUCT_WORK;
  float *bpack = apack + MC * KC;
  int m0 = 0, m1 = p->M, n0 = 0, n1 = p->N, from, to;
  if (split_cols) {
    share(tid, nt, (p->N + NR - 1) / NR, &from, &to);
    n0 = from * NR;
    n1 = min_i(to * NR, p->N);
  } else {
    share(tid, nt, (p->M + MR - 1) / MR, &from, &to);
    m0 = from * MR;
    m1 = min_i(to * MR, p->M);
  }
  if (m0 >= m1 || n0 >= n1 || p->K <= 0) return;
  // K blocks of equal size (288 + 288 rather than 384 + 192): no short block wastes a C round trip.
  const int kblocks = (p->K + KC - 1) / KC;
  for (int jc = n0; jc < n1; jc += NC) {
    const int nc = min_i(NC, n1 - jc);
    for (int kb = 0; kb < kblocks; kb++) {
      const int k0 = (int)((int64_t)p->K * kb / kblocks), kc = (int)((int64_t)p->K * (kb + 1) / kblocks) - k0;
      p->pack_b(p, bpack, jc, nc, k0, kc);
      const int load = p->accumulate || kb > 0, last = kb == kblocks - 1;
      const int act = last ? p->act : ACT_LINEAR;
      for (int ic = m0; ic < m1; ic += MC) {
        const int mc = min_i(MC, m1 - ic);
        p->pack_a(p, apack, ic, mc, k0, kc);
        for (int jr = 0; jr < nc; jr += NR) {
          const float *bias = last && p->bias ? p->bias + jc + jr : 0;
          for (int ir = 0; ir < mc; ir += MR)
            tile(kc, apack + (int64_t)ir * kc, bpack + (int64_t)jr * kc, p->C + (int64_t)(ic + ir) * p->ldc + jc + jr, p->ldc, min_i(MR, mc - ir),
                 min_i(NR, nc - jr), load, bias, act);
        }
      }
    }
  }
}

/**
 * C[M x N] (+)= A[M x K] * B[K x N] (+ bias, then relu when act is ACT_RELU), element (i, k) of
 * A at A[i*sam + k*sak], (k, j) of B at B[k*sbk + j*sbn]: transposed operands need no copy.
 * Threads split the rows, or with split_cols the columns. `work` holds PRODUCT_WORK floats per thread.
 */
EXPORT(gemm)(int tid, int nt, int split_cols, int M, int N, int K, const float *A, int sam, int sak, const float *B, int sbk, int sbn, float *C,
             int ldc, int accumulate, const float *bias, int act, float *work) {
  const struct Product p = {.M = M, .N = N, .K = K, .pack_a = pack_a_plain, .pack_b = pack_b_plain, .A = A, .sam = sam, .sak = sak, .B = B,
                            .sbk = sbk, .sbn = sbn, .C = C, .ldc = ldc, .accumulate = accumulate, .bias = bias, .act = act};
  product(&p, tid, nt, split_cols, work);
}

/** Floats of a product's `work` buffer per thread. */
__attribute__((export_name("product_work_floats"))) int product_work_floats(void) { return PRODUCT_WORK; }

/** dst[i] (+)= sum over c of partials[c * count + i], in chunk order. */
EXPORT(reduce_chunks)(int tid, int nt, float *dst, const float *partials, int count, int accumulate) {
  int from, to;
  share(tid, nt, count, &from, &to);
  for (int i = from; i < to; i++) {
    float sum = partials[i];
    for (int c = 1; c < REDUCTION_CHUNKS; c++) sum += partials[(int64_t)c * count + i];
    dst[i] = accumulate ? dst[i] + sum : sum;
  }
}

/**
 * Column sums of X[rows x cols] in REDUCTION_CHUNKS partials (bias gradients), then
 * reduce_chunks. Sixteen columns at a time in registers: a sum kept in memory waits on its own
 * store at every row.
 */
EXPORT(colsum_chunks)(int tid, int nt, const float *X, int rows, int cols, float *partials) {
  for (int c = tid; c < REDUCTION_CHUNKS; c += nt) {
    int r0, r1;
    share(c, REDUCTION_CHUNKS, rows, &r0, &r1);
    float *out = partials + (int64_t)c * cols;
    int j = 0;
    for (; j + 16 <= cols; j += 16) {
      v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0, s2 = s0, s3 = s0;
      for (int r = r0; r < r1; r++) {
        const float *row = X + (int64_t)r * cols + j;
        s0 = wasm_f32x4_add(s0, wasm_v128_load(row));
        s1 = wasm_f32x4_add(s1, wasm_v128_load(row + 4));
        s2 = wasm_f32x4_add(s2, wasm_v128_load(row + 8));
        s3 = wasm_f32x4_add(s3, wasm_v128_load(row + 12));
      }
      wasm_v128_store(out + j, s0);
      wasm_v128_store(out + j + 4, s1);
      wasm_v128_store(out + j + 8, s2);
      wasm_v128_store(out + j + 12, s3);
    }
    for (; j + 4 <= cols; j += 4) {
      v128_t s = wasm_f32x4_splat(0.0f);
      for (int r = r0; r < r1; r++) s = wasm_f32x4_add(s, wasm_v128_load(X + (int64_t)r * cols + j));
      wasm_v128_store(out + j, s);
    }
    for (; j < cols; j++) {
      float s = 0.0f;
      for (int r = r0; r < r1; r++) s += X[(int64_t)r * cols + j];
      out[j] = s;
    }
  }
}
