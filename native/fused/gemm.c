// Matrix products C (+)= A * B with any strides for A and B (so transposed operands need no
// copy), blocked over K, B packed into panels of 8 columns, a 4x8 register tile (8 accumulators,
// 2 B vectors, 1 broadcast: larger tiles spill, as V8 gives WebAssembly 15 vector registers).
#include "fused.h"

#define KC 256
#define NR 8
#define MR 4


static void pack_b(float *restrict dst, const float *B, int sbk, int sbn, int kc, int n0, int n1) {
  for (int n = n0; n < n1; n += NR) {
    const int cols = min_i(NR, n1 - n);
    const float *col = B + (int64_t)n * sbn;
    if (cols == NR && sbn == 1) {
      for (int k = 0; k < kc; k++) {
        const float *src = col + (int64_t)k * sbk;
        wasm_v128_store(dst, wasm_v128_load(src));
        wasm_v128_store(dst + 4, wasm_v128_load(src + 4));
        dst += NR;
      }
    } else {
      for (int k = 0; k < kc; k++) {
        const float *src = col + (int64_t)k * sbk;
        for (int j = 0; j < NR; j++) dst[j] = j < cols ? src[(int64_t)j * sbn] : 0.0f;
        dst += NR;
      }
    }
  }
}

__attribute__((noinline)) static void tile(int kc, const float *a, int sam, int sak, const float *restrict bp, float *c, int ldc, int rows, int cols, int load) {
  const float *a0 = a;
  const float *a1 = rows > 1 ? a + sam : a0;
  const float *a2 = rows > 2 ? a + 2 * sam : a1;
  const float *a3 = rows > 3 ? a + 3 * sam : a2;
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int k = 0; k < kc; k++) {
    const v128_t b0 = wasm_v128_load(bp);
    const v128_t b1 = wasm_v128_load(bp + 4);
    bp += NR;
    v128_t x = wasm_f32x4_splat(*a0);
    c00 = MADD(x, b0, c00);
    c01 = MADD(x, b1, c01);
    x = wasm_f32x4_splat(*a1);
    c10 = MADD(x, b0, c10);
    c11 = MADD(x, b1, c11);
    x = wasm_f32x4_splat(*a2);
    c20 = MADD(x, b0, c20);
    c21 = MADD(x, b1, c21);
    x = wasm_f32x4_splat(*a3);
    c30 = MADD(x, b0, c30);
    c31 = MADD(x, b1, c31);
    a0 += sak;
    a1 += sak;
    a2 += sak;
    a3 += sak;
  }
  if (rows == MR && cols == NR) {
    float *r0 = c, *r1 = c + ldc, *r2 = c + 2 * ldc, *r3 = c + 3 * ldc;
    if (load) {
      c00 = wasm_f32x4_add(c00, wasm_v128_load(r0));
      c01 = wasm_f32x4_add(c01, wasm_v128_load(r0 + 4));
      c10 = wasm_f32x4_add(c10, wasm_v128_load(r1));
      c11 = wasm_f32x4_add(c11, wasm_v128_load(r1 + 4));
      c20 = wasm_f32x4_add(c20, wasm_v128_load(r2));
      c21 = wasm_f32x4_add(c21, wasm_v128_load(r2 + 4));
      c30 = wasm_f32x4_add(c30, wasm_v128_load(r3));
      c31 = wasm_f32x4_add(c31, wasm_v128_load(r3 + 4));
    }
    wasm_v128_store(r0, c00);
    wasm_v128_store(r0 + 4, c01);
    wasm_v128_store(r1, c10);
    wasm_v128_store(r1 + 4, c11);
    wasm_v128_store(r2, c20);
    wasm_v128_store(r2 + 4, c21);
    wasm_v128_store(r3, c30);
    wasm_v128_store(r3 + 4, c31);
    return;
  }
  float t[MR * NR];
  wasm_v128_store(t, c00);
  wasm_v128_store(t + 4, c01);
  wasm_v128_store(t + 8, c10);
  wasm_v128_store(t + 12, c11);
  wasm_v128_store(t + 16, c20);
  wasm_v128_store(t + 20, c21);
  wasm_v128_store(t + 24, c30);
  wasm_v128_store(t + 28, c31);
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++) c[i * ldc + j] = load ? c[i * ldc + j] + t[i * NR + j] : t[i * NR + j];
}

