import { appendDelete, appendInsert, appendRetain, deleteLength, type TextOperation } from '@ensemble/collaboration-common';

/**
 * Characters of text an operation carries on the wire (what decides
 * whether it fits one message); every other component counts as 8.
 */
export function wireSize(op: TextOperation): number {
    let size = 0;
    for (const c of op) {
        size += typeof c === 'string' ? c.length : typeof c === 'object' && typeof c.d === 'string' ? c.d.length : 8;
    }
    return size;
}

/**
 * Cuts an operation too big for one message (a huge paste, or deleting a
 * huge selection) into consecutive pieces of at most `maxChars` (see
 * wireSize) that the host joins back with `joinOpParts`. Deletes travel as
 * lengths: the host reads nothing from their text, and a deleted 50 MB
 * selection would otherwise cost as much as pasting it. Inserts are cut
 * between surrogate pairs, never inside one, so that every piece is
 * well-formed text on the wire.
 */
export function splitOp(op: TextOperation, maxChars: number): TextOperation[] {
    if (maxChars < 16) {
        throw new RangeError(`maxChars must be at least 16, got ${maxChars}`);
    }
    const parts: TextOperation[] = [];
    let part: TextOperation = [];
    let size = 0;
    const flush = (): void => {
        if (part.length > 0) {
            parts.push(part);
            part = [];
            size = 0;
        }
    };
    for (const c of op) {
        if (typeof c === 'string') {
            let from = 0;
            while (from < c.length) {
                if (size >= maxChars) {
                    flush();
                }
                let to = Math.min(c.length, from + maxChars - size);
                const code = c.charCodeAt(to - 1);
                if (to < c.length && code >= 0xd800 && code <= 0xdbff) {
                    to--; // keep the pair together
                }
                if (to === from) {
                    flush(); // room for one unit only, and the next is a pair: it starts the next piece
                    continue;
                }
                part.push(c.slice(from, to));
                size += to - from;
                from = to;
            }
        } else {
            if (size + 8 > maxChars) {
                flush();
            }
            part.push(typeof c === 'number' ? c : { d: deleteLength(c) });
            size += 8;
        }
    }
    flush();
    return parts;
}

/** Joins pieces made by splitOp (in order) into one operation: adjacent inserts, retains and deletes merge. */
export function joinOpParts(target: TextOperation, part: readonly TextOperation[number][]): void {
    for (const c of part) {
        if (typeof c === 'number') {
            appendRetain(target, c);
        } else if (typeof c === 'string') {
            appendInsert(target, c);
        } else {
            appendDelete(target, deleteLength(c));
        }
    }
}
