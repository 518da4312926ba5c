import { AppliedOp } from './ot-messages';
import { OneEdit, oneEditOp } from './one-edit';
import { TextOperation } from './text-operation';

export interface OperationLogLimits {
    /** Most operations kept (default 10,000). */
    readonly maxOps?: number;
    /** Most bytes kept, as estimated by `estimateOpBytes` (default 16 MiB). */
    readonly maxBytes?: number;
}

/** Bytes an operation takes in memory, roughly: what the log bound counts. */
export function estimateOpBytes(op: TextOperation): number {
    let bytes = OP_BYTES;
    for (const c of op) {
        bytes += typeof c === 'number' ? RETAIN_BYTES : typeof c === 'string' ? insertBytes(c) : deleteBytes(c.d);
    }
    return bytes;
}

// The parts of estimateOpBytes, which the log also adds up from an edit's parts.
const OP_BYTES = 64;
const RETAIN_BYTES = 8;

function insertBytes(text: string): number {
    return 24 + 2 * text.length;
}

function deleteBytes(d: number | string): number {
    return 40 + (typeof d === 'string' ? 2 * d.length : 8);
}

/**
 * The authority's recent operations, oldest first, bounded by count and bytes.
 * Entry i produced revision `firstRevision + i + 1` from `firstRevision + i`.
 *
 * Entries live in parallel arrays rather than as AppliedOp objects, and an
 * operation of the usual shape (one edit: `[retain?, {d}?, insert?]`) is kept
 * as its parts, its array and delete object let go. A full log holds
 * thousands of entries long enough to reach V8's old generation: keeping the
 * operation objects there made each one survive two scavenges and a copy, a
 * sixth of the authority's time per edit; the parts are numbers and strings
 * the edit already had. Other operations are kept whole.
 */
export class OperationLog {
    readonly maxOps: number;
    readonly maxBytes: number;
    // A ring: entry k (0 = oldest) lives at index (start + k) % capacity (see slot).
    /** The operation, when it is not of the one-edit shape; undefined otherwise. */
    private wholeOps: (TextOperation | undefined)[] = new Array(16);
    /** One-edit shape: the leading retain (0 for none), the delete's `d` (0 for none), the insert ('' for none). */
    private retains = new Float64Array(16);
    private deletes: (number | string)[] = new Array(16);
    private inserts: string[] = new Array(16);
    private clientIds: string[] = new Array(16);
    private seqs = new Float64Array(16);
    private sizes = new Float64Array(16);
    private capacity = 16;
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

    /**
     * Adds the newest entry. `edit`: its operation's parts when it is of one
     * edit and readOneEdit has just read them (they are not read again).
     */
    append(entry: AppliedOp, edit?: Readonly<OneEdit>): void {
        if (this.count === this.capacity) {
            this.grow();
        }
        const at = this.slot(this.count);
        const size = edit === undefined ? this.store(at, entry.op) : this.storeParts(at, edit.at, edit.deletedText ?? edit.deleteCount, edit.inserted);
        this.clientIds[at] = entry.clientId;
        this.seqs[at] = entry.seq;
        this.sizes[at] = size;
        this.count++;
        this.bytes += size;
        while (this.count > this.maxOps || (this.bytes > this.maxBytes && this.count > 0)) {
            const oldest = this.start;
            this.bytes -= this.sizes[oldest];
            // Let go of the operation's texts now rather than when the slot is reused.
            this.wholeOps[oldest] = undefined;
            this.deletes[oldest] = 0;
            this.inserts[oldest] = '';
            this.start = this.slot(1);
            this.count--;
            this.first++;
        }
    }

    /** The operation that produced `revision` (firstRevision < revision <= newest). */
    opProducing(revision: number): TextOperation {
        return this.load(this.slot(revision - this.first - 1));
    }

    /** Entries that took `revision` to the newest, or undefined if some were trimmed. */
    since(revision: number): AppliedOp[] | undefined {
        if (revision < this.first) {
            return undefined;
        }
        const result: AppliedOp[] = [];
        for (let k = revision - this.first; k < this.count; k++) {
            const i = this.slot(k);
            result.push({ revision: this.first + k + 1, op: this.load(i), clientId: this.clientIds[i], seq: this.seqs[i] });
        }
        return result;
    }

