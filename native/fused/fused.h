// Shared definitions of the fused training kernels. Every exported kernel takes the calling
// thread's index and the thread count first and does its own share of the work, so the same
// call made on every thread (with a barrier after it) performs the whole operation.
#pragma once
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name))) void name

#ifdef RELAXED
#define MADD(a, b, c) wasm_f32x4_relaxed_madd((a), (b), (c))
#else
#define MADD(a, b, c) wasm_f32x4_add(wasm_f32x4_mul((a), (b)), (c))
#endif

/** Fixed number of partial sums of a reduction, whatever the thread count: results do not depend on it. */
#define REDUCTION_CHUNKS 4

static inline int min_i(int a, int b) { return a < b ? a : b; }
static inline int max_i(int a, int b) { return a > b ? a : b; }

/** The share [*from, *to) of `count` items that thread `tid` of `nt` takes. */
static inline void share(int tid, int nt, int count, int *from, int *to) {
  *from = (int)((int64_t)count * tid / nt);
  *to = (int)((int64_t)count * (tid + 1) / nt);
}

/** Zeros images [from, to) of `per` floats each (a gradient that kernels then add into). */
static inline void zero_images(float *x, int from, int to, int64_t per) {
  for (int64_t i = (int64_t)from * per; i < (int64_t)to * per; i++) x[i] = 0.0f;
}

enum Activation { ACT_LINEAR = 0, ACT_RELU = 1, ACT_SIGMOID = 2, ACT_TANH = 3 };

float expf_fast(float x);
float logf_fast(float x);
