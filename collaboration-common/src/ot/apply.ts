import { TextBuffer } from './text-buffer';
import { checkOp, Component, deleteLength, InvalidOperationError, isInvertible, TextOperation } from './text-operation';
import { isHighSurrogate, isLowSurrogate } from './surrogates';

/** What validation reads of a document: a string or a TextBuffer. */
export interface ReadableText {
    readonly length: number;
    charCodeAt(offset: number): number;
    slice(start: number, end: number): string;
    /** See TextBuffer.mayContainSurrogates. */
    readonly mayContainSurrogates?: boolean;
}

/** True when `offset` falls between the two halves of a surrogate pair. */
export function splitsSurrogatePair(doc: ReadableText, offset: number): boolean {
    return offset > 0 && offset < doc.length && doc.mayContainSurrogates !== false
        && isLowSurrogate(doc.charCodeAt(offset)) && isHighSurrogate(doc.charCodeAt(offset - 1));
}

/**
 * Checks that `op` is well formed and fits `doc`: it spans no more than the
 * document, edits no offset inside a surrogate pair, and each delete that
 * carries its text deletes exactly that text. Throws InvalidOperationError
 * otherwise. Applying only after this check is what keeps a bad operation
 * from being applied halfway.
 */
export function checkOpFits(doc: ReadableText, op: unknown): asserts op is TextOperation {
    checkOp(op);
    checkWellFormedOpFits(doc, op);
}

/** checkOpFits for an operation already known to be well formed (built here, or checked by checkOp). */
export function checkWellFormedOpFits(doc: ReadableText, op: TextOperation): void {
    const length = doc.length;
    let offset = 0;
    for (let i = 0; i < op.length; i++) {
        const c: Component = op[i];
        if (typeof c === 'number') {
            offset += c;
            if (offset > length) {
                throw new InvalidOperationError(`component ${i}: the operation retains past the end of the document (${offset} > ${length} code units)`);
            }
        } else if (typeof c === 'string') {
            if (splitsSurrogatePair(doc, offset)) {
                throw new InvalidOperationError(`component ${i}: an insert at offset ${offset} would split a surrogate pair`);
            }
        } else {
            const end = offset + deleteLength(c);
            if (end > length) {
                throw new InvalidOperationError(`component ${i}: the operation deletes past the end of the document (${end} > ${length} code units)`);
            }
            if (splitsSurrogatePair(doc, offset) || splitsSurrogatePair(doc, end)) {
                throw new InvalidOperationError(`component ${i}: the delete of [${offset}, ${end}) would split a surrogate pair`);
            }
            if (typeof c.d === 'string' && !holdsTextAt(doc, offset, c.d)) {
                throw new InvalidOperationError(`component ${i}: the delete at offset ${offset} names text the document does not have there`);
            }
            offset = end;
        }
    }
}

/** True when `doc` holds exactly `text` at `offset`. Short texts (most deletes are one keystroke) are compared in place, without copying. */
function holdsTextAt(doc: ReadableText, offset: number, text: string): boolean {
    if (text.length > 32) {
        return doc.slice(offset, offset + text.length) === text;
    }
    for (let i = 0; i < text.length; i++) {
        if (doc.charCodeAt(offset + i) !== text.charCodeAt(i)) {
            return false;
        }
    }
    return true;
}

/** Applies `op` to a string and returns the new string. Throws InvalidOperationError, changing nothing, if it does not fit. */
export function applyToString(doc: string, op: unknown): string {
    checkOpFits(doc, op);
    let result = '';
    let offset = 0;
    for (const c of op) {
        if (typeof c === 'number') {
            result += doc.slice(offset, offset + c);
            offset += c;
        } else if (typeof c === 'string') {
            result += c;
        } else {
            offset += deleteLength(c);
        }
    }
    return result + doc.slice(offset);
}

/** Applies `op` to a buffer in place. Throws InvalidOperationError, changing nothing, if it does not fit. */
export function applyToBuffer(buffer: TextBuffer, op: unknown): void {
    checkOpFits(buffer, op);
    applyCheckedOp(buffer, op);
}

/**
 * Applies an operation that checkOpFits (or makeInvertible) has just accepted
 * for this buffer in this state. It checks nothing: the hot paths call it to
 * avoid checking one operation twice.
 */
export function applyCheckedOp(buffer: TextBuffer, op: TextOperation): void {
    let offset = 0;
    for (const c of op) {
        if (typeof c === 'number') {
            offset += c;
        } else if (typeof c === 'string') {
            buffer.insert(offset, c);
            offset += c.length;
        } else {
            buffer.delete(offset, deleteLength(c));
        }
    }
}

/**
 * The same operation with every delete carrying the text it removes from
 * `doc`, so that it can be inverted (the operation itself when it already
 * is). Throws if `op` does not fit `doc`.
 */
export function makeInvertible(op: unknown, doc: ReadableText): TextOperation {
    checkOpFits(doc, op);
    if (isInvertible(op)) {
        return op;
    }
    let offset = 0;
    const result: TextOperation = new Array(op.length);
    for (let i = 0; i < op.length; i++) {
        const c = op[i];
        if (typeof c === 'number') {
            offset += c;
            result[i] = c;
        } else if (typeof c === 'string') {
            result[i] = c;
        } else {
            const end = offset + deleteLength(c);
            // One code unit (a Backspace) without a slice: V8 keeps one-character strings of Latin-1 in a table.
            result[i] = typeof c.d === 'string' ? c : { d: end - offset === 1 ? String.fromCharCode(doc.charCodeAt(offset)) : doc.slice(offset, end) };
            offset = end;
        }
    }
    return result;
}
