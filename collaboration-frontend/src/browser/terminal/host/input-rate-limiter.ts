/**
 * A token bucket per peer for guests' terminal input: typing and pasting
 * pass, a guest flooding the host's shell is refused until the bucket refills.
 */
export class InputRateLimiter {
    private readonly buckets = new Map<string, { tokens: number; at: number }>();

    constructor(
        private readonly charsPerSecond = 16 * 1024,
        private readonly burstChars = 64 * 1024,
        private readonly now: () => number = () => Date.now()
    ) { }

    /** Takes `chars` from the peer's bucket; false (and nothing taken) when it has not enough. */
    take(peerId: string, chars: number): boolean {
        const now = this.now();
        const bucket = this.buckets.get(peerId) ?? { tokens: this.burstChars, at: now };
        bucket.tokens = Math.min(this.burstChars, bucket.tokens + (now - bucket.at) / 1000 * this.charsPerSecond);
        bucket.at = now;
        this.buckets.set(peerId, bucket);
        if (bucket.tokens < chars) {
            return false;
        }
        bucket.tokens -= chars;
        return true;
    }

    forget(peerId: string): void {
        this.buckets.delete(peerId);
    }
}
