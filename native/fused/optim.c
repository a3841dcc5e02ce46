// Optimizer updates over a contiguous range of parameters, step for step as tfjs's optimizers
// compute them (same operations in the same order). Each reads its float32 scalars from `s`,
// which the caller rewrites before every step (bias corrections change with the step).
#include "fused.h"

#define RANGE                  \
  int from, to;                \
  share(tid, nt, count, &from, &to); \
  for (int i = from; i < to; i++)

EXPORT(sgd)(int tid, int nt, float *w, const float *g, int count, const float *s) {
  const float neg_lr = s[0];
  RANGE w[i] = neg_lr * g[i] + w[i];
}

EXPORT(adam)(int tid, int nt, float *w, const float *g, float *m, float *v, int count, const float *s) {
  const float beta1 = s[0], one_minus_beta1 = s[1], beta2 = s[2], one_minus_beta2 = s[3];
  const float one_minus_acc1 = s[4], one_minus_acc2 = s[5], eps = s[6], neg_lr = s[7];
  RANGE {
    const float gi = g[i];
    const float mi = m[i] * beta1 + gi * one_minus_beta1;
    const float vi = v[i] * beta2 + (gi * gi) * one_minus_beta2;
    m[i] = mi;
    v[i] = vi;
    const float mh = mi / one_minus_acc1;
    const float vh = vi / one_minus_acc2;
    w[i] = (mh / (__builtin_sqrtf(vh) + eps)) * neg_lr + w[i];
  }
}

EXPORT(adamax)(int tid, int nt, float *w, const float *g, float *m, float *u, int count, const float *s) {
  const float beta1 = s[0], one_minus_beta1 = s[1], beta2 = s[2], step = s[3], eps = s[4];
  RANGE {
    const float gi = g[i];
    const float mi = m[i] * beta1 + gi * one_minus_beta1;
    const float u0 = u[i] * beta2, u1 = __builtin_fabsf(gi);
    const float ui = u0 > u1 ? u0 : u1;
    m[i] = mi;
    u[i] = ui;
    w[i] = step * (mi / (ui + eps)) + w[i];
  }
}

EXPORT(rmsprop)(int tid, int nt, float *w, const float *g, float *ms, float *mom, int count, const float *s) {
  const float decay = s[0], one_minus_decay = s[1], momentum = s[2], lr = s[3], eps = s[4];
  RANGE {
    const float gi = g[i];
    const float msi = ms[i] * decay + (gi * gi) * one_minus_decay;
    const float mo = mom[i] * momentum + (gi * lr) / __builtin_sqrtf(msi + eps);
    ms[i] = msi;
    mom[i] = mo;
    w[i] = w[i] - mo;
  }
}

EXPORT(adagrad)(int tid, int nt, float *w, const float *g, float *acc, int count, const float *s) {
  const float eps = s[0], neg_lr = s[1];
  RANGE {
    const float gi = g[i];
    const float a = acc[i] + gi * gi;
    acc[i] = a;
    w[i] = (gi / __builtin_sqrtf(a + eps)) * neg_lr + w[i];
  }
}

/** As tfjs: the update scales by the accumulated gradient from before this step. */
EXPORT(adadelta)(int tid, int nt, float *w, const float *g, float *ag, float *au, int count, const float *s) {
  const float rho = s[0], one_minus_rho = s[1], eps = s[2], neg_lr = s[3];
  RANGE {
    const float gi = g[i];
    const float agi = ag[i] * rho + (gi * gi) * one_minus_rho;
    const float update = (__builtin_sqrtf(au[i] + eps) / __builtin_sqrtf(ag[i] + eps)) * gi;
    au[i] = au[i] * rho + (update * update) * one_minus_rho;
    ag[i] = agi;
    w[i] = update * neg_lr + w[i];
  }
}

EXPORT(fill)(int tid, int nt, float *dst, int count, float value) {
  RANGE dst[i] = value;
}