    /**
     * Keeps `op` at ring index `at`, as its parts when it has the one-edit
     * shape; answers its estimateOpBytes, counted from the parts on the way
     * (a second loop over the operation was a tenth of the log's time).
     */
    private store(at: number, op: TextOperation): number {
        let k = 0;
        const head = op[0];
        let retain = 0;
        if (typeof head === 'number') {
            retain = head;
            k++;
        }
        const middle = op[k];
        let deleted: number | string = 0;
        if (typeof middle === 'object') {
            deleted = middle.d;
            k++;
        }
        const tail = op[k];
        let inserted = '';
        if (typeof tail === 'string') {
            inserted = tail;
            k++;
        }
        if (k === op.length) {
            return this.storeParts(at, retain, deleted, inserted);
        }
        this.wholeOps[at] = op;
        this.deletes[at] = 0;
        this.inserts[at] = '';
        return estimateOpBytes(op);
    }

    /** Keeps a one-edit operation as its parts at ring index `at`; answers its estimateOpBytes. */
    private storeParts(at: number, retain: number, deleted: number | string, inserted: string): number {
        this.wholeOps[at] = undefined;
        this.retains[at] = retain;
        this.deletes[at] = deleted;
        this.inserts[at] = inserted;
        return OP_BYTES + (retain > 0 ? RETAIN_BYTES : 0) + (deleted === 0 ? 0 : deleteBytes(deleted)) + (inserted === '' ? 0 : insertBytes(inserted));
    }

    /** The operation kept at ring index `i`, rebuilt with the same components if it was kept as parts. */
    private load(i: number): TextOperation {
        const whole = this.wholeOps[i];
        if (whole !== undefined) {
            return whole;
        }
        return oneEditOp(this.retains[i], this.deletes[i], this.inserts[i]);
    }

    /** The ring index of entry k (0 = oldest, k < capacity). */
    private slot(k: number): number {
        const i = this.start + k;
        return i < this.capacity ? i : i - this.capacity;
    }

    /**
     * Doubles the ring (it is full: count === capacity), oldest entry first at
     * index 0, up to the most entries it ever holds at once (maxOps, and one
     * more appended before the oldest goes): with the default 10,000, arrays of
     * 10,001 slots (80 KB) rather than 16,384 (128 KB, which V8 and malloc put
     * in freshly mapped memory: about 200 page faults, a millisecond here).
     */
    private grow(): void {
        const capacity = Math.max(this.capacity + 1, Math.min(this.capacity * 2, this.maxOps + 1));
        const start = this.start;
        this.wholeOps = unrolled(this.wholeOps, start, capacity);
        this.deletes = unrolled(this.deletes, start, capacity);
        this.inserts = unrolled(this.inserts, start, capacity);
        this.clientIds = unrolled(this.clientIds, start, capacity);
        this.retains = unrolledNumbers(this.retains, start, capacity);
        this.seqs = unrolledNumbers(this.seqs, start, capacity);
        this.sizes = unrolledNumbers(this.sizes, start, capacity);
        this.capacity = capacity;
        this.start = 0;
    }
}

// A full ring's items from `start` on, then those before it, in a new array
// of `capacity`. One function per kind of array: a single generic loop over
// typed and plain arrays was a tenth of a short replay's log time.

function unrolled<T>(items: T[], start: number, capacity: number): T[] {
    const copy: T[] = new Array(capacity);
    const count = items.length;
    for (let k = 0; k < count; k++) {
        copy[k] = items[(start + k) % count];
    }
    return copy;
}

function unrolledNumbers(items: Float64Array<ArrayBuffer>, start: number, capacity: number): Float64Array<ArrayBuffer> {
    const copy = new Float64Array(capacity);
    copy.set(items.subarray(start));
    copy.set(items.subarray(0, start), items.length - start);
    return copy;
}
