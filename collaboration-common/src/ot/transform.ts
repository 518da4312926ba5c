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
