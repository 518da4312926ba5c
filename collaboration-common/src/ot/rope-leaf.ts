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
 * A leaf knows nothing of the tree: the tree keeps its length (and checks the
 * offsets it passes in).
 */
export class RopeLeaf {
    private units: Uint16Array;
    private gapStart: number;
    private gapEnd: number;

    /** A leaf holding `units`' first `length` code units (the array becomes the leaf's). */
    private constructor(units: Uint16Array, length: number) {
        this.units = units;
        this.gapStart = length;
        this.gapEnd = units.length;
    }

    /** A leaf holding text[from, to), with room for `capacity` code units (at least to - from). */
    static fromText(text: string, from: number, to: number, capacity: number): RopeLeaf {
        const units = new Uint16Array(capacity);
        for (let i = from, at = 0; i < to; i++, at++) {
            units[at] = text.charCodeAt(i);
        }
        return new RopeLeaf(units, to - from);
    }

    /** A leaf holding a copy of source[from, to), with room for `capacity` code units (at least to - from). */
    static fromUnits(source: Uint16Array, from: number, to: number, capacity: number): RopeLeaf {
        const units = new Uint16Array(capacity);
        units.set(source.subarray(from, to));
        return new RopeLeaf(units, to - from);
    }

    get length(): number {
        return this.units.length - (this.gapEnd - this.gapStart);
    }

    /** The code unit at `offset`, which must be in [0, length). */
    charCodeAt(offset: number): number {
        return this.units[offset < this.gapStart ? offset : offset + (this.gapEnd - this.gapStart)];
    }

    /** The text in [from, to), exactly (lone surrogates included). */
    slice(from: number, to: number): string {
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
        if (offset !== this.gapStart) {
            this.moveGap(offset);
        }
        if (this.gapEnd - this.gapStart < count) {
            this.reallocate(capacityIfFull);
        }
        const units = this.units;
        let at = this.gapStart;
        let surrogateBits = 0;
        for (let i = 0; i < count; i++) {
            const code = text.charCodeAt(i);
            // Zero unless some code is in [0xD800, 0xDFFF].
            surrogateBits |= ((code & 0xF800) ^ 0xD800) === 0 ? 1 : 0;
            units[at++] = code;
        }
        this.gapStart = at;
        return surrogateBits !== 0;
    }

    /**
     * Moves [offset, length) into a new leaf with room for `capacity` code
     * units; this leaf keeps [0, offset) and its array.
     */
    splitOff(offset: number, capacity: number): RopeLeaf {
        this.moveGap(offset);
        const units = this.units;
        const rest = RopeLeaf.fromUnits(units, this.gapEnd, units.length, capacity);
        this.gapEnd = units.length;
        return rest;
    }

    /** Deletes [offset, offset + count). */
    delete(offset: number, count: number): void {
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
        this.moveGap(length);
        if (this.gapEnd - this.gapStart < count) {
            this.reallocate(capacityIfFull);
        }
        other.copyTo(this.units, this.gapStart, 0, count);
        this.gapStart += count;
    }

    /** Copies [from, to) of this leaf's text into `target` at `at`. */
    copyTo(target: Uint16Array, at: number, from: number, to: number): void {
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
        return this.units.length;
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
 * Code units per String.fromCharCode call: spreading more arguments than
 * this risks the engine's argument-count limit.
 */
const UNITS_PER_CALL = 8192;

/** units[from, to) as a string, exactly: String.fromCharCode keeps lone surrogates (TextDecoder would not). */
function unitsToString(units: Uint16Array, from: number, to: number): string {
    const count = to - from;
    if (count === 1) {
        return String.fromCharCode(units[from]);
    }
    if (count <= UNITS_PER_CALL) {
        return String.fromCharCode.apply(null, units.subarray(from, to) as unknown as number[]);
    }
    let text = '';
    for (let start = from; start < to; start += UNITS_PER_CALL) {
        text += String.fromCharCode.apply(null, units.subarray(start, Math.min(to, start + UNITS_PER_CALL)) as unknown as number[]);
    }
    return text;
}
