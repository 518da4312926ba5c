/** Nanoseconds from a monotonic clock. */
export function now(): bigint {
    return process.hrtime.bigint();
}

/** Seconds between two `now()` readings. */
export function secondsBetween(start: bigint, end: bigint): number {
    return Number(end - start) / 1e9;
}

/** `seconds` from now, as a `now()` deadline. */
export function deadlineIn(seconds: number): bigint {
    return now() + BigInt(Math.round(seconds * 1e9));
}

/** Collects garbage when node runs with --expose-gc (npm run bench does), so that one measurement does not pay for the last one's garbage. */
export function collectGarbage(): void {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
        gc();
        gc();
    }
}

export function hasExposedGc(): boolean {
    return typeof (globalThis as { gc?: unknown }).gc === 'function';
}
