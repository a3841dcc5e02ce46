// exp and log for float without a C library (the module is built with -nostdlib), after fdlibm's
// e_expf.c and e_logf.c: within 1-2 ulp, which the comparisons with tfjs's cpu backend confirm.
#include "fused.h"

static inline float from_bits(uint32_t u) { return __builtin_bit_cast(float, u); }
static inline uint32_t to_bits(float f) { return __builtin_bit_cast(uint32_t, f); }

float expf_fast(float x) {
  if (x > 88.72283f) return from_bits(0x7f800000u);
  if (x < -103.97208f) return 0.0f;
  const float ln2_hi = 6.9314575195e-01f, ln2_lo = 1.4286067653e-06f;
  const float k = __builtin_rintf(x * 1.4426950409f);
  const float hi = x - k * ln2_hi, lo = k * ln2_lo;
  const float r = hi - lo;
  const float t = r * r;
  const float c = r - t * (1.6666625440e-1f + t * -2.7667332906e-3f);
  const float y = 1.0f - ((lo - (r * c) / (2.0f - c)) - hi);
  int ki = (int)k;
  if (ki < -126) return y * from_bits((uint32_t)(ki + 64 + 127) << 23) * from_bits(63u << 23); // 2^-64 last: subnormal results
  if (ki > 127) return y * 2.0f * from_bits((uint32_t)(ki - 1 + 127) << 23);
  return y * from_bits((uint32_t)(ki + 127) << 23);
}

float logf_fast(float x) {
  if (!(x > 0.0f)) return x == 0.0f ? from_bits(0xff800000u) : from_bits(0x7fc00000u);
  if (x == from_bits(0x7f800000u)) return x;
  uint32_t ix = to_bits(x);
  int e = 0;
  if (ix < 0x00800000u) { // subnormal
    x *= 33554432.0f;
    ix = to_bits(x);
    e = -25;
  }
  // m in [sqrt(2)/2, sqrt(2)).
  ix += 0x3f800000u - 0x3f3504f3u;
  e += (int)(ix >> 23) - 127;
  ix = (ix & 0x007fffffu) + 0x3f3504f3u;
  const float f = from_bits(ix) - 1.0f;
  const float s = f / (2.0f + f);
  const float z = s * s, w = z * z;
  const float t1 = w * (0.40000972152f + w * 0.24279078841f);
  const float t2 = z * (0.66666662693f + w * 0.28498786688f);
  const float R = t2 + t1;
  const float hfsq = 0.5f * f * f;
  const float dk = (float)e;
  return s * (hfsq + R) + dk * 9.0580006145e-06f - hfsq + f + dk * 6.9313812256e-01f;
}
