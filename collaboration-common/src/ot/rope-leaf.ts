/**
 * One chunk of a `RopeTextBuffer`: a gap buffer of UTF-16 code units. The gap
 * sits where the last edit was, so a typed key is a store, a Backspace moves
 * a counter, and an edit elsewhere in the chunk first moves the code units
 * between the gap and there (a memmove of at most one chunk). No string is
 * built on an edit; strings are built only when text is read out.
 *
 * The code units live in a typed array, outside the JavaScript heap: the
 * garbage collector neither scans nor moves them, which keeps its pauses
 * short on pages holding large documents.
 *
 * A chunk made from a text (the initial document, a paste, a whole-file
 * replace) holds a slice of that string until it is first edited inside:
 * slicing a string costs the same however long it is, where copying it
 * into code units costs a few nanoseconds a unit, and most of a large
 * document is never edited. Reading such a chunk reads the string; cutting
 * its head or tail (a long delete that ends or starts there) slices it
 * again; any other edit first copies it into code units.
 *
 * A leaf knows nothing of the tree: the tree keeps its length (and checks the
 * offsets it passes in).
 */
export class RopeLeaf {
    /** The text while the chunk is not yet edited inside; undefined once it is held as code units. */
    private text: string | undefined;
    private units: Uint16Array;
    private gapStart: number;
    private gapEnd: number;

    /** A leaf holding `units`' first `length` code units (the array becomes the leaf's), or else `text`. */
    private constructor(units: Uint16Array, length: number, text: string | undefined) {
        this.text = text;
        this.units = units;
        this.gapStart = length;
        this.gapEnd = units.length;
    }

    /** A leaf holding `text` as it is, until it is first edited inside. */
    static fromString(text: string): RopeLeaf {
        return new RopeLeaf(NO_UNITS, 0, text);
    }

    /** A leaf holding a copy of source[from, to), with room for `capacity` code units (at least to - from). */
    static fromUnits(source: Uint16Array, from: number, to: number, capacity: number): RopeLeaf {
        const units = new Uint16Array(capacity);
        units.set(source.subarray(from, to));
        return new RopeLeaf(units, to - from, undefined);
    }

    get length(): number {
        const text = this.text;
        return text !== undefined ? text.length : this.units.length - (this.gapEnd - this.gapStart);
    }

    /** The code unit at `offset`, which must be in [0, length). */
    charCodeAt(offset: number): number {
        const text = this.text;
        if (text !== undefined) {
            return text.charCodeAt(offset);
        }
        return this.units[offset < this.gapStart ? offset : offset + (this.gapEnd - this.gapStart)];
    }

    /** The text in [from, to), exactly (lone surrogates included). */
    slice(from: number, to: number): string {
        if (this.text !== undefined) {
            return this.text.slice(from, to);
        }
        const gapStart = this.gapStart;
        if (to <= gapStart) {
            return unitsToString(this.units, from, to);
        }
        const gap = this.gapEnd - gapStart;
        if (from >= gapStart) {
            return unitsToString(this.units, from + gap, to + gap);
        }
        return unitsToString(this.units, from, gapStart) + unitsToString(this.units, this.gapEnd, to + gap);
    }

