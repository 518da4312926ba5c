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
 *
 * The arrays come in fixed blocks of entries, appended as the log fills and
 * recycled once trimming has emptied them, rather than in one ring doubled as
 * it fills: doubling the ring from 8,192 to 16,384 entries (arrays big
 * enough for V8's large-object space) took about a millisecond, a twentieth
 * of replaying a whole 40,000-edit trace through the pipeline.
 */
export class OperationLog {
    readonly maxOps: number;
    readonly maxBytes: number;
    /** Entries per block: a power of two, so that an entry's block and slot are a shift and a mask. */
    private readonly blockShift: number;
    private readonly slotMask: number;
    /** Oldest first; entry k (0 = oldest) is at position head + k, in blocks[position >> blockShift]. */
    private readonly blocks: LogBlock[] = [];
    /** A block emptied by trimming, kept for the next one needed. */
    private spare: LogBlock | undefined;
    /** The oldest entry's slot in blocks[0]. */
    private head = 0;
    private count = 0;
    private bytes = 0;
    private first: number;

    /** `entriesPerBlock`: a power of two, at least 1 (default 256); tests use small ones to cross blocks with few entries. */
    constructor(startRevision: number, limits: OperationLogLimits = {}, entriesPerBlock = 256) {
        this.maxOps = limits.maxOps ?? 10_000;
        this.maxBytes = limits.maxBytes ?? 16 * 1024 * 1024;
        if (!(this.maxOps >= 0) || !(this.maxBytes >= 0)) {
            throw new RangeError('operation log limits must be non-negative');
        }
        if (!(Number.isInteger(entriesPerBlock) && entriesPerBlock >= 1 && (entriesPerBlock & (entriesPerBlock - 1)) === 0)) {
            throw new RangeError(`entries per block must be a power of two, got ${entriesPerBlock}`);
        }
        this.blockShift = Math.log2(entriesPerBlock);
        this.slotMask = entriesPerBlock - 1;
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
        const position = this.head + this.count;
        const index = position >> this.blockShift;
        const block = index < this.blocks.length ? this.blocks[index] : this.addBlock();
        const slot = position & this.slotMask;
        const size = edit === undefined ? block.store(slot, entry.op) : block.storeParts(slot, edit.at, edit.deletedText ?? edit.deleteCount, edit.inserted);
        block.clientIds[slot] = entry.clientId;
        block.seqs[slot] = entry.seq;
        block.sizes[slot] = size;
        this.count++;
        this.bytes += size;
        while (this.count > this.maxOps || (this.bytes > this.maxBytes && this.count > 0)) {
            this.dropOldest();
        }
    }

    /** The operation that produced `revision` (firstRevision < revision <= newest). */
    opProducing(revision: number): TextOperation {
        const position = this.head + revision - this.first - 1;
        return this.blocks[position >> this.blockShift].load(position & this.slotMask);
    }

    /** Entries that took `revision` to the newest, or undefined if some were trimmed. */
    since(revision: number): AppliedOp[] | undefined {
        if (revision < this.first) {
            return undefined;
        }
        const result: AppliedOp[] = [];
        for (let k = revision - this.first; k < this.count; k++) {
            const position = this.head + k;
            const block = this.blocks[position >> this.blockShift];
            const slot = position & this.slotMask;
            result.push({ revision: this.first + k + 1, op: block.load(slot), clientId: block.clientIds[slot], seq: block.seqs[slot] });
        }
        return result;
    }

    private addBlock(): LogBlock {
        const block = this.spare ?? new LogBlock(this.slotMask + 1);
        this.spare = undefined;
        this.blocks.push(block);
        return block;
    }

    private dropOldest(): void {
        const block = this.blocks[0];
        const slot = this.head;
        this.bytes -= block.sizes[slot];
        block.release(slot);
        this.count--;
        this.first++;
        if (slot === this.slotMask) {
            // The block is empty now: the next one holds the oldest entry.
            this.spare = this.blocks.shift();
            this.head = 0;
        } else {
            this.head = slot + 1;
        }
    }
}

/** One block of the log's entries, in parallel arrays indexed by slot. */
class LogBlock {
    /** The operation, when it is not of the one-edit shape; undefined otherwise. */
    readonly wholeOps: (TextOperation | undefined)[];
    /** One-edit shape: the leading retain (0 for none), the delete's `d` (0 for none), the insert ('' for none). */
    readonly retains: Float64Array;
    readonly deletes: (number | string)[];
    readonly inserts: string[];
    readonly clientIds: string[];
    readonly seqs: Float64Array;
    readonly sizes: Float64Array;

    constructor(size: number) {
        this.wholeOps = new Array<TextOperation | undefined>(size).fill(undefined);
        this.retains = new Float64Array(size);
        this.deletes = new Array<number | string>(size).fill(0);
        this.inserts = new Array<string>(size).fill('');
        this.clientIds = new Array<string>(size).fill('');
        this.seqs = new Float64Array(size);
        this.sizes = new Float64Array(size);
    }

    /**
     * Keeps `op` at `slot`, as its parts when it has the one-edit shape;
     * answers its estimateOpBytes, counted from the parts on the way (a
     * second loop over the operation was a tenth of the log's time).
     */
    store(slot: number, op: TextOperation): number {
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
            return this.storeParts(slot, retain, deleted, inserted);
        }
        this.wholeOps[slot] = op;
        this.deletes[slot] = 0;
        this.inserts[slot] = '';
        return estimateOpBytes(op);
    }

    /** Keeps a one-edit operation as its parts at `slot`; answers its estimateOpBytes. */
    storeParts(slot: number, retain: number, deleted: number | string, inserted: string): number {
        this.wholeOps[slot] = undefined;
        this.retains[slot] = retain;
        this.deletes[slot] = deleted;
        this.inserts[slot] = inserted;
        return OP_BYTES + (retain > 0 ? RETAIN_BYTES : 0) + (deleted === 0 ? 0 : deleteBytes(deleted)) + (inserted === '' ? 0 : insertBytes(inserted));
    }

    /** The operation kept at `slot`, rebuilt with the same components if it was kept as parts. */
    load(slot: number): TextOperation {
        const whole = this.wholeOps[slot];
        if (whole !== undefined) {
            return whole;
        }
        return oneEditOp(this.retains[slot], this.deletes[slot], this.inserts[slot]);
    }

    /** Lets go of the texts of a trimmed entry now rather than when its slot is reused. */
    release(slot: number): void {
        this.wholeOps[slot] = undefined;
        this.deletes[slot] = 0;
        this.inserts[slot] = '';
    }
}
