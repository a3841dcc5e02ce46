// Curve smoothing as TensorBoard does it, so the same slider value reads the same in both tools.

/**
 * Exponential moving average with TensorBoard's debiasing: the running average starts at zero and
 * each value is divided by 1 - weight^n, so the first points follow the data instead of rising from
 * zero. Non-finite values pass through untouched and do not enter the average; a constant series
 * is returned as is (its debiased average would differ from it only by rounding).
 */
export function smooth(values: readonly number[], weight: number): number[] {
  if (!(weight > 0)) return [...values];
  const constant = values.every((v) => v === values[0]);
  let last = 0;
  let count = 0;
  return values.map((value) => {
    if (constant || !Number.isFinite(value)) return value;
    last = last * weight + (1 - weight) * value;
    count++;
    const debias = weight === 1 ? 1 : 1 - weight ** count;
    return last / debias;
  });
}
