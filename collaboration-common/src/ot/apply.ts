import { TextBuffer } from './text-buffer';
import {
    checkComponent, checkIsArray, Delete, DELETE_COUNT, deleteLength, INSERT, InvalidOperationError, isNoop, RETAIN, TextOperation, withDeleteCounts
} from './text-operation';
import { holdsTextAt, OneEdit, oneEditOp, readOneEdit } from './one-edit';
import { isHighSurrogate, isLowSurrogate } from './surrogates';

/** What validation reads of a document: a string or a TextBuffer. */
export interface ReadableText {
    readonly length: number;
    charCodeAt(offset: number): number;
    slice(start: number, end: number): string;
    /** See TextBuffer.holdsTextAt. */
    holdsTextAt?(offset: number, text: string): boolean;
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
    scanOp(doc, op);
}

/**
 * checkOpFits in one pass over the operation (shape and fit together: every
 * replica runs this on every edit); answers whether some delete lacks its text.
 */
function scanOp(doc: ReadableText, op: unknown): boolean {
    checkIsArray(op);
    const length = doc.length;
    const pairsPossible = doc.mayContainSurrogates !== false;
    let offset = 0;
    let textless = false;
    for (let i = 0; i < op.length; i++) {
        const c = op[i];
        const kind = checkComponent(c, i);
        if (kind === RETAIN) {
            offset += c as number;
            if (offset > length) {
                throw new InvalidOperationError(`component ${i}: the operation retains past the end of the document (${offset} > ${length} code units)`);
            }
        } else if (kind === INSERT) {
            if (pairsPossible && splitsSurrogatePair(doc, offset)) {
                throw new InvalidOperationError(`component ${i}: an insert at offset ${offset} would split a surrogate pair`);
            }
        } else {
            const d = (c as Delete).d;
            const end = offset + (kind === DELETE_COUNT ? d as number : (d as string).length);
            if (end > length) {
                throw new InvalidOperationError(`component ${i}: the operation deletes past the end of the document (${end} > ${length} code units)`);
            }
            if (pairsPossible && (splitsSurrogatePair(doc, offset) || splitsSurrogatePair(doc, end))) {
                throw new InvalidOperationError(`component ${i}: the delete of [${offset}, ${end}) would split a surrogate pair`);
            }
            if (kind === DELETE_COUNT) {
                textless = true;
            } else if (!holdsTextAt(doc, offset, d as string)) {
                throw new InvalidOperationError(`component ${i}: the delete at offset ${offset} names text the document does not have there`);
            }
            offset = end;
        }
    }
    return textless;
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

/**
 * Applies `op` to a buffer in place. Throws InvalidOperationError, changing
 * nothing, if it does not fit. Answers the parts of an operation of one edit
 * (see readOneEdit: valid until the next call), so that a caller that keeps
 * the operation need not read it again; undefined for any other.
 */
export function applyToBuffer(buffer: TextBuffer, op: unknown): Readonly<OneEdit> | undefined {
    const edit = readOneEdit(buffer, op);
    if (edit === undefined) {
        checkOpFits(buffer, op);
        applyCheckedOp(buffer, op);
        return undefined;
    }
    if (edit.deleteCount > 0) {
        buffer.delete(edit.at, edit.deleteCount);
    }
    if (edit.inserted !== '') {
        buffer.insert(edit.at, edit.inserted);
    }
    return edit;
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
    const edit = readOneEdit(doc, op);
    if (edit === undefined) {
        return scanOp(doc, op) ? withDeletedTexts(op as TextOperation, doc) : op as TextOperation;
    }
    return edit.deleteCount === 0 || edit.deletedText !== undefined
        ? op as TextOperation
        : oneEditOp(edit.at, deletedText(doc, edit.at, edit.at + edit.deleteCount), edit.inserted);
}

/** What applyLocalEdit applied. */
export interface LocalEdit {
    /** The operation with every delete carrying its text: what undo and a rebase need. */
    invertible: TextOperation;
    /** The operation with every delete as a count: what goes to an authority, which need not compare texts. */
    withCounts: TextOperation;
    /** True when the operation changed nothing. */
    noop: boolean;
}

/** Reused by every call, as readOneEdit's parts are: the callers read it right away. */
const localEdit: LocalEdit = { invertible: [], withCounts: [], noop: true };

/**
 * Applies `op` to `buffer` and returns it invertible (as makeInvertible
 * would, read before the edit): what a replica that records its own edits
 * for undo does. Throws InvalidOperationError, changing nothing, if it does
 * not fit. One check and one lookup of the edit's place serve both the
 * deleted text and the edit, where makeInvertible then applyCheckedOp would
 * read the operation twice.
 */
export function applyInvertibly(buffer: TextBuffer, op: unknown): TextOperation {
    return applyLocalEdit(buffer, op).invertible;
}

/**
 * applyInvertibly, also answering the operation with its deletes as counts
 * and whether it was a no-op (valid until the next call): a client sends the
 * one and skips the other, and for an operation of one edit both are known
 * from reading it once.
 */
export function applyLocalEdit(buffer: TextBuffer, op: unknown): Readonly<LocalEdit> {
    const edit = readOneEdit(buffer, op);
    if (edit === undefined) {
        // Not one edit (rare): the general checks, which also name what is wrong.
        const invertible = makeInvertible(op, buffer);
        applyCheckedOp(buffer, invertible);
        localEdit.invertible = invertible;
        localEdit.withCounts = withDeleteCounts(invertible);
        localEdit.noop = isNoop(invertible);
        return localEdit;
    }
    // The parts object is shared: read it before calling anything.
    const { at, deleteCount, inserted, deletedText: namedText } = edit;
    let invertible = op as TextOperation;
    let withCounts = invertible;
    if (deleteCount > 0) {
        if (namedText === undefined) {
            invertible = oneEditOp(at, deletedText(buffer, at, at + deleteCount), inserted);
        } else {
            withCounts = oneEditOp(at, deleteCount, inserted);
        }
        buffer.delete(at, deleteCount);
    }
    if (inserted !== '') {
        buffer.insert(at, inserted);
    }
    localEdit.invertible = invertible;
    localEdit.withCounts = withCounts;
    localEdit.noop = deleteCount === 0 && inserted === '';
    return localEdit;
}

function withDeletedTexts(op: TextOperation, doc: ReadableText): TextOperation {
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
            result[i] = typeof c.d === 'string' ? c : { d: deletedText(doc, offset, end) };
            offset = end;
        }
    }
    return result;
}

function deletedText(doc: ReadableText, start: number, end: number): string {
    // One code unit (a Backspace) without a slice: V8 keeps one-character strings of Latin-1 in a table.
    return end - start === 1 ? String.fromCharCode(doc.charCodeAt(start)) : doc.slice(start, end);
}
