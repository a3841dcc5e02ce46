// Batch normalization over the channels (last axis) of rows x cols, as tfjs's layer computes it in
// training: population mean and variance of the batch (two passes, mean first), moving averages
// updated as moving - (moving - batch value) * (1 - momentum). Global average pooling, residual
// sums and channel concatenation are here too: the element-wise glue of branching networks.
#include "fused.h"

/** Per chunk, the column sums of (X - mean)^2; reduce_chunks then adds the chunks. */
EXPORT(colsum_sqdiff_chunks)(int tid, int nt, const float *X, int rows, int cols, const float *mean, float *partials) {
  for (int c = tid; c < REDUCTION_CHUNKS; c += nt) {
    int r0, r1;
    share(c, REDUCTION_CHUNKS, rows, &r0, &r1);
    float *out = partials + (int64_t)c * cols;
    for (int j = 0; j < cols; j++) out[j] = 0.0f;
    for (int r = r0; r < r1; r++) {
      const float *row = X + (int64_t)r * cols;
      for (int j = 0; j < cols; j++) {
        const float d = row[j] - mean[j];
        out[j] += d * d;
      }
    }
  }
}

/** Per chunk, the column sums of X * Y. */
EXPORT(colsum_prod_chunks)(int tid, int nt, const float *X, const float *Y, int rows, int cols, float *partials) {
  for (int c = tid; c < REDUCTION_CHUNKS; c += nt) {
    int r0, r1;
    share(c, REDUCTION_CHUNKS, rows, &r0, &r1);
    float *out = partials + (int64_t)c * cols;
    for (int j = 0; j < cols; j++) out[j] = 0.0f;
    for (int r = r0; r < r1; r++) {
      const float *x = X + (int64_t)r * cols, *y = Y + (int64_t)r * cols;
      for (int j = 0; j < cols; j++) out[j] += x[j] * y[j];
    }
  }
}

EXPORT(divide)(int tid, int nt, float *dst, int count, float divisor) {
  if (tid != 0) return;
  for (int i = 0; i < count; i++) dst[i] /= divisor;
}

/** Y = gamma * xhat + beta with xhat = (X - mean) / sqrt(var + eps), kept for the gradient; inv = 1 / sqrt(var + eps). */
EXPORT(bn_normalize)(int tid, int nt, const float *X, float *Y, float *xhat, int rows, int cols, const float *mean, const float *var,
                     const float *gamma, const float *beta, float eps, float *inv) {
  int from, to;
  share(tid, nt, rows, &from, &to);
  if (tid == 0)
    for (int j = 0; j < cols; j++) inv[j] = 1.0f / __builtin_sqrtf(var[j] + eps);
  for (int r = from; r < to; r++) {
    const float *x = X + (int64_t)r * cols;
    float *y = Y + (int64_t)r * cols, *h = xhat ? xhat + (int64_t)r * cols : 0;
    for (int j = 0; j < cols; j++) {
      const float v = (x[j] - mean[j]) * (1.0f / __builtin_sqrtf(var[j] + eps));
      if (h) h[j] = v;
      y[j] = v * gamma[j] + beta[j];
    }
  }
}

/** moving = moving - (moving - value) * decay, decay = 1 - momentum. */
EXPORT(moving_average)(int tid, int nt, float *moving, const float *value, int count, float decay) {
  if (tid != 0) return;
  for (int i = 0; i < count; i++) moving[i] = moving[i] - (moving[i] - value[i]) * decay;
}

/** dX = gamma * inv / R * (R * dY - sum dY - xhat * sum(dY * xhat)), the sums per channel. */
EXPORT(bn_grad)(int tid, int nt, const float *dY, const float *xhat, float *dX, int rows, int cols, const float *gamma, const float *inv,
                const float *dbeta, const float *dgamma) {
  int from, to;
  share(tid, nt, rows, &from, &to);
  const float n = (float)rows;
  for (int r = from; r < to; r++) {
    const float *g = dY + (int64_t)r * cols, *h = xhat + (int64_t)r * cols;
    float *d = dX + (int64_t)r * cols;
    for (int j = 0; j < cols; j++) d[j] = gamma[j] * inv[j] / n * (n * g[j] - dbeta[j] - h[j] * dgamma[j]);
  }
}

/** Y[b, c] = the mean of X[b, :, :, c] over the hw positions. */
EXPORT(global_avgpool)(int tid, int nt, const float *X, float *Y, int n, int hw, int c) {
  int from, to;
  share(tid, nt, n, &from, &to);
  for (int b = from; b < to; b++) {
    float *y = Y + (int64_t)b * c;
    for (int j = 0; j < c; j++) y[j] = 0.0f;
    for (int p = 0; p < hw; p++) {
      const float *x = X + ((int64_t)b * hw + p) * c;
      for (int j = 0; j < c; j++) y[j] += x[j];
    }
    for (int j = 0; j < c; j++) y[j] /= (float)hw;
  }
}

EXPORT(global_avgpool_grad)(int tid, int nt, const float *dY, float *dX, int n, int hw, int c) {
  int from, to;
  share(tid, nt, n, &from, &to);
  for (int b = from; b < to; b++)
    for (int p = 0; p < hw; p++)
      for (int j = 0; j < c; j++) dX[((int64_t)b * hw + p) * c + j] = dY[(int64_t)b * c + j] / (float)hw;
}

/** out = a + b, element-wise (out may be a). */
EXPORT(add)(int tid, int nt, float *out, const float *a, const float *b, int count) {
  int from, to;
  share(tid, nt, count, &from, &to);
  for (int i = from; i < to; i++) out[i] = a[i] + b[i];
}

/** Copies rows x cols from src (row stride src_stride) to dst (row stride dst_stride): concatenation and its gradient. */
EXPORT(strided_copy)(int tid, int nt, float *dst, const float *src, int rows, int cols, int dst_stride, int src_stride) {
  int from, to;
  share(tid, nt, rows, &from, &to);
  for (int r = from; r < to; r++)
    for (int j = 0; j < cols; j++) dst[(int64_t)r * dst_stride + j] = src[(int64_t)r * src_stride + j];
}
