/** Messages a guest may post in a row before the host slows it down. */
export const CHAT_BURST = 20;
/** Messages per second a guest may post after its burst. */
export const CHAT_RATE_PER_SECOND = 2;

/**
 * The host's per-peer limit on chat posts (a token bucket): people chat in
 * bursts, a runaway script would fill everyone's history and screen. The
 * server's own rate limit is far higher, for every kind of message.
 */
export class ChatRateLimit {
    private readonly buckets = new Map<string, { tokens: number; at: number }>();

    constructor(
        private readonly burst = CHAT_BURST,
        private readonly perSecond = CHAT_RATE_PER_SECOND,
        private readonly now: () => number = Date.now
    ) { }

    /** Takes one post from `peerId`'s allowance; false when it has none left right now. */
    take(peerId: string): boolean {
        const now = this.now();
        const bucket = this.buckets.get(peerId) ?? { tokens: this.burst, at: now };
        bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) / 1000 * this.perSecond);
        bucket.at = now;
        this.buckets.set(peerId, bucket);
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }

    /** The peer left: its allowance is not needed any more. */
    forget(peerId: string): void {
        this.buckets.delete(peerId);
    }
}

export function rateLimitMessage(): string {
    return `you are sending messages faster than the host accepts (${CHAT_BURST} in a row, then ${CHAT_RATE_PER_SECOND} a second); wait a moment`;
}
