import { MAX_OUTPUT_CHUNK_CHARS } from '../terminal-messages';

export interface OutputBatcherOptions {
    /** How long output is coalesced before it is sent (ms): a message per frame, not per byte. */
    readonly flushMs?: number;
    readonly maxChunkChars?: number;
    /** Sustained characters per second sent; the rest waits (the server limits bytes per second per socket). */
    readonly charsPerSecond?: number;
    /** Output waiting beyond this is dropped and the viewers are told to fetch the scrollback again. */
    readonly maxPendingChars?: number;
}

/**
 * Coalesces a terminal's output into bounded messages at a bounded rate. A
 * flood (`yes`, a huge `cat`) cannot exceed the server's limits: what cannot
 * be sent in time is dropped and the next message carries `reset`, so the
 * viewers redraw from the host's scrollback instead of showing a gap.
 */
export class OutputBatcher {
    private readonly flushMs: number;
    private readonly maxChunkChars: number;
    private readonly charsPerSecond: number;
    private readonly maxPendingChars: number;
    private pending = '';
    private reset = false;
    private timer: ReturnType<typeof setTimeout> | undefined;
    private tokens: number;
    private tokensAt = Date.now();

    constructor(private readonly publish: (data: string, reset: boolean) => void, options: OutputBatcherOptions = {}) {
        this.flushMs = options.flushMs ?? 16;
        this.maxChunkChars = options.maxChunkChars ?? MAX_OUTPUT_CHUNK_CHARS;
        this.charsPerSecond = options.charsPerSecond ?? 512 * 1024;
        this.maxPendingChars = options.maxPendingChars ?? 1024 * 1024;
        this.tokens = this.charsPerSecond;
    }

    push(data: string): void {
        this.pending += data;
        if (this.pending.length > this.maxPendingChars) {
            this.pending = '';
            this.reset = true;
        }
        this.timer ??= setTimeout(() => this.flush(true), this.flushMs);
    }

    /** Sends everything waiting now, whatever the rate: before a snapshot or a resize, so that the topic keeps the terminal's order. */
    flushAll(): void {
        this.flush(false);
    }

    dispose(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.pending = '';
    }

    private flush(limited: boolean): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        const now = Date.now();
        this.tokens = Math.min(this.charsPerSecond, this.tokens + (now - this.tokensAt) / 1000 * this.charsPerSecond);
        this.tokensAt = now;
        if (this.reset) {
            this.reset = false;
            this.publish('', true);
        }
        let budget = limited ? Math.max(0, Math.floor(this.tokens)) : Number.MAX_SAFE_INTEGER;
        while (this.pending.length > 0 && budget > 0) {
            let end = Math.min(this.pending.length, this.maxChunkChars, budget);
            if (end < this.pending.length && isHighSurrogate(this.pending.charCodeAt(end - 1)) && end > 1) {
                end--; // never split a surrogate pair between two messages
            }
            const chunk = this.pending.slice(0, end);
            this.pending = this.pending.slice(end);
            budget -= chunk.length;
            this.tokens -= chunk.length;
            this.publish(chunk, false);
        }
        if (this.pending.length > 0) {
            this.timer = setTimeout(() => this.flush(true), Math.max(this.flushMs, 50));
        }
    }
}

function isHighSurrogate(code: number): boolean {
    return code >= 0xd800 && code <= 0xdbff;
}
