import { AppliedOp } from './ot-messages';
import { TextOperation } from './text-operation';

export interface OperationLogLimits {
    /** Most operations kept (default 10,000). */
    readonly maxOps?: number;
    /** Most bytes kept, as estimated by `estimateOpBytes` (default 16 MiB). */
    readonly maxBytes?: number;
}

/** Bytes an operation takes in memory, roughly: what the log bound counts. */
export function estimateOpBytes(op: TextOperation): number {
    let bytes = 64;
    for (const c of op) {
        if (typeof c === 'number') {
            bytes += 8;
        } else if (typeof c === 'string') {
            bytes += 24 + 2 * c.length;
        } else {
            bytes += 40 + (typeof c.d === 'string' ? 2 * c.d.length : 8);
        }
    }
    return bytes;
}

/**
 * The authority's recent operations, oldest first, bounded by count and bytes.
 * Entry i produced revision `firstRevision + i + 1` from `firstRevision + i`.
 */
export class OperationLog {
    readonly maxOps: number;
    readonly maxBytes: number;
    private entries: AppliedOp[] = [];
    private sizes: number[] = [];
    /** Index of the oldest kept entry: trimming moves it instead of shifting the arrays. */
    private head = 0;
    private bytes = 0;
    private first: number;

    constructor(startRevision: number, limits: OperationLogLimits = {}) {
        this.maxOps = limits.maxOps ?? 10_000;
        this.maxBytes = limits.maxBytes ?? 16 * 1024 * 1024;
        if (!(this.maxOps >= 0) || !(this.maxBytes >= 0)) {
            throw new RangeError('operation log limits must be non-negative');
        }
        this.first = startRevision;
    }

    /** The oldest revision a client can be based on and still be caught up from the log. */
    get firstRevision(): number {
        return this.first;
    }

    get length(): number {
        return this.entries.length - this.head;
    }

    get byteSize(): number {
        return this.bytes;
    }

    append(entry: AppliedOp): void {
        const size = estimateOpBytes(entry.op);
        this.entries.push(entry);
        this.sizes.push(size);
        this.bytes += size;
        while (this.length > this.maxOps || (this.bytes > this.maxBytes && this.length > 0)) {
            this.bytes -= this.sizes[this.head];
            this.head++;
            this.first++;
        }
        if (this.head > 1024 && this.head * 2 > this.entries.length) {
            this.entries = this.entries.slice(this.head);
            this.sizes = this.sizes.slice(this.head);
            this.head = 0;
        }
    }

    /** Entries that took `revision` to the newest, or undefined if some were trimmed. */
    since(revision: number): AppliedOp[] | undefined {
        if (revision < this.first) {
            return undefined;
        }
        return this.entries.slice(this.head + (revision - this.first));
    }

    /** Calls `visit` on each entry after `revision`, oldest first: since() without the copy, for the hot path. */
    forEachSince(revision: number, visit: (entry: AppliedOp) => void): void {
        for (let i = this.head + (revision - this.first); i < this.entries.length; i++) {
            visit(this.entries[i]);
        }
    }
}
