import { ErrorCodes, type ErrorCode } from '@ensemble/collaboration-common';
import type { ServerLimits } from '../config/server-options';

export interface Rejection {
    readonly code: ErrorCode;
    readonly message: string;
    /** False when an error reply would only feed a flood (rate limiting replies once a second). */
    readonly reply: boolean;
}

/**
 * Per-socket limits: message size, message and byte rates (two token
 * buckets refilled on the same clock), and the count of violations after
 * which the socket is disconnected as a repeat offender. Synchronous and
 * allocation-free on purpose: the relay path has no promises, so a socket's
 * messages are handled strictly in arrival order. One object per socket,
 * its fields inline: idle sockets are the server's main memory cost.
 * Times are milliseconds of a monotonic clock (`performance.now()`).
 */
export class SocketGuard {
    private messageTokens: number;
    private byteTokens: number;
    private refilledAt: number;
    /** Bytes of the frames received since the last envelope was admitted (text frame plus binary attachments). */
    private receivedBytes = 0;
    private violations = 0;
    private violationWindowStart: number;
    private lastRateLimitReply = -Infinity;

    constructor(private readonly limits: ServerLimits, now: number) {
        this.messageTokens = limits.messageBurst;
        this.byteTokens = limits.byteBurst;
        this.refilledAt = now;
        this.violationWindowStart = now;
    }

    /** Called for every engine.io frame, before socket.io decodes it. */
    countFrame(bytes: number): void {
        this.receivedBytes += bytes;
    }

    /** Size of the envelope being handled, as it arrived. */
    takeEnvelopeSize(): number {
        const size = this.receivedBytes;
        this.receivedBytes = 0;
        return size;
    }

    /** Checks size and rates for an envelope of `size` bytes; undefined means go ahead. */
    admit(size: number, now: number): Rejection | undefined {
        const limits = this.limits;
        if (size > limits.maxMessageBytes) {
            return {
                code: ErrorCodes.messageTooLarge, reply: true,
                message: `The message has ${size} bytes, the limit is ${limits.maxMessageBytes}: split it into chunks.`
            };
        }
        const elapsed = now - this.refilledAt;
        if (elapsed > 0) {
            this.messageTokens = Math.min(limits.messageBurst, this.messageTokens + elapsed * limits.messagesPerSecond / 1000);
            this.byteTokens = Math.min(limits.byteBurst, this.byteTokens + elapsed * limits.bytesPerSecond / 1000);
            this.refilledAt = now;
        }
        if (this.messageTokens >= 1) {
            // A message over the byte budget still spends its message token.
            this.messageTokens -= 1;
            if (this.byteTokens >= size) {
                this.byteTokens -= size;
                return undefined;
            }
        }
        const reply = now - this.lastRateLimitReply >= 1000;
        if (reply) {
            this.lastRateLimitReply = now;
        }
        return {
            code: ErrorCodes.rateLimited, reply,
            message: `Too many messages: at most ${limits.messagesPerSecond} messages and ${limits.bytesPerSecond} bytes per second `
                + `(bursts of ${limits.messageBurst}); messages above it are dropped.`
        };
    }

    /** Records a violation; returns true when the socket has now broken the rules too often. */
    recordViolation(now: number): boolean {
        if (now - this.violationWindowStart > this.limits.violationWindowMs) {
            this.violationWindowStart = now;
            this.violations = 0;
        }
        this.violations++;
        return this.violations > this.limits.maxViolations;
    }
}
