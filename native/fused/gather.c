// A step's batch gathered inside the engine from a split copied into its memory once per job:
// the trainer writes the batch's image indices and this descriptor before each step.
#include "fused.h"

enum GatherKind { GATHER_NONE = 0, GATHER_BYTES = 1, GATHER_FLOATS = 2 };

/** Where the batch comes from (the trainer writes it, field by field, as eight 32-bit words). */
struct Gather {
  int kind;
  const void *images;  // count x size bytes (through `table`) or floats
  const int *labels;
  const float *table;  // 256 values: byte k stands for table[k]
  const uint32_t *indices;
  int count;
  int size; // values per image
};

/** dst[i] = image indices[i] of the split, dst_labels[i] its label; nothing with GATHER_NONE (the batch was written in place). */
EXPORT(gather_batch)(int tid, int nt, const struct Gather *g, float *dst, int *dst_labels) {
  if (g->kind == GATHER_NONE) return;
  int from, to;
  share(tid, nt, g->count, &from, &to);
  const int size = g->size;
  for (int i = from; i < to; i++) {
    const uint32_t index = g->indices[i];
    float *out = dst + (int64_t)i * size;
    dst_labels[i] = g->labels[index];
    if (g->kind == GATHER_BYTES) {
      const uint8_t *src = (const uint8_t *)g->images + (int64_t)index * size;
      for (int j = 0; j < size; j++) out[j] = g->table[src[j]];
    } else {
      const float *src = (const float *)g->images + (int64_t)index * size;
      int j = 0;
      for (; j + 4 <= size; j += 4) wasm_v128_store(out + j, wasm_v128_load(src + j));
      for (; j < size; j++) out[j] = src[j];
    }
  }
}
