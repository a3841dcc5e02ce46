// Winograd's minimal filtering for 3x3 stride-1 convolutions (Lavin and Gray, "Fast Algorithms
// for Convolutional Neural Networks", 2015), in two sizes: F(2x2, 3x3) (4x4 input tiles, 16 taps)
// and F(4x4, 3x3) (6x6 tiles, 36 taps). A variant is its tile size and its transforms; the
// drivers in winograd.c are the same for both.
#pragma once
#include "gemm.h"

#define WT 32       // tiles per block
#define MAX_TAPS 36 // F(4x4, 3x3)

/**
 * Floats from one tap's block of n-channel rows to the next: a cache line more than the block,
 * so that the taps' rows a transform reads or writes together do not all fall into the same L1
 * set (a block of 32 tiles x 32 channels is exactly 4 KiB).
 */
static inline int64_t tap_stride(int n) { return (int64_t)WT * n + 16; }

/** The convolution's geometry and its tiles: m x m outputs each, th x tw of them per image. */
struct Tiles {
  int n, h, w, pt, pl, ho, wo, m, th, tw;
};

struct Variant {
  int m, taps;
  /** V[tap][WT][c] (row t) = B^T d B of the (m+2)x(m+2) input tile at (iy0, ix0) of image b, zeros outside. */
  void (*input)(const struct Tiles *g, const float *x, int c, int b, int iy0, int ix0, float *V, int t);
  /** Z[tap][WT][co] (row t) = A dY A^T of the m x m tile of dy at (oy0, ox0), zeros past the output. */
  void (*gradient)(const struct Tiles *g, const float *dy, int co, int b, int oy0, int ox0, float *Z, int t);
  /** The m x m outputs at (oy0, ox0) that exist = A^T M A of row t of M[tap][WT][co], plus bias, then act. */
  void (*output)(const struct Tiles *g, const float *M, int co, const float *bias, int act, float *y, int b, int oy0, int ox0, int t);
  /** u[tap] = G g G^T of a 3x3 filter g (row-major). */
  void (*filter)(const float *g, float *u);
  /** w[3x3] = G^T m G of the taps' sums m. */
  void (*finish)(const float *m, float *w);
};

extern const struct Variant WINOGRAD_F2, WINOGRAD_F4;
