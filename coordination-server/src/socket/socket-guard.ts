import { ErrorCodes, type ErrorCode } from '@ensemble/collaboration-common';
import type { ServerLimits } from '../config/server-options';
import { TokenBucket } from './token-bucket';

export interface Rejection {
    readonly code: ErrorCode;
    readonly message: string;
    /** False when an error reply would only feed a flood (rate limiting replies once a second). */
    readonly reply: boolean;
}

/**
 * Per-socket limits: message size, message and byte rates, and the count of
 * violations after which the socket is disconnected as a repeat offender.
 */
export class SocketGuard {
    private readonly messages: TokenBucket;
    private readonly bytes: TokenBucket;
    /** Bytes of the frames received since the last envelope was admitted (text frame plus binary attachments). */
    private receivedBytes = 0;
    private violations = 0;
    private violationWindowStart: number;
    private lastRateLimitReply = -Infinity;

    constructor(private readonly limits: ServerLimits, now: number) {
        this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst, now);
        this.bytes = new TokenBucket(limits.bytesPerSecond, limits.byteBurst, now);
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
        if (size > this.limits.maxMessageBytes) {
            return {
                code: ErrorCodes.messageTooLarge, reply: true,
                message: `The message has ${size} bytes, the limit is ${this.limits.maxMessageBytes}: split it into chunks.`
            };
        }
        if (!this.messages.take(1, now) || !this.bytes.take(size, now)) {
            const reply = now - this.lastRateLimitReply >= 1000;
            if (reply) {
                this.lastRateLimitReply = now;
            }
            return {
                code: ErrorCodes.rateLimited, reply,
                message: `Too many messages: at most ${this.limits.messagesPerSecond} messages and ${this.limits.bytesPerSecond} bytes per second `
                    + `(bursts of ${this.limits.messageBurst}); messages above it are dropped.`
            };
        }
        return undefined;
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
