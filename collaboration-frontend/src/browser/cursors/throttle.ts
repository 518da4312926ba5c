/** Timers, injectable so that tests run without waiting. */
export interface Timers {
    now(): number;
    setTimeout(callback: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
    now: () => Date.now(),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: handle => clearTimeout(handle as ReturnType<typeof setTimeout>)
};

/**
 * Calls `run` at most once per `intervalMs`, always with the latest state:
 * the first call runs at once, calls within the interval collapse into one
 * trailing run at its end (so the last position is always sent, never lost).
 */
export class Throttle {
    private last = Number.NEGATIVE_INFINITY;
    private timer: unknown;

    constructor(private readonly run: () => void, private readonly intervalMs: number, private readonly timers: Timers = realTimers) { }

    schedule(): void {
        if (this.timer !== undefined) {
            return;
        }
        const wait = this.last + this.intervalMs - this.timers.now();
        if (wait <= 0) {
            this.fire();
        } else {
            this.timer = this.timers.setTimeout(() => this.fire(), wait);
        }
    }

    dispose(): void {
        if (this.timer !== undefined) {
            this.timers.clearTimeout(this.timer);
            this.timer = undefined;
        }
    }

    private fire(): void {
        this.timer = undefined;
        this.last = this.timers.now();
        this.run();
    }
}
