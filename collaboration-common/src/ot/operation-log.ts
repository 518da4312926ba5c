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
 *
 * Entries are kept in parallel arrays rather than as AppliedOp objects: a
 * full log holds thousands of them long enough to reach V8's old generation,
 * and every object fewer there is less work for each major collection.
 */
export class OperationLog {
    readonly maxOps: number;
    readonly maxBytes: number;
    // A ring: entry k (0 = oldest) lives at index (start + k) & mask.
    private ops: TextOperation[] = new Array(16);
    private clientIds: string[] = new Array(16);
    private seqs: number[] = new Array(16);
    private sizes: number[] = new Array(16);
    private mask = 15;
    private start = 0;
    private count = 0;
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
        return this.count;
    }

    get byteSize(): number {
        return this.bytes;
    }

    append(entry: AppliedOp): void {
        const size = estimateOpBytes(entry.op);
        if (this.count > this.mask) {
            this.grow();
        }
        const at = (this.start + this.count) & this.mask;
        this.ops[at] = entry.op;
        this.clientIds[at] = entry.clientId;
        this.seqs[at] = entry.seq;
        this.sizes[at] = size;
        this.count++;
        this.bytes += size;
        while (this.count > this.maxOps || (this.bytes > this.maxBytes && this.count > 0)) {
            this.bytes -= this.sizes[this.start];
            // Let go of the operation now rather than when its slot is reused.
            this.ops[this.start] = EMPTY_OP;
            this.start = (this.start + 1) & this.mask;
            this.count--;
            this.first++;
        }
    }

    /** The operation that produced `revision` (firstRevision < revision <= newest). */
    opProducing(revision: number): TextOperation {
        return this.ops[(this.start + revision - this.first - 1) & this.mask];
    }

    /** Entries that took `revision` to the newest, or undefined if some were trimmed. */
    since(revision: number): AppliedOp[] | undefined {
        if (revision < this.first) {
            return undefined;
        }
        const result: AppliedOp[] = [];
        for (let k = revision - this.first; k < this.count; k++) {
            const i = (this.start + k) & this.mask;
            result.push({ revision: this.first + k + 1, op: this.ops[i], clientId: this.clientIds[i], seq: this.seqs[i] });
        }
        return result;
    }

    private grow(): void {
        const capacity = (this.mask + 1) * 2;
        const reorder = <T>(items: T[]): T[] => {
            const copy: T[] = new Array(capacity);
            for (let k = 0; k < this.count; k++) {
                copy[k] = items[(this.start + k) & this.mask];
            }
            return copy;
        };
        this.ops = reorder(this.ops);
        this.clientIds = reorder(this.clientIds);
        this.seqs = reorder(this.seqs);
        this.sizes = reorder(this.sizes);
        this.mask = capacity - 1;
        this.start = 0;
    }
}

const EMPTY_OP: TextOperation = [];
