import { isWellFormedText } from './surrogates';

/**
 * Text operations over UTF-16 code units.
 *
 * An operation is a JSON array of components walked from the start of the
 * document:
 * - a positive integer `n` retains (skips) n code units,
 * - a non-empty string inserts it,
 * - `{ d: n }` deletes n code units, `{ d: 'text' }` deletes exactly that
 *   text (an operation whose deletes all carry their text is invertible).
 * Whatever follows the last component is retained implicitly.
 *
 * Normal form (what every function here returns): no empty components, no two
 * adjacent components of the same kind, a delete always before an adjacent
 * insert (so that cursor transforms compose, see transformPosition), and no
 * trailing retain.
 */
export type Retain = number;
export type Insert = string;
export interface Delete {
    readonly d: number | string;
}
export type Component = Retain | Insert | Delete;
export type TextOperation = Component[];

/** Thrown for an operation that is malformed or does not fit its document. */
export class InvalidOperationError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'InvalidOperationError';
    }
}

export function isRetain(c: Component): c is Retain {
    return typeof c === 'number';
}

export function isInsert(c: Component): c is Insert {
    return typeof c === 'string';
}

export function isDelete(c: Component): c is Delete {
    return typeof c === 'object';
}

/** Code units a delete removes. */
export function deleteLength(c: Delete): number {
    return typeof c.d === 'number' ? c.d : c.d.length;
}

/** What `checkComponent` found a component to be. */
export const RETAIN = 0;
export const INSERT = 1;
/** `{ d: count }` */
export const DELETE_COUNT = 2;
/** `{ d: 'text' }` */
export const DELETE_TEXT = 3;
export type ComponentKind = typeof RETAIN | typeof INSERT | typeof DELETE_COUNT | typeof DELETE_TEXT;

/**
 * Checks that `op` is a well-formed operation and throws an
 * InvalidOperationError naming the first bad component otherwise. It does not
 * check the operation against a document (see apply).
 */
export function checkOp(op: unknown): asserts op is TextOperation {
    checkIsArray(op);
    for (let i = 0; i < op.length; i++) {
        checkComponent(op[i], i);
    }
}

export function checkIsArray(op: unknown): asserts op is unknown[] {
    if (!Array.isArray(op)) {
        throw new InvalidOperationError(`an operation must be an array, got ${describe(op)}`);
    }
}

/**
 * Checks component `i` of an operation (its shape only) and says which kind it
 * is, so that a caller walking the operation for another reason (apply.ts
 * checks the fit to a document in the same pass) need not test it again.
 */
export function checkComponent(c: unknown, i: number): ComponentKind {
    if (typeof c === 'number') {
        if (!Number.isSafeInteger(c) || c <= 0) {
            throw new InvalidOperationError(`component ${i}: a retain must be a positive integer, got ${c}`);
        }
        return RETAIN;
    }
    if (typeof c === 'string') {
        if (c.length === 0) {
            throw new InvalidOperationError(`component ${i}: an insert must not be empty`);
        }
        if (!isWellFormedText(c)) {
            throw new InvalidOperationError(`component ${i}: the inserted text contains an unpaired surrogate`);
        }
        return INSERT;
    }
    if (typeof c !== 'object' || c === null || Array.isArray(c) || !hasOnlyKeyD(c)) {
        throw new InvalidOperationError(`component ${i}: unknown component ${describe(c)} (expected a number, a string or {d})`);
    }
    const d: unknown = (c as { d: unknown }).d;
    if (typeof d === 'number') {
        if (!Number.isSafeInteger(d) || d <= 0) {
            throw new InvalidOperationError(`component ${i}: a delete count must be a positive integer, got ${d}`);
        }
        return DELETE_COUNT;
    }
    if (typeof d === 'string') {
        if (d.length === 0) {
            throw new InvalidOperationError(`component ${i}: a deleted text must not be empty`);
        }
        if (!isWellFormedText(d)) {
            throw new InvalidOperationError(`component ${i}: the deleted text contains an unpaired surrogate`);
        }
        return DELETE_TEXT;
    }
    throw new InvalidOperationError(`component ${i}: a delete must be {d: count} or {d: text}, got ${describe(c)}`);
}

