/** The p-th percentile (0..100) of `values` by nearest rank; sorts a copy. */
export function percentile(values: readonly number[], p: number): number {
    if (values.length === 0) {
        return NaN;
    }
    const sorted = Float64Array.from(values).sort();
    const rank = Math.ceil((p / 100) * sorted.length) - 1;
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export function median(values: readonly number[]): number {
    return percentile(values, 50);
}
