/**
 * A token bucket: `capacity` tokens, refilled at `ratePerSecond`. Synchronous
 * on purpose: the relay path stays free of promises, so a socket's messages
 * are handled strictly in arrival order and with no allocation.
 */
export class TokenBucket {
    private tokens: number;
    private updatedAt: number;

    constructor(private readonly ratePerSecond: number, private readonly capacity: number, now: number) {
        this.tokens = capacity;
        this.updatedAt = now;
    }

    /** Takes `amount` tokens if there are enough; a request larger than the capacity never passes. */
    take(amount: number, now: number): boolean {
        const elapsed = now - this.updatedAt;
        if (elapsed > 0) {
            this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.ratePerSecond / 1000);
            this.updatedAt = now;
        }
        if (this.tokens < amount) {
            return false;
        }
        this.tokens -= amount;
        return true;
    }
}
