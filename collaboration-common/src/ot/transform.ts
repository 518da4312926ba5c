import { ComponentReader, Kind, pieceLength } from './component-reader';
import { sliceDelete } from './compose';
import { appendDelete, appendInsert, appendRetain, deleteLength, TextOperation, trim } from './text-operation';

/** Which of two concurrent inserts at the same offset goes first: 'left' puts `op`'s first. */
export type Side = 'left' | 'right';

/**
 * `op` rewritten to apply after `other`, where both applied to the same
 * document. transform(a, b, 'left') and transform(b, a, 'right') satisfy TP1:
 * a then transform(b, a, 'right') equals b then transform(a, b, 'left').
 */
export function transform(op: TextOperation, other: TextOperation, side: Side): TextOperation {
    if (side !== 'left' && side !== 'right') {
        throw new TypeError(`side must be 'left' or 'right', got ${String(side)}`);
    }
    // Nearly every real operation is one splice (a keystroke, a paste, a
    // deletion): those take the arithmetic shortcut, with the same result.
    const a = asSplice(op);
    if (a !== undefined) {
        const b = asSplice(other);
        if (b !== undefined) {
            return transformSplices(a, b, side);
        }
    }
    return transformComponents(op, other, side);
}

/** The general transform, component by component; `transform` gives the same result faster for two splices. */
export function transformComponents(op: TextOperation, other: TextOperation, side: Side): TextOperation {
    const result: TextOperation = [];
    const reader = new ComponentReader(other);
    for (const c of op) {
        if (typeof c === 'number') {
            let n = c;
            while (n > 0) {
                const kind = reader.kind();
                if (kind === Kind.End) {
                    appendRetain(result, n);
                    break;
                } else if (kind === Kind.Insert) {
                    appendRetain(result, reader.takeInsert(Infinity).length);
                } else if (kind === Kind.Retain) {
                    const m = reader.takeRetain(n);
                    appendRetain(result, m);
                    n -= m;
                } else {
                    n -= pieceLength(reader.takeDelete(n));
                }
            }
        } else if (typeof c === 'string') {
            if (side === 'right' && reader.kind() === Kind.Insert) {
                appendRetain(result, reader.takeInsert(Infinity).length);
            }
            appendInsert(result, c);
        } else {
            const d = c.d;
            const total = deleteLength(c);
            let done = 0;
            while (done < total) {
                const kind = reader.kind();
                if (kind === Kind.End) {
                    appendDelete(result, sliceDelete(d, done, total));
                    break;
                } else if (kind === Kind.Insert) {
                    // Text the other side inserted inside our deleted range survives.
                    appendRetain(result, reader.takeInsert(Infinity).length);
                } else if (kind === Kind.Retain) {
                    const m = reader.takeRetain(total - done);
                    appendDelete(result, sliceDelete(d, done, done + m));
                    done += m;
                } else {
                    // Already deleted by the other side.
                    done += pieceLength(reader.takeDelete(total - done));
                }
            }
        }
    }
    return trim(result);
}

/** An operation of the shape [retain?, delete?, insert?]: one editor change. */
interface Splice {
    readonly at: number;
    /** The delete: its count or its text; 0 for none. */
    readonly deleted: number | string;
    readonly deleteLength: number;
    readonly inserted: string;
}

const NOT_A_SPLICE = undefined;

function asSplice(op: TextOperation): Splice | undefined {
    let i = 0;
    let at = 0;
    let deleted: number | string = 0;
    let inserted = '';
    if (i < op.length && typeof op[i] === 'number') {
        at = op[i++] as number;
    }
    const d = op[i];
    if (i < op.length && typeof d === 'object') {
        deleted = d.d;
        i++;
    }
    if (i < op.length && typeof op[i] === 'string') {
        inserted = op[i++] as string;
    }
    if (i !== op.length) {
        return NOT_A_SPLICE;
    }
    return { at, deleted, deleteLength: typeof deleted === 'number' ? deleted : deleted.length, inserted };
}

/**
 * transformComponents for two splices, worked out in closed form: `a`
 * deletes [start, end) and inserts at end (in old offsets: its insert follows
 * its delete); `b` deletes [bStart, bEnd) and inserts at bEnd. The property
 * tests check that both paths agree.
 */
function transformSplices(a: Splice, b: Splice, side: Side): TextOperation {
    const result: TextOperation = [];
    const start = a.at;
    const end = start + a.deleteLength;
    const bStart = b.at;
    const bEnd = bStart + b.deleteLength;
    const bInsert = b.inserted.length;
    // Before a's edit: what b kept of [0, start), plus b's insert if it lands there.
    const deletedBefore = Math.max(0, Math.min(start, bEnd) - bStart);
    appendRetain(result, start - deletedBefore + (bEnd < start ? bInsert : 0));
    if (a.deleteLength > 0) {
        // a deletes what b did not delete already; b's insert inside a's range survives.
        const firstEnd = Math.max(start, Math.min(end, bStart));
        appendDelete(result, sliceDelete(a.deleted, 0, firstEnd - start));
        if (bEnd >= start && bEnd < end) {
            appendRetain(result, bInsert);
        }
        const secondStart = Math.min(end, Math.max(start, bEnd));
        appendDelete(result, sliceDelete(a.deleted, secondStart - start, a.deleteLength));
    }
    if (a.inserted.length > 0) {
        if (side === 'right' && bEnd === end && bInsert > 0) {
            appendRetain(result, bInsert);
        }
        appendInsert(result, a.inserted);
    }
    return trim(result);
}

/**
 * Where offset `position` lands after `op`: exactly where a zero-width marker
 * inserted there would end up (transform against an insert is the reference).
 * A concurrent insert at the position leaves it before the inserted text; the
 * author's own insert (`isOwnOp`) moves it after, as typing does. A position
 * inside deleted text moves to where the deletion was.
 */
export function transformPosition(position: number, op: TextOperation, isOwnOp = false): number {
    let oldOffset = 0;
    let newOffset = 0;
    for (const c of op) {
        if (typeof c === 'number') {
            if (position < oldOffset + c) {
                break;
            }
            oldOffset += c;
            newOffset += c;
        } else if (typeof c === 'string') {
            if (oldOffset < position || isOwnOp) {
                newOffset += c.length;
            } else {
                return newOffset;
            }
        } else {
            const n = deleteLength(c);
            if (position < oldOffset + n) {
                return newOffset;
            }
            oldOffset += n;
        }
    }
    return newOffset + (position - oldOffset);
}

/** A caret (a number) or a range ([anchor, head]), as ottypes' transformSelection takes it. */
export type Selection = number | readonly [number, number];

export function transformSelection<S extends Selection>(selection: S, op: TextOperation, isOwnOp = false): S {
    if (typeof selection === 'number') {
        return transformPosition(selection, op, isOwnOp) as S;
    }
    const [anchor, head] = selection as readonly [number, number];
    return [transformPosition(anchor, op, isOwnOp), transformPosition(head, op, isOwnOp)] as unknown as S;
}
