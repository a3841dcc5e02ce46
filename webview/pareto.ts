// The study's "is enough enough?" question: which runs have the best accuracy for their size.

export interface SizedResult {
  params: number;
  accuracy: number;
}

/**
 * Runs that no other run beats with at most as many parameters: walking from the smallest
 * model up, a run is on the front when it is more accurate than every smaller one.
 * Returned smallest first.
 */
export function paretoFront<T extends SizedResult>(points: readonly T[]): T[] {
  const bySize = [...points].sort((a, b) => a.params - b.params || b.accuracy - a.accuracy);
  const front: T[] = [];
  let best = -Infinity;
  for (const point of bySize) {
    if (point.accuracy > best) {
      front.push(point);
      best = point.accuracy;
    }
  }
  return front;
}