/** Rows [m0, m1) and columns [n0, n1) (n0 a multiple of 8) of C over K range [k0, k1). */
static void gemm_block(int m0, int m1, int n0, int n1, int k0, int k1, const float *A, int sam, int sak, const float *B,
                       int sbk, int sbn, float *C, int ldc, int accumulate, float *pack) {
  for (int kb = k0; kb < k1; kb += KC) {
    const int kc = min_i(KC, k1 - kb);
    pack_b(pack, B + (int64_t)kb * sbk, sbk, sbn, kc, n0, n1);
    const int load = accumulate || kb > k0;
    for (int i = m0; i < m1; i += MR) {
      const int rows = min_i(MR, m1 - i);
      const float *a = A + (int64_t)i * sam + (int64_t)kb * sak;
      const float *panel = pack;
      for (int n = n0; n < n1; n += NR) {
        tile(kc, a, sam, sak, panel, C + (int64_t)i * ldc + n, ldc, rows, min_i(NR, n1 - n), load);
        panel += (int64_t)kc * NR;
      }
    }
  }
}

/**
 * C[M x N] (+)= A[M x K] * B[K x N], element (i, k) of A at A[i*sam + k*sak], (k, j) of B at
 * B[k*sbk + j*sbn]. Threads split the rows (each packs all of B: right when B is the small
 * operand) or, with split_cols, the 8-column panels (each packs only its own).
 * `pack` holds KC * round_up(N, 8) floats per thread.
 */
EXPORT(gemm)(int tid, int nt, int split_cols, int M, int N, int K, const float *A, int sam, int sak, const float *B, int sbk,
             int sbn, float *C, int ldc, int accumulate, float *pack) {
  float *mine = pack + (int64_t)tid * KC * ((N + NR - 1) / NR * NR);
  int from, to;
  if (split_cols) {
    share(tid, nt, (N + NR - 1) / NR, &from, &to);
    if (from < to) gemm_block(0, M, from * NR, min_i(to * NR, N), 0, K, A, sam, sak, B, sbk, sbn, C, ldc, accumulate, mine);
  } else {
    share(tid, nt, (M + MR - 1) / MR, &from, &to);
    if (from < to) gemm_block(from * MR, min_i(to * MR, M), 0, N, 0, K, A, sam, sak, B, sbk, sbn, C, ldc, accumulate, mine);
  }
}

/**
 * The same product split over K into REDUCTION_CHUNKS partial products, partials[c] (M x N
 * each, dense); `reduce_chunks` then sums them. For long reductions (filter gradients over
 * every position of a batch) where M and N are small.
 */
EXPORT(gemm_chunks)(int tid, int nt, int M, int N, int K, const float *A, int sam, int sak, const float *B, int sbk, int sbn,
                    float *partials, float *pack) {
  float *mine = pack + (int64_t)tid * KC * ((N + NR - 1) / NR * NR);
  for (int c = tid; c < REDUCTION_CHUNKS; c += nt) {
    int k0, k1;
    share(c, REDUCTION_CHUNKS, K, &k0, &k1);
    float *out = partials + (int64_t)c * M * N;
    if (k0 == k1) {
      for (int64_t i = 0; i < (int64_t)M * N; i++) out[i] = 0;
      continue;
    }
    gemm_block(0, M, 0, N, k0, k1, A, sam, sak, B, sbk, sbn, out, N, 0, mine);
  }
}

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

/** Column sums of X[rows x cols] in REDUCTION_CHUNKS partials (bias gradients), then reduce_chunks. */
EXPORT(colsum_chunks)(int tid, int nt, const float *X, int rows, int cols, float *partials) {
  for (int c = tid; c < REDUCTION_CHUNKS; c += nt) {
    int r0, r1;
    share(c, REDUCTION_CHUNKS, rows, &r0, &r1);
    float *out = partials + (int64_t)c * cols;
    for (int j = 0; j < cols; j++) out[j] = 0;
    for (int r = r0; r < r1; r++) {
      const float *row = X + (int64_t)r * cols;
      int j = 0;
      for (; j + 4 <= cols; j += 4) wasm_v128_store(out + j, wasm_f32x4_add(wasm_v128_load(out + j), wasm_v128_load(row + j)));
      for (; j < cols; j++) out[j] += row[j];
    }
  }
}