/** True for an object whose only own enumerable key is `d` (without allocating a key array: this runs per component). */
export function hasOnlyKeyD(c: object): boolean {
    let keys = 0;
    for (const key in c) {
        if (key !== 'd' || !Object.prototype.hasOwnProperty.call(c, key)) {
            return false;
        }
        keys++;
    }
    return keys === 1;
}

function describe(value: unknown): string {
    if (value === undefined) {
        return 'undefined';
    }
    let text: string;
    try {
        text = JSON.stringify(value) ?? String(value);
    } catch {
        text = String(value);
    }
    return text.length > 60 ? text.slice(0, 57) + '...' : text;
}

/** Code units of the document the operation applies to (up to its last component). */
export function baseLengthSpanned(op: TextOperation): number {
    let n = 0;
    for (const c of op) {
        if (typeof c === 'number') {
            n += c;
        } else if (typeof c === 'object') {
            n += deleteLength(c);
        }
    }
    return n;
}

/** How much the operation changes the document's length. */
export function lengthChange(op: TextOperation): number {
    let n = 0;
    for (const c of op) {
        if (typeof c === 'string') {
            n += c.length;
        } else if (typeof c === 'object') {
            n -= deleteLength(c);
        }
    }
    return n;
}

/** True for an operation that changes nothing. */
export function isNoop(op: TextOperation): boolean {
    for (const c of op) {
        if (typeof c !== 'number') {
            return false;
        }
    }
    return true;
}

/** True when every delete carries its text, so that `invert` can undo it. */
export function isInvertible(op: TextOperation): boolean {
    for (const c of op) {
        if (typeof c === 'object' && typeof c.d !== 'string') {
            return false;
        }
    }
    return true;
}

/**
 * The operation with every delete as a count: what a client sends. The
 * authority and the other clients need only where and how much; the deleted
 * texts stay with the author, whose undo needs them. `op` itself when it
 * has no delete that carries its text.
 */
export function withDeleteCounts(op: TextOperation): TextOperation {
    for (let i = 0; i < op.length; i++) {
        const c = op[i];
        if (typeof c === 'object' && typeof c.d === 'string') {
            return op.map(part => typeof part === 'object' ? { d: deleteLength(part) } : part);
        }
    }
    return op;
}

// --- Building operations in normal form -----------------------------------

export function appendRetain(op: TextOperation, n: number): void {
    if (n <= 0) {
        return;
    }
    const last = op.length - 1;
    if (last >= 0 && typeof op[last] === 'number') {
        op[last] = (op[last] as number) + n;
    } else {
        op.push(n);
    }
}

export function appendInsert(op: TextOperation, text: string): void {
    if (text.length === 0) {
        return;
    }
    const last = op.length - 1;
    if (last >= 0 && typeof op[last] === 'string') {
        op[last] = (op[last] as string) + text;
    } else {
        op.push(text);
    }
}

/** Appends a delete, placing it before a trailing insert to keep the normal form. */
export function appendDelete(op: TextOperation, d: number | string): void {
    if (d === 0 || d === '') {
        return;
    }
    let at = op.length - 1;
    if (at >= 0 && typeof op[at] === 'string') {
        at--;
    }
    const before = op[at];
    if (at >= 0 && typeof before === 'object') {
        op[at] = { d: mergeDeletes(before.d, d) };
    } else if (at === op.length - 1) {
        op.push({ d });
    } else {
        op.splice(at + 1, 0, { d });
    }
}

function mergeDeletes(a: number | string, b: number | string): number | string {
    if (typeof a === 'string' && typeof b === 'string') {
        return a + b;
    }
    // A delete without its text makes the merged one text-less too.
    return (typeof a === 'number' ? a : a.length) + (typeof b === 'number' ? b : b.length);
}

export function appendComponent(op: TextOperation, c: Component): void {
    if (typeof c === 'number') {
        appendRetain(op, c);
    } else if (typeof c === 'string') {
        appendInsert(op, c);
    } else {
        appendDelete(op, c.d);
    }
}

/** Removes a trailing retain in place (it is implicit) and returns the operation. */
export function trim(op: TextOperation): TextOperation {
    if (op.length > 0 && typeof op[op.length - 1] === 'number') {
        op.pop();
    }
    return op;
}

/** The operation in normal form; throws InvalidOperationError if it is malformed. */
export function normalize(op: unknown): TextOperation {
    checkOp(op);
    const result: TextOperation = [];
    for (const c of op) {
        appendComponent(result, c);
    }
    return trim(result);
}
