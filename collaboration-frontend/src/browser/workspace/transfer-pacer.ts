/**
 * Keeps one peer's file traffic under the coordination server's per-socket
 * byte rate (default 8 MiB/s with 16 MiB bursts), which drops — not delays —
 * what exceeds it. Chunks wait here instead, so a 100 MB transfer takes its
 * time rather than losing messages. The defaults leave room for the
 * session's other traffic (edits, cursors) on the same socket.
 */
export interface PacerOptions {
    readonly bytesPerSecond: number;
    readonly burstBytes: number;
}

export const DEFAULT_PACER_OPTIONS: PacerOptions = { bytesPerSecond: 6 * 1024 * 1024, burstBytes: 4 * 1024 * 1024 };

export class TransferPacer {
    private tokens: number;
    private updatedAt: number;
    /** Waiters are served in order, so a big chunk is not starved by small ones. */
    private queue: Promise<void> = Promise.resolve();

    constructor(private readonly options: PacerOptions = DEFAULT_PACER_OPTIONS, private readonly now: () => number = Date.now) {
        this.tokens = options.burstBytes;
        this.updatedAt = now();
    }

    /** Resolves when `bytes` may be sent. */
    take(bytes: number): Promise<void> {
        const turn = this.queue.then(() => this.waitFor(Math.min(bytes, this.options.burstBytes)));
        this.queue = turn;
        return turn;
    }

    private async waitFor(bytes: number): Promise<void> {
        for (;;) {
            const now = this.now();
            this.tokens = Math.min(this.options.burstBytes, this.tokens + (now - this.updatedAt) * this.options.bytesPerSecond / 1000);
            this.updatedAt = now;
            if (this.tokens >= bytes) {
                this.tokens -= bytes;
                return;
            }
            const waitMs = Math.ceil((bytes - this.tokens) * 1000 / this.options.bytesPerSecond);
            await new Promise(resolve => setTimeout(resolve, waitMs));
        }
    }
}