    /** True when the leaf holds exactly `text` at `offset` (which must be at most length - text.length). */
    holdsTextAt(offset: number, text: string): boolean {
        if (this.text !== undefined) {
            return this.text.startsWith(text, offset);
        }
        const units = this.units;
        const count = text.length;
        const gapStart = this.gapStart;
        // Two straight runs, before the gap and after it.
        const beforeGap = Math.max(0, Math.min(count, gapStart - offset));
        for (let i = 0; i < beforeGap; i++) {
            if (units[offset + i] !== text.charCodeAt(i)) {
                return false;
            }
        }
        const shift = offset + (this.gapEnd - gapStart);
        for (let i = beforeGap; i < count; i++) {
            if (units[shift + i] !== text.charCodeAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Inserts `text` at `offset`. When the gap is too small the units move to
     * an array of `capacityIfFull` (at least the new length). Answers whether
     * the text held a surrogate code unit: noticed while copying, so that the
     * tree need not scan the text again.
     */
    insert(offset: number, text: string, capacityIfFull: number): boolean {
        const count = text.length;
        if (this.text !== undefined) {
            this.copyTextToUnits(Math.max(capacityIfFull, this.text.length + count));
        }
        if (offset !== this.gapStart) {
            this.moveGap(offset);
        }
        if (this.gapEnd - this.gapStart < count) {
            this.reallocate(capacityIfFull);
        }
        const hasSurrogate = copyText(text, this.units, this.gapStart);
        this.gapStart += count;
        return hasSurrogate;
    }

    /**
     * Moves [offset, length) into a new leaf with room for `capacity` code
     * units; this leaf keeps [0, offset) and its array.
     */
    splitOff(offset: number, capacity: number): RopeLeaf {
        const text = this.text;
        if (text !== undefined) {
            this.text = text.slice(0, offset);
            return RopeLeaf.fromString(text.slice(offset));
        }
        this.moveGap(offset);
        const units = this.units;
        const rest = RopeLeaf.fromUnits(units, this.gapEnd, units.length, capacity);
        this.gapEnd = units.length;
        return rest;
    }

    /** Deletes [offset, offset + count). */
    delete(offset: number, count: number): void {
        const text = this.text;
        if (text !== undefined) {
            if (offset === 0 || offset + count === text.length) {
                // The head or tail of a long delete: still a slice.
                this.text = offset === 0 ? text.slice(count) : text.slice(0, offset);
                return;
            }
            this.copyTextToUnits(text.length);
        }
        if (offset + count === this.gapStart) {
            // Backspace at the gap: the gap grows leftwards.
            this.gapStart = offset;
            return;
        }
        if (offset !== this.gapStart) {
            this.moveGap(offset);
        }
        this.gapEnd += count;
    }

    /** Appends `other`'s text (the tree has checked that it fits in `capacityIfFull`). */
    append(other: RopeLeaf, capacityIfFull: number): void {
        const length = this.length;
        const count = other.length;
        if (this.text !== undefined) {
            this.copyTextToUnits(capacityIfFull);
        }
        this.moveGap(length);
        if (this.gapEnd - this.gapStart < count) {
            this.reallocate(capacityIfFull);
        }
        other.copyTo(this.units, this.gapStart, 0, count);
        this.gapStart += count;
    }

    /** Copies [from, to) of this leaf's text into `target` at `at`. */
    copyTo(target: Uint16Array, at: number, from: number, to: number): void {
        const text = this.text;
        if (text !== undefined) {
            copyText(from === 0 && to === text.length ? text : text.slice(from, to), target, at);
            return;
        }
        const gapStart = this.gapStart;
        const gap = this.gapEnd - gapStart;
        if (from < gapStart) {
            const end = Math.min(to, gapStart);
            target.set(this.units.subarray(from, end), at);
            at += end - from;
            from = end;
        }
        if (from < to) {
            target.set(this.units.subarray(from + gap, to + gap), at);
        }
    }

    /** Code units the leaf has room for without reallocating. */
    get capacity(): number {
        return this.text !== undefined ? this.text.length : this.units.length;
    }

    /** Whether the chunk still holds the string it was made from (for tests). */
    get holdsString(): boolean {
        return this.text !== undefined;
    }

    /** Leaves the string for code units, with room for `capacity` (at least the length), the gap at the end. */
    private copyTextToUnits(capacity: number): void {
        const text = this.text as string;
        const count = text.length;
        const units = new Uint16Array(capacity);
        copyText(text, units, 0);
        this.units = units;
        this.gapStart = count;
        this.gapEnd = capacity;
        this.text = undefined;
    }

    /** Puts the gap at `offset` by moving the code units between it and there across. */
    private moveGap(offset: number): void {
        const gapStart = this.gapStart;
        const gapEnd = this.gapEnd;
        const units = this.units;
        if (offset < gapStart) {
            // [offset, gapStart) moves to the end of the gap.
            const moved = gapStart - offset;
            units.copyWithin(gapEnd - moved, offset, gapStart);
            this.gapStart = offset;
            this.gapEnd = gapEnd - moved;
        } else if (offset > gapStart) {
            // [gapEnd, gapEnd + moved) moves to the start of the gap.
            const moved = offset - gapStart;
            units.copyWithin(gapStart, gapEnd, gapEnd + moved);
            this.gapStart = offset;
            this.gapEnd = gapEnd + moved;
        }
    }

    private reallocate(capacity: number): void {
        const old = this.units;
        const units = new Uint16Array(capacity);
        const tail = old.length - this.gapEnd;
        units.set(old.subarray(0, this.gapStart));
        units.set(old.subarray(this.gapEnd), capacity - tail);
        this.units = units;
        this.gapEnd = capacity - tail;
    }
}

/**
 * From this many code units on, copying a text into code units goes through
 * TextEncoder when the text is ASCII: its UTF-8 bytes are the code units,
 * and the encoder plus a widening copy take about 0.35 ns a unit where
 * reading charCodeAt one by one takes 2-3.5 (Node 20; the two break even
 * near 128 units).
 */
const ENCODER_FROM = 128;

const encoder = typeof TextEncoder === 'function' ? new TextEncoder() : undefined;
/** The encoder's output, grown to the longest text copied so far (at most a chunk). */
let encoded = new Uint8Array(0);

/**
 * Copies `text` into `target` from `at` (the caller has made room); answers
 * whether it held a surrogate code unit, noticed on the way.
 */
function copyText(text: string, target: Uint16Array, at: number): boolean {
    const count = text.length;
    if (count >= ENCODER_FROM && encoder !== undefined) {
        if (encoded.length < count) {
            encoded = new Uint8Array(count);
        }
        const bytes = encoded.subarray(0, count);
        const { read, written } = encoder.encodeInto(text, bytes);
        // Every unit read and one byte each: all ASCII, so no surrogate either.
        if (read === count && written === count) {
            target.set(bytes, at);
            return false;
        }
    }
    let surrogateBits = 0;
    for (let i = 0; i < count; i++) {
        const code = text.charCodeAt(i);
        // Zero unless some code is in [0xD800, 0xDFFF].
        surrogateBits |= ((code & 0xF800) ^ 0xD800) === 0 ? 1 : 0;
        target[at + i] = code;
    }
    return surrogateBits !== 0;
}

/** What a leaf that holds a string has as code units. */
const NO_UNITS = new Uint16Array(0);

/**
 * Code units per String.fromCharCode call: spreading more arguments than
 * this risks the engine's argument-count limit.
 */
const UNITS_PER_CALL = 8192;

/**
 * Below this many code units, String.fromCharCode over a plain array is the
 * fastest way to a string; from here on TextDecoder is, by 2-4x (measured
 * in Node 20: about 90 ns for up to 16 units, 1.1 ns a unit for 1,536 where
 * String.fromCharCode takes 4.4).
 */
const DECODER_FROM = 64;

/**
 * utf-16le with the byte order mark kept (ignoreBOM: a leading U+FEFF is
 * text here). Only where typed arrays are little-endian, as on every
 * platform Theia runs on; elsewhere String.fromCharCode does it all.
 */
const decoder = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 && typeof TextDecoder === 'function'
    ? new TextDecoder('utf-16le', { ignoreBOM: true }) : undefined;

/** units[from, to) as a string, exactly (lone surrogates included). */
function unitsToString(units: Uint16Array, from: number, to: number): string {
    const count = to - from;
    if (count === 1) {
        return String.fromCharCode(units[from]);
    }
    if (count < DECODER_FROM) {
        const codes: number[] = new Array(count);
        for (let i = 0; i < count; i++) {
            codes[i] = units[from + i];
        }
        return String.fromCharCode.apply(null, codes);
    }
    if (decoder !== undefined) {
        const text = decoder.decode(units.subarray(from, to));
        // The decoder turns a lone surrogate into U+FFFD: then (or if the
        // text really holds U+FFFD) the units are read one by one instead.
        if (text.indexOf('\ufffd') === -1) {
            return text;
        }
    }
    let text = '';
    for (let start = from; start < to; start += UNITS_PER_CALL) {
        text += String.fromCharCode.apply(null, units.subarray(start, Math.min(to, start + UNITS_PER_CALL)) as unknown as number[]);
    }
    return text;
}
