import type { ReadableText } from './apply';
import { hasOnlyKeyD, TextOperation } from './text-operation';
import { isHighSurrogate, isLowSurrogate, isWellFormedText } from './surrogates';

/** The parts of an operation that makes one edit: `[retain?, {d}?, insert?]`. */
export interface OneEdit {
    /** Where the edit is (the leading retain, 0 for none). */
    at: number;
    /** Code units deleted at `at` (0 for none). */
    deleteCount: number;
    /** The deleted text when the delete carries it. */
    deletedText: string | undefined;
    /** Text inserted at `at` ('' for none). */
    inserted: string;
}

/**
 * Reused by every call: the hot paths read it right away, and one object
 * fewer per edit and replica is measurable (see `npm run bench`).
 */
const parts: OneEdit = { at: 0, deleteCount: 0, deletedText: undefined, inserted: '' };

/**
 * The fast path of the operation checks. Nearly every operation is one edit
 * (a keystroke, a paste, a deleted selection); for one that is, well formed
 * and fitting `doc`, this answers its parts (valid until the next call)
 * after straight-line checks instead of a loop over components. For any
 * other operation, or a bad one, it answers undefined and the caller runs
 * the general checks, which also name what is wrong.
 */
export function readOneEdit(doc: ReadableText, op: unknown): Readonly<OneEdit> | undefined {
    if (!Array.isArray(op)) {
        return undefined;
    }
    const count = op.length;
    let k = 0;
    let at = 0;
    const first: unknown = op[0];
    if (typeof first === 'number') {
        if (!(Number.isSafeInteger(first) && first > 0)) {
            return undefined;
        }
        at = first;
        k = 1;
    }
    let deleteCount = 0;
    let deletedText: string | undefined;
    const middle: unknown = op[k];
    if (typeof middle === 'object' && middle !== null) {
        if (Array.isArray(middle) || !hasOnlyKeyD(middle)) {
            return undefined;
        }
        const d: unknown = (middle as { d: unknown }).d;
        if (typeof d === 'number') {
            if (!(Number.isSafeInteger(d) && d > 0)) {
                return undefined;
            }
            deleteCount = d;
        } else if (typeof d === 'string' && d.length > 0 && isWellFormedText(d)) {
            deleteCount = d.length;
            deletedText = d;
        } else {
            return undefined;
        }
        k++;
    }
    let inserted = '';
    const last: unknown = op[k];
    if (typeof last === 'string') {
        if (last.length === 0 || !isWellFormedText(last)) {
            return undefined;
        }
        inserted = last;
        k++;
    }
    if (k !== count) {
        return undefined;
    }
    const end = at + deleteCount;
    if (end > doc.length) {
        return undefined;
    }
    if (doc.mayContainSurrogates !== false && (splitsPair(doc, at) || (deleteCount > 0 && splitsPair(doc, end)))) {
        return undefined;
    }
    if (deletedText !== undefined && !holdsTextAt(doc, at, deletedText)) {
        return undefined;
    }
    parts.at = at;
    parts.deleteCount = deleteCount;
    parts.deletedText = deletedText;
    parts.inserted = inserted;
    return parts;
}

/** The operation of one edit at `at`: a delete (a count or the text; 0 for none), then an insert ('' for none). */
export function oneEditOp(at: number, deleted: number | string, inserted: string): TextOperation {
    const op: TextOperation = [];
    if (at > 0) {
        op.push(at);
    }
    if (deleted !== 0) {
        op.push({ d: deleted });
    }
    if (inserted !== '') {
        op.push(inserted);
    }
    return op;
}

function splitsPair(doc: ReadableText, offset: number): boolean {
    return offset > 0 && offset < doc.length && isLowSurrogate(doc.charCodeAt(offset)) && isHighSurrogate(doc.charCodeAt(offset - 1));
}

/**
 * True when `doc` holds exactly `text` at `offset` (which the caller has
 * checked fits). The buffer compares in place when it can; otherwise a few
 * code units (most deletes are one keystroke) are compared one by one, and
 * longer texts in one slice, as each read of a rope costs more than copying
 * a unit.
 */
export function holdsTextAt(doc: ReadableText, offset: number, text: string): boolean {
    if (doc.holdsTextAt !== undefined) {
        return doc.holdsTextAt(offset, text);
    }
    if (text.length > 4) {
        return doc.slice(offset, offset + text.length) === text;
    }
    for (let i = 0; i < text.length; i++) {
        if (doc.charCodeAt(offset + i) !== text.charCodeAt(i)) {
            return false;
        }
    }
    return true;
}
