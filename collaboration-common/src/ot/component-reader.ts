import { Component, Delete, TextOperation } from './text-operation';

/** Kinds of component, as small integers so that the hot loops compare numbers. */
export const enum Kind { End = -1, Retain = 0, Insert = 1, Delete = 2 }

/**
 * Walks an operation's components, handing them out whole or in pieces of a
 * given length. Compose and transform both consume one operation this way
 * while they iterate over the other.
 */
export class ComponentReader {
    private index = 0;
    /** Code units of the current component already taken. */
    private offset = 0;

    constructor(private readonly op: TextOperation) { }

    kind(): Kind {
        if (this.index >= this.op.length) {
            return Kind.End;
        }
        const c = this.op[this.index];
        return typeof c === 'number' ? Kind.Retain : typeof c === 'string' ? Kind.Insert : Kind.Delete;
    }

    /** Takes at most `max` code units of the current retain. */
    takeRetain(max: number): number {
        const c = this.op[this.index] as number;
        const rest = c - this.offset;
        if (rest <= max) {
            this.next();
            return rest;
        }
        this.offset += max;
        return max;
    }

    /** Takes at most `max` code units of the current insert. */
    takeInsert(max: number): string {
        const c = this.op[this.index] as string;
        if (this.offset === 0 && c.length <= max) {
            this.next();
            return c;
        }
        const end = Math.min(c.length, this.offset + max);
        const piece = c.slice(this.offset, end);
        if (end === c.length) {
            this.next();
        } else {
            this.offset = end;
        }
        return piece;
    }

    /** Takes at most `max` code units of the current delete: its count, or its text if it has one. */
    takeDelete(max: number): number | string {
        const d = (this.op[this.index] as Delete).d;
        const length = typeof d === 'number' ? d : d.length;
        const end = Math.min(length, this.offset + max);
        const piece = typeof d === 'number'
            ? end - this.offset
            : (this.offset === 0 && end === length ? d : d.slice(this.offset, end));
        if (end === length) {
            this.next();
        } else {
            this.offset = end;
        }
        return piece;
    }

    /** Takes what is left of the current component. */
    takeRest(): Component {
        const c = this.op[this.index];
        const offset = this.offset;
        this.next();
        if (offset === 0) {
            return c;
        }
        if (typeof c === 'number') {
            return c - offset;
        }
        if (typeof c === 'string') {
            return c.slice(offset);
        }
        return { d: typeof c.d === 'number' ? c.d - offset : c.d.slice(offset) };
    }

    private next(): void {
        this.index++;
        this.offset = 0;
    }
}

/** Length in code units of a delete piece as returned by takeDelete. */
export function pieceLength(piece: number | string): number {
    return typeof piece === 'number' ? piece : piece.length;
}
