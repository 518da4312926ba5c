/**
 * The mutable text an operation is applied to. Offsets and lengths count
 * UTF-16 code units, as JavaScript strings, Monaco and LSP do.
 *
 * The OT core only ever calls these methods with offsets it has checked
 * against `length`, so implementations may assume valid arguments; they are
 * free to throw a RangeError on invalid ones.
 */
export interface TextBuffer {
    /** Length in UTF-16 code units. */
    readonly length: number;
    /** The UTF-16 code unit at `offset`, or NaN outside [0, length). */
    charCodeAt(offset: number): number;
    /** The text in [start, end). */
    slice(start: number, end: number): string;
    insert(offset: number, text: string): void;
    delete(offset: number, count: number): void;
    /** The whole text. O(n): for snapshots and checks, not for hot paths. */
    getText(): string;
    /**
     * Optional: whether the text at `offset` is exactly `text` (false when it
     * does not fit), for buffers that can compare in place more cheaply than
     * they build a slice.
     */
    holdsTextAt?(offset: number, text: string): boolean;
    /**
     * Optional hint: false when the text is known to hold no surrogate code
     * unit, so that no offset can split a pair and the checks can be skipped.
     */
    readonly mayContainSurrogates?: boolean;
}

/** A `TextBuffer` over one plain string: simplest, fine for small documents. */
export class StringTextBuffer implements TextBuffer {
    constructor(private text = '') { }

    get length(): number {
        return this.text.length;
    }

    charCodeAt(offset: number): number {
        return this.text.charCodeAt(offset);
    }

    slice(start: number, end: number): string {
        return this.text.slice(start, end);
    }

    insert(offset: number, text: string): void {
        this.text = this.text.slice(0, offset) + text + this.text.slice(offset);
    }

    delete(offset: number, count: number): void {
        this.text = this.text.slice(0, offset) + this.text.slice(offset + count);
    }

    getText(): string {
        return this.text;
    }
}
