import { TextBuffer } from './text-buffer';

/**
 * Sizes that shape a `RopeTextBuffer`'s tree. The defaults suit documents from
 * a few bytes to hundreds of MB; tiny values exist so that tests can force many
 * splits, merges and levels with short texts.
 */
export interface RopeTuning {
    /** Longest chunk a leaf holds, in UTF-16 code units (at least 8). */
    readonly maxChunkLength: number;
    /** Most children an inner node holds (at least 4). */
    readonly maxChildren: number;
}

/**
 * 2K-unit chunks keep a chunk rebuild (one copy) under a microsecond and the
 * tree's overhead a few percent of the text (a 10 MB text costs 1.07x its size
 * in heap); 32 children keep a 100 MB document four levels deep.
 */
export const DEFAULT_ROPE_TUNING: RopeTuning = { maxChunkLength: 2048, maxChildren: 32 };

/** What `RopeTextBuffer.checkInvariants` found, for tests. */
export interface RopeShape {
    /** Inner-node levels above the chunks: 1 when the root holds the chunks. */
    readonly height: number;
    readonly chunkCount: number;
    /**
     * Chunk boundaries that fall between the two halves of a surrogate pair.
     * Building and splitting never choose such a boundary; only edits that
     * themselves split or join pairs can create one (see the class comment).
     */
    readonly chunkBoundariesInsidePairs: number;
}

/**
 * Pieces an open chunk may hold before it is joined back into one string.
 * Each cursor move adds at most two (the typing burst before it, and a split),
 * so this keeps moves and reads in the open chunk a short walk while joining
 * rarely.
 */
const OPEN_PIECE_LIMIT = 128;

/** Inserted texts up to this long join the typed code units; longer ones become pieces. */
const TYPED_TEXT_LENGTH = 16;

/** A chunk (string) on the bottom level, an inner node on every level above it. */
type RopeChild = Branch | string;

class Branch {
    constructor(
        public children: RopeChild[],
        /**
         * childLengths[i] is the length of children[i]'s text. Keeping them in
         * one small array of integers (rather than reading each child) is what
         * makes a descent a short scan over one or two cache lines per level.
         */
        public childLengths: number[],
    ) { }
}

/**
 * A chunk being edited, as a gap buffer: string pieces before the cursor (in
 * order), the keys just typed at the cursor (as code units), and string pieces
 * after it (nearest last). A key costs a push or a pop; a burst of typing
 * becomes one piece (String.fromCharCode, ~2 ns a unit; joining one-unit
 * strings costs ten times that) when the cursor moves; moving the cursor moves
 * pieces across it and slices at most one. No chunk-sized string is built
 * until `join`.
 */
class OpenChunk {
    private readonly before: string[] = [];
    private readonly typed: number[] = [];
    private readonly after: string[] = [];
    /** Offset of the cursor in the chunk: the length of `before` plus `typed`. */
    private cursor = 0;

    get pieceCount(): number {
        return this.before.length + this.after.length;
    }

    /** Starts editing `chunk` (the buffer must be empty) with the cursor at `at`. */
    open(chunk: string, at: number): void {
        if (at > 0) {
            this.before.push(at === chunk.length ? chunk : chunk.slice(0, at));
        }
        if (at < chunk.length) {
            this.after.push(at === 0 ? chunk : chunk.slice(at));
        }
        this.cursor = at;
    }

    insert(at: number, text: string): void {
        this.moveCursor(at);
        if (text.length <= TYPED_TEXT_LENGTH) {
            for (let i = 0; i < text.length; i++) {
                this.typed.push(text.charCodeAt(i));
            }
        } else {
            this.flushTyped();
            this.before.push(text);
        }
        this.cursor += text.length;
    }

    /** Deletes [from, from + count), which must leave some text. */
    delete(from: number, count: number): void {
        const to = from + count;
        if (to === this.cursor && count <= this.typed.length) {
            // Backspace over keys just typed (pop, unlike setting length, is inlined).
            for (let i = 0; i < count; i++) {
                this.typed.pop();
            }
            this.cursor = from;
            return;
        }
        // Delete from whichever end of the range the cursor is nearer.
        if (Math.abs(this.cursor - to) < Math.abs(this.cursor - from)) {
            this.moveCursor(to);
            this.flushTyped();
            const before = this.before;
            let left = count;
            while (left > 0) {
                const piece = before.pop() as string;
                if (piece.length > left) {
                    before.push(piece.slice(0, piece.length - left));
                    break;
                }
                left -= piece.length;
            }
            this.cursor = from;
        } else {
            this.moveCursor(from);
            const after = this.after;
            let left = count;
            while (left > 0) {
                const piece = after.pop() as string;
                if (piece.length > left) {
                    after.push(piece.slice(left));
                    break;
                }
                left -= piece.length;
            }
        }
    }

    charCodeAt(at: number): number {
        const typed = this.typed;
        // Walk outwards from the cursor, where reads usually are.
        let start = this.cursor - typed.length;
        if (at >= start && at < this.cursor) {
            return typed[at - start];
        }
        if (at < start) {
            const before = this.before;
            for (let i = before.length - 1; ; i--) {
                start -= before[i].length;
                if (at >= start) {
                    return before[i].charCodeAt(at - start);
                }
            }
        }
        start = this.cursor;
        const after = this.after;
        for (let i = after.length - 1; ; i--) {
            const end = start + after[i].length;
            if (at < end) {
                return after[i].charCodeAt(at - start);
            }
            start = end;
        }
    }

    /** [from, to) of the chunk, leaving the buffer as it is. */
    slice(from: number, to: number): string {
        const out: string[] = [];
        let start = 0;
        const before = this.before;
        for (let i = 0; i < before.length && start < to; i++) {
            start = pushOverlap(before[i], start, from, to, out);
        }
        const typed = this.typed;
        if (typed.length > 0 && start < to) {
            const end = start + typed.length;
            if (end > from) {
                out.push(codesToString(typed.slice(Math.max(from - start, 0), Math.min(to, end) - start)));
            }
            start = end;
        }
        const after = this.after;
        for (let i = after.length - 1; i >= 0 && start < to; i--) {
            start = pushOverlap(after[i], start, from, to, out);
        }
        return out.length === 1 ? out[0] : out.join('');
    }

    /** The whole text as one flat string; empties the buffer. */
    join(): string {
        this.flushTyped();
        const before = this.before;
        const after = this.after;
        for (let i = after.length - 1; i >= 0; i--) {
            before.push(after[i]);
        }
        // join builds one flat string from two or more pieces but returns a lone
        // piece as it is, which may be a slice pinning an older chunk: copy it.
        const text = before.length === 1 ? ownCopy(before[0]) : before.join('');
        this.clear();
        return text;
    }

    clear(): void {
        this.before.length = 0;
        this.typed.length = 0;
        this.after.length = 0;
        this.cursor = 0;
    }

    /** Throws unless the pieces and the cursor agree, for checkInvariants. */
    check(): void {
        if (this.before.concat(this.after).some(piece => typeof piece !== 'string' || piece.length === 0)) {
            throw invariantError('an open chunk holds an empty or non-string piece');
        }
        if (sum(this.before.map(piece => piece.length)) + this.typed.length !== this.cursor) {
            throw invariantError(`an open chunk's cursor ${this.cursor} is not the length of the text before it`);
        }
    }

    private moveCursor(to: number): void {
        let cursor = this.cursor;
        if (cursor === to) {
            return;
        }
        this.flushTyped();
        const before = this.before;
        const after = this.after;
        while (cursor > to) {
            const piece = before.pop() as string;
            const start = cursor - piece.length;
            if (start >= to) {
                after.push(piece);
                cursor = start;
            } else {
                before.push(piece.slice(0, to - start));
                after.push(piece.slice(to - start));
                cursor = to;
            }
        }
        while (cursor < to) {
            const piece = after.pop() as string;
            const end = cursor + piece.length;
            if (end <= to) {
                before.push(piece);
                cursor = end;
            } else {
                before.push(piece.slice(0, to - cursor));
                after.push(piece.slice(to - cursor));
                cursor = to;
            }
        }
        this.cursor = cursor;
    }

    private flushTyped(): void {
        const typed = this.typed;
        if (typed.length > 0) {
            this.before.push(codesToString(typed));
            typed.length = 0;
        }
    }
}

/**
 * A `TextBuffer` over a B+tree rope: the text lives in chunks of at most
 * `maxChunkLength` code units, all at the same depth, under inner nodes that
 * hold their children's lengths. Every non-root node keeps between a quarter
 * of and the maximum number of children, and every chunk between a quarter of
 * and the maximum length (a lone chunk may be shorter), so the depth stays
 * O(log n) and memory stays close to the text's own size.
 *
 * Local edits skip most of the work:
 * - the path to the last chunk touched (with its start offset) is cached, so
 *   an edit in or next to it needs no descent from the root;
 * - that chunk is held open for editing (see `OpenChunk`), since rebuilding a
 *   chunk string costs 100-400 ns (V8 flattens the concatenation in a runtime
 *   call) while a typed key costs a push;
 * - when edits move to another chunk, the one left is parked, still open; if
 *   the edits come back to it (two cursors taking turns) it is reopened as it
 *   was. It is joined into one flat string only when a third chunk is left, or
 *   before any change to the tree's shape.
 *
 * Surrogate pairs: chunk boundaries chosen by building, splitting or
 * redistributing never fall inside a pair. An existing boundary can still end
 * up inside one when the caller splits or joins pairs itself (inserting a lone
 * low surrogate just after a boundary that follows a lone high one); that is
 * harmless, since every method works in code units and reassembles text from
 * whole chunks, so nothing here relies on pairs being whole.
 */
export class RopeTextBuffer implements TextBuffer {
    private readonly maxChunk: number;
    private readonly minChunk: number;
    /** Chunk length when building: room for typing before a split. */
    private readonly buildChunk: number;
    private readonly maxChildren: number;
    private readonly minChildren: number;

    private root = new Branch([], []);
    /** Levels of inner nodes: chunks are the children of nodes at depth height - 1. */
    private height = 1;
    private textLength = 0;

    // The path from the root to the cached chunk, meaningful while cacheValid.
    // Arrays reused across operations, so that a descent allocates nothing.
    private readonly pathNodes: Branch[] = [];
    private readonly pathIndexes: number[] = [];
    /** pathStarts[d]: offset in the text where child pathIndexes[d] of pathNodes[d] starts. */
    private readonly pathStarts: number[] = [];
    private cacheValid = false;
    // The cached chunk itself: leafParent.children[leafIndex], starting at leafStart.
    private leafParent = this.root;
    private leafIndex = 0;
    private leafStart = 0;

    // While `open`, the cached chunk's text is `openChunk`'s and the string
    // stored in the tree is stale; likewise for the parked chunk (never the
    // cached one between calls), children[parkedIndex] of parkedParent.
    private open = false;
    private openChunk = new OpenChunk();
    private parked = false;
    private parkedChunk = new OpenChunk();
    private parkedParent = this.root;
    private parkedIndex = 0;
    /** Once a surrogate code unit was inserted it stays true (deletes do not clear it: a cheap, safe over-approximation). */
    private surrogatesSeen = false;

    constructor(initialText = '', tuning: RopeTuning = DEFAULT_ROPE_TUNING) {
        if (typeof initialText !== 'string') {
            throw new TypeError(`RopeTextBuffer: initial text must be a string, got ${typeof initialText}`);
        }
        const { maxChunkLength, maxChildren } = tuning;
        if (!Number.isInteger(maxChunkLength) || maxChunkLength < 8 || !Number.isInteger(maxChildren) || maxChildren < 4) {
            throw new RangeError(`RopeTextBuffer: tuning needs integers maxChunkLength >= 8 and maxChildren >= 4, got ${maxChunkLength} and ${maxChildren}`);
        }
        this.maxChunk = maxChunkLength;
        // A quarter leaves room between the merge and split thresholds, so that
        // typing and deleting around one boundary does not split and merge in turn.
        this.minChunk = Math.floor(maxChunkLength / 4);
        this.buildChunk = Math.floor(maxChunkLength * 3 / 4);
        this.maxChildren = maxChildren;
        this.minChildren = Math.max(2, Math.floor(maxChildren / 4));
        if (initialText.length > 0) {
            this.surrogatesSeen = containsSurrogate(initialText);
            this.buildFrom(initialText);
        }
    }

    get length(): number {
        return this.textLength;
    }

    get mayContainSurrogates(): boolean {
        return this.surrogatesSeen;
    }

    /** The code unit at `offset`; NaN unless `offset` is an integer in [0, length). */
    charCodeAt(offset: number): number {
        if (!(Number.isInteger(offset) && offset >= 0 && offset < this.textLength)) {
            return NaN;
        }
        if (this.cacheValid && offset >= this.leafStart && offset < this.leafStart + this.leafParent.childLengths[this.leafIndex]) {
            const inLeaf = offset - this.leafStart;
            return this.open ? this.openChunk.charCodeAt(inLeaf) : (this.leafParent.children[this.leafIndex] as string).charCodeAt(inLeaf);
        }
        // A read-only descent: moving the cache for a read would park the open
        // chunk, and reads (such as surrogate checks) often land just outside it.
        let node = this.root;
        let rest = offset;
        for (let depth = 1; ; depth++) {
            const lengths = node.childLengths;
            let index = 0;
            while (rest >= lengths[index]) {
                rest -= lengths[index];
                index++;
            }
            if (depth === this.height) {
                return this.parked && node === this.parkedParent && index === this.parkedIndex
                    ? this.parkedChunk.charCodeAt(rest)
                    : (node.children[index] as string).charCodeAt(rest);
            }
            node = node.children[index] as Branch;
        }
    }

    slice(start: number, end: number): string {
        this.checkIndex('slice', 'start', start, 0, this.textLength);
        this.checkIndex('slice', 'end', end, start, this.textLength);
        if (start === end) {
            return '';
        }
        if (this.cacheValid && start >= this.leafStart && end <= this.leafStart + this.leafParent.childLengths[this.leafIndex]) {
            return this.leafSlice(this.leafParent, this.leafIndex, start - this.leafStart, end - this.leafStart);
        }
        const pieces: string[] = [];
        this.collect(this.root, 0, 0, start, end, pieces);
        return pieces.length === 1 ? pieces[0] : pieces.join('');
    }

    insert(offset: number, text: string): void {
        this.checkIndex('insert', 'offset', offset, 0, this.textLength);
        if (typeof text !== 'string') {
            throw new TypeError(`RopeTextBuffer.insert: text must be a string, got ${typeof text}`);
        }
        const count = text.length;
        if (count === 0) {
            return;
        }
        if (!this.surrogatesSeen && containsSurrogate(text)) {
            this.surrogatesSeen = true;
        }
        if (this.textLength === 0) {
            this.buildFrom(text);
            return;
        }
        // The end offset counts as inside the cached chunk: typing at its end appends to it.
        if (!this.cacheValid || offset < this.leafStart || offset > this.leafStart + this.leafParent.childLengths[this.leafIndex]) {
            this.locate(offset);
        }
        if (this.leafParent.childLengths[this.leafIndex] + count > this.maxChunk) {
            this.insertSplittingLeaf(offset, text);
            return;
        }
        this.openCachedLeaf().insert(offset - this.leafStart, text);
        this.addAlongPath(count);
    }

    delete(offset: number, count: number): void {
        this.checkIndex('delete', 'offset', offset, 0, this.textLength);
        this.checkIndex('delete', 'count', count, 0, this.textLength - offset);
        if (count === 0) {
            return;
        }
        if (!this.cacheValid || offset < this.leafStart || offset + count > this.leafStart + this.leafParent.childLengths[this.leafIndex]) {
            this.locate(offset);
            if (offset + count > this.leafStart + this.leafParent.childLengths[this.leafIndex]) {
                this.deleteAcrossLeaves(offset, count);
                return;
            }
        }
        const remainingLength = this.leafParent.childLengths[this.leafIndex] - count;
        if (remainingLength < this.minChunk) {
            if (!this.isSoleLeaf()) {
                this.deleteInLeafAndRebalance(offset, count);
                return;
            }
            if (remainingLength === 0) {
                this.clear();
                return;
            }
        }
        this.openCachedLeaf().delete(offset - this.leafStart, count);
        this.addAlongPath(-count);
    }

    getText(): string {
        if (this.textLength === 0) {
            return '';
        }
        const pieces: string[] = [];
        this.collect(this.root, 0, 0, 0, this.textLength, pieces);
        return pieces.length === 1 ? pieces[0] : pieces.join('');
    }

    /**
     * For tests and debugging: walks the whole tree (O(n)) and throws an Error
     * naming the first broken invariant: cached lengths, node and chunk
     * occupancy, uniform depth, the cached path and the open chunks. Changes
     * nothing.
     */
    checkInvariants(): RopeShape {
        const soleLeaf = this.isSoleLeaf();
        let chunkCount = 0;
        let boundariesInsidePairs = 0;
        let previousCode = NaN;
        const visit = (node: Branch, depth: number): number => {
            const count = node.children.length;
            if (node.childLengths.length !== count) {
                throw invariantError(`node at depth ${depth} has ${count} children but ${node.childLengths.length} lengths`);
            }
            if (count > this.maxChildren) {
                throw invariantError(`node at depth ${depth} has ${count} children, more than ${this.maxChildren}`);
            }
            if (depth > 0 && count < this.minChildren) {
                throw invariantError(`node at depth ${depth} has ${count} children, fewer than ${this.minChildren}`);
            }
            if (depth === 0 && this.height > 1 && count < 2) {
                throw invariantError(`root above the bottom level has ${count} children`);
            }
            let total = 0;
            for (let index = 0; index < count; index++) {
                const child = node.children[index];
                let length: number;
                if (depth === this.height - 1) {
                    if (typeof child !== 'string') {
                        throw invariantError(`inner node where a chunk belongs, at depth ${depth + 1}`);
                    }
                    const chunk = this.leafSlice(node, index, 0, node.childLengths[index]);
                    length = chunk.length;
                    if (length === 0 || length > this.maxChunk || (length < this.minChunk && !soleLeaf)) {
                        throw invariantError(`chunk ${chunkCount} has length ${length}, outside [${this.minChunk}, ${this.maxChunk}]`);
                    }
                    if (isHighSurrogate(previousCode) && isLowSurrogate(chunk.charCodeAt(0))) {
                        boundariesInsidePairs++;
                    }
                    previousCode = chunk.charCodeAt(length - 1);
                    chunkCount++;
                } else {
                    if (typeof child === 'string') {
                        throw invariantError(`chunk above the bottom level, at depth ${depth + 1}`);
                    }
                    length = visit(child, depth + 1);
                }
                if (node.childLengths[index] !== length) {
                    throw invariantError(`node at depth ${depth} records length ${node.childLengths[index]} for child ${index}, whose text has ${length}`);
                }
                total += length;
            }
            return total;
        };
        const total = visit(this.root, 0);
        if (total !== this.textLength) {
            throw invariantError(`length is ${this.textLength} but the chunks hold ${total}`);
        }
        if (this.textLength === 0 && this.height !== 1) {
            throw invariantError(`empty text under ${this.height} levels`);
        }
        if (this.cacheValid) {
            this.checkCachedPath();
        }
        if (this.open) {
            if (!this.cacheValid) {
                throw invariantError('an open chunk without a cached path');
            }
            this.openChunk.check();
        }
        if (this.parked) {
            if (this.cacheValid && this.parkedParent === this.leafParent && this.parkedIndex === this.leafIndex) {
                throw invariantError('the parked chunk is the cached one');
            }
            if (!this.isInTree(this.parkedParent, this.parkedIndex)) {
                throw invariantError('the parked chunk is not in the tree');
            }
            this.parkedChunk.check();
        }
        return { height: this.height, chunkCount, chunkBoundariesInsidePairs: boundariesInsidePairs };
    }

    private checkCachedPath(): void {
        let node = this.root;
        let nodeStart = 0;
        for (let depth = 0; depth < this.height; depth++) {
            const index = this.pathIndexes[depth];
            if (this.pathNodes[depth] !== node || !(index >= 0 && index < node.children.length)) {
                throw invariantError(`cached path is stale at depth ${depth}`);
            }
            let childStart = nodeStart;
            for (let i = 0; i < index; i++) {
                childStart += node.childLengths[i];
            }
            if (this.pathStarts[depth] !== childStart) {
                throw invariantError(`cached path start at depth ${depth} is ${this.pathStarts[depth]}, not ${childStart}`);
            }
            if (depth < this.height - 1) {
                node = node.children[index] as Branch;
                nodeStart = childStart;
            }
        }
        if (this.leafParent !== node || this.leafIndex !== this.pathIndexes[this.height - 1] || this.leafStart !== this.pathStarts[this.height - 1]) {
            throw invariantError('cached chunk does not match the cached path');
        }
    }

    /** Whether `bottom` is a bottom-level node of the tree with a child at `index`. */
    private isInTree(bottom: Branch, index: number): boolean {
        const search = (node: Branch, depth: number): boolean => depth === this.height - 1
            ? node === bottom
            : node.children.some(child => search(child as Branch, depth + 1));
        return index < bottom.children.length && search(this.root, 0);
    }

    private checkIndex(method: string, name: string, value: number, min: number, max: number): void {
        if (!(Number.isInteger(value) && value >= min && value <= max)) {
            throw new RangeError(`RopeTextBuffer.${method}: ${name} ${String(value)} is not an integer in [${min}, ${max}]`);
        }
    }

    private isSoleLeaf(): boolean {
        return this.height === 1 && this.root.children.length === 1;
    }

    // --- Building -----------------------------------------------------------

    private buildFrom(text: string): void {
        this.buildTree(this.chunkify(text));
    }

    /**
     * Cuts head + middle + tail into chunks of at most `buildChunk` units,
     * evenly, never inside a surrogate pair. Chunks of a longer text are each at
     * least buildChunk / 2 - 1 >= minChunk long. Each chunk is a copy, so that
     * it pins none of the parts (a slice of a 100 MB string would keep all of it
     * alive); cutting the parts rather than their concatenation copies a large
     * paste once instead of twice.
     */
    private chunkify(head: string, middle = '', tail = ''): string[] {
        const parts = new SplicedText(head, middle, tail);
        const length = parts.length;
        if (length <= this.buildChunk) {
            return [parts.copy(0, length)];
        }
        const count = Math.ceil(length / this.buildChunk);
        const chunks: string[] = [];
        let start = 0;
        for (let i = 1; i <= count; i++) {
            let end = Math.floor(i * length / count);
            if (i < count && isLowSurrogate(parts.charCodeAt(end)) && isHighSurrogate(parts.charCodeAt(end - 1))) {
                end--;
            }
            chunks.push(parts.copy(start, end));
            start = end;
        }
        return chunks;
    }

    /** Stacks levels of evenly filled nodes over `chunks`: O(number of chunks). */
    private buildTree(chunks: string[]): void {
        let level: RopeChild[] = chunks;
        let lengths = chunks.map(chunk => chunk.length);
        let height = 1;
        while (level.length > this.maxChildren) {
            const grouped = groupEvenly(level, lengths, Math.ceil(level.length / this.maxChildren));
            level = grouped.nodes;
            lengths = grouped.lengths;
            height++;
        }
        this.resetState(new Branch(level, lengths), height, sum(lengths));
    }

    private clear(): void {
        this.resetState(new Branch([], []), 1, 0);
    }

    private resetState(root: Branch, height: number, textLength: number): void {
        this.root = root;
        this.height = height;
        this.textLength = textLength;
        this.cacheValid = false;
        this.leafParent = root;
        this.open = false;
        this.openChunk.clear();
        this.parked = false;
        this.parkedChunk.clear();
        this.parkedParent = root;
    }

    // --- Finding a chunk -----------------------------------------------------

    /**
     * Points the cache at the chunk holding `offset` (the last chunk for
     * offset === length), parking the open chunk if that is another one. Needs
     * a non-empty text.
     */
    private locate(offset: number): void {
        const leftParent = this.leafParent;
        const leftIndex = this.leafIndex;
        let depth = 0;
        let node = this.root;
        let nodeStart = 0;
        if (this.cacheValid) {
            // Climb from the cached chunk's parent to the lowest node whose span
            // holds offset, so that an edit near the last one descends a level
            // or two instead of from the root.
            depth = this.height - 1;
            while (depth > 0) {
                const start = this.pathStarts[depth - 1];
                if (offset >= start && offset < start + this.pathNodes[depth - 1].childLengths[this.pathIndexes[depth - 1]]) {
                    break;
                }
                depth--;
            }
            node = this.pathNodes[depth];
            nodeStart = depth === 0 ? 0 : this.pathStarts[depth - 1];
        }
        for (; ;) {
            const lengths = node.childLengths;
            const last = lengths.length - 1;
            let index = 0;
            let childStart = nodeStart;
            while (index < last) {
                const next = childStart + lengths[index];
                if (offset < next) {
                    break;
                }
                childStart = next;
                index++;
            }
            this.pathNodes[depth] = node;
            this.pathIndexes[depth] = index;
            this.pathStarts[depth] = childStart;
            if (++depth === this.height) {
                break;
            }
            node = node.children[index] as Branch;
            nodeStart = childStart;
        }
        this.leafParent = node;
        this.leafIndex = this.pathIndexes[this.height - 1];
        this.leafStart = this.pathStarts[this.height - 1];
        this.cacheValid = true;
        if (this.open && (node !== leftParent || this.leafIndex !== leftIndex)) {
            this.parkOpenChunk(leftParent, leftIndex);
        }
    }

    /** Adds `delta` to the recorded length of every node on the cached path. */
    private addAlongPath(delta: number): void {
        const nodes = this.pathNodes;
        const indexes = this.pathIndexes;
        for (let depth = 0; depth < this.height; depth++) {
            nodes[depth].childLengths[indexes[depth]] += delta;
        }
        this.textLength += delta;
    }

    // --- Open and parked chunks ----------------------------------------------

    /** The cached chunk, opened for editing if it is not yet. */
    private openCachedLeaf(): OpenChunk {
        if (this.open) {
            if (this.openChunk.pieceCount > OPEN_PIECE_LIMIT) {
                // Each cursor move may add pieces: joining them now and then
                // keeps moves and reads in the chunk short.
                this.leafParent.children[this.leafIndex] = this.openChunk.join();
                this.openChunk.open(this.leafParent.children[this.leafIndex] as string, 0);
            }
        } else if (this.parked && this.parkedParent === this.leafParent && this.parkedIndex === this.leafIndex) {
            this.swapOpenAndParked();
            this.parked = false;
        } else {
            this.openChunk.open(this.leafParent.children[this.leafIndex] as string, 0);
        }
        this.open = true;
        return this.openChunk;
    }

    /**
     * The cache has just moved from the open chunk (children[leftIndex] of
     * leftParent) to another: parks the one left, and reopens the new one if
     * it was the parked one.
     */
    private parkOpenChunk(leftParent: Branch, leftIndex: number): void {
        const returning = this.parked && this.parkedParent === this.leafParent && this.parkedIndex === this.leafIndex;
        if (!returning) {
            this.unpark();
        }
        this.swapOpenAndParked();
        this.parked = true;
        this.parkedParent = leftParent;
        this.parkedIndex = leftIndex;
        this.open = returning;
    }

    private swapOpenAndParked(): void {
        const chunk = this.openChunk;
        this.openChunk = this.parkedChunk;
        this.parkedChunk = chunk;
    }

    /** Writes the parked chunk back into the tree as one flat string. */
    private unpark(): void {
        if (this.parked) {
            this.parkedParent.children[this.parkedIndex] = this.parkedChunk.join();
            this.parked = false;
        }
    }

    /**
     * Writes the open and parked chunks back into the tree, so that every chunk
     * string there is current: structural changes move and merge chunk strings.
     */
    private settle(): void {
        if (this.open) {
            this.leafParent.children[this.leafIndex] = this.openChunk.join();
            this.open = false;
        }
        this.unpark();
    }

    /** [from, to) of chunk `index` of bottom node `parent`, open or not. */
    private leafSlice(parent: Branch, index: number, from: number, to: number): string {
        if (this.open && parent === this.leafParent && index === this.leafIndex) {
            return this.openChunk.slice(from, to);
        }
        if (this.parked && parent === this.parkedParent && index === this.parkedIndex) {
            return this.parkedChunk.slice(from, to);
        }
        const chunk = parent.children[index] as string;
        return from === 0 && to === chunk.length ? chunk : chunk.slice(from, to);
    }

    /** Pushes the pieces of [start, end) under `node` (whose text starts at nodeStart) onto `out`. */
    private collect(node: Branch, nodeStart: number, depth: number, start: number, end: number, out: string[]): void {
        const lengths = node.childLengths;
        const bottom = depth === this.height - 1;
        let childStart = nodeStart;
        for (let index = 0; index < lengths.length && childStart < end; index++) {
            const childEnd = childStart + lengths[index];
            if (childEnd > start) {
                if (bottom) {
                    out.push(this.leafSlice(node, index, Math.max(start - childStart, 0), Math.min(end, childEnd) - childStart));
                } else {
                    this.collect(node.children[index] as Branch, childStart, depth + 1, start, end, out);
                }
            }
            childStart = childEnd;
        }
    }

    // --- Structural changes ----------------------------------------------------
    // Each settles the open and parked chunks first and leaves the cache invalid.

    /** Inserts into the cached chunk when the result would be too long for one chunk. */
    private insertSplittingLeaf(offset: number, text: string): void {
        this.settle();
        const chunk = this.leafParent.children[this.leafIndex] as string;
        const inLeaf = offset - this.leafStart;
        this.replaceLeaf(this.chunkify(chunk.slice(0, inLeaf), text, chunk.slice(inLeaf)), text.length);
    }

    /**
     * Replaces the cached chunk by `pieces`, whose total length is the old
     * chunk's plus `delta`, splitting every node that overflows on the way up
     * and adding levels above the root as needed. Any number of pieces works,
     * so a paste of many MB costs O(its chunks), not O(chunks x depth).
     */
    private replaceLeaf(pieces: string[], delta: number): void {
        let replacement: RopeChild[] | undefined = pieces;
        let replacementLengths = pieces.map(piece => piece.length);
        for (let depth = this.height - 1; depth >= 0; depth--) {
            const node = this.pathNodes[depth];
            const index = this.pathIndexes[depth];
            if (replacement === undefined) {
                node.childLengths[index] += delta;
                continue;
            }
            node.children = node.children.slice(0, index).concat(replacement, node.children.slice(index + 1));
            node.childLengths = node.childLengths.slice(0, index).concat(replacementLengths, node.childLengths.slice(index + 1));
            if (node.children.length > this.maxChildren) {
                const grouped = groupEvenly(node.children, node.childLengths, Math.ceil(node.children.length / this.maxChildren));
                replacement = grouped.nodes;
                replacementLengths = grouped.lengths;
            } else {
                replacement = undefined;
            }
        }
        while (replacement !== undefined) {
            // The root overflowed: the groups become the children of a new root.
            const root = new Branch(replacement, replacementLengths);
            this.root = root;
            this.height++;
            if (root.children.length > this.maxChildren) {
                const grouped = groupEvenly(root.children, root.childLengths, Math.ceil(root.children.length / this.maxChildren));
                replacement = grouped.nodes;
                replacementLengths = grouped.lengths;
            } else {
                replacement = undefined;
            }
        }
        this.textLength += delta;
        this.cacheValid = false;
    }

    /** Deletes within the cached chunk when it would become too short. */
    private deleteInLeafAndRebalance(offset: number, count: number): void {
        this.settle();
        const chunk = this.leafParent.children[this.leafIndex] as string;
        const inLeaf = offset - this.leafStart;
        this.leafParent.children[this.leafIndex] = ownCopy(chunk.slice(0, inLeaf) + chunk.slice(inLeaf + count));
        this.addAlongPath(-count);
        this.rebalanceFrom(this.height - 1);
    }

    /**
     * Deletes a range that spans chunks (the cache holds offset's chunk): trims
     * the first chunk's tail, then removes the largest whole subtree starting at
     * offset again and again (each removal leaves at most one node one child
     * short, fixed by the usual B-tree merge), then trims the last chunk's head.
     * That is O(depth x fan-out) removals however long the range.
     */
    private deleteAcrossLeaves(offset: number, count: number): void {
        this.settle();
        if (offset === 0 && count === this.textLength) {
            this.clear();
            return;
        }
        let remaining = count;
        // The first chunk may end up too short; merging it now would only pull in
        // text about to be deleted, so it is fixed at the end.
        let firstChunkMayBeShort = false;
        const keep = offset - this.leafStart;
        if (keep > 0) {
            const chunk = this.leafParent.children[this.leafIndex] as string;
            const removed = chunk.length - keep;
            this.leafParent.children[this.leafIndex] = ownCopy(chunk.slice(0, keep));
            this.addAlongPath(-removed);
            remaining -= removed;
            firstChunkMayBeShort = keep < this.minChunk;
        }
        while (remaining > 0) {
            // A chunk now starts at offset.
            this.locate(offset);
            let depth = 0;
            while (depth < this.height - 1
                && !(this.pathStarts[depth] === offset && this.pathNodes[depth].childLengths[this.pathIndexes[depth]] <= remaining)) {
                depth++;
            }
            const node = this.pathNodes[depth];
            const index = this.pathIndexes[depth];
            const length = node.childLengths[index];
            if (length <= remaining) {
                node.children.splice(index, 1);
                node.childLengths.splice(index, 1);
                for (let above = 0; above < depth; above++) {
                    this.pathNodes[above].childLengths[this.pathIndexes[above]] -= length;
                }
                this.textLength -= length;
                remaining -= length;
                if (depth > 0) {
                    this.rebalanceFrom(depth - 1);
                } else {
                    this.collapseRoot();
                    this.cacheValid = false;
                }
            } else {
                const chunk = node.children[index] as string;
                const kept = length - remaining;
                node.children[index] = ownCopy(chunk.slice(remaining));
                this.addAlongPath(-remaining);
                remaining = 0;
                if (kept < this.minChunk && !this.isSoleLeaf()) {
                    this.rebalanceFrom(this.height - 1);
                }
            }
        }
        if (firstChunkMayBeShort) {
            this.locate(offset - 1);
            if ((this.leafParent.children[this.leafIndex] as string).length < this.minChunk && !this.isSoleLeaf()) {
                this.rebalanceFrom(this.height - 1);
            }
        }
        this.cacheValid = false;
    }

    /**
     * Restores occupancy after the child on the cached path at `depth` may have
     * become too small (a chunk too short, or a node one child short): merges it
     * with a sibling, or shares the sibling's content when both would not fit
     * in one, and goes on up while a merge leaves the parent short.
     */
    private rebalanceFrom(depth: number): void {
        for (let level = depth; level >= 0; level--) {
            const parent = this.pathNodes[level];
            const index = this.pathIndexes[level];
            if (parent.children.length < 2 || !this.isUnderfull(parent.children[index])) {
                break;
            }
            this.mergeOrShare(parent, index > 0 ? index - 1 : index);
        }
        this.collapseRoot();
        this.cacheValid = false;
    }

    private isUnderfull(child: RopeChild): boolean {
        return typeof child === 'string' ? child.length < this.minChunk : child.children.length < this.minChildren;
    }

    /** Merges children `left` and `left + 1` of `parent`, or evens them out when they would not fit in one. */
    private mergeOrShare(parent: Branch, left: number): void {
        const first = parent.children[left];
        const second = parent.children[left + 1];
        const total = parent.childLengths[left] + parent.childLengths[left + 1];
        if (typeof first === 'string' && typeof second === 'string') {
            const joined = first + second;
            if (total <= this.maxChunk) {
                parent.children.splice(left, 2, flatten(joined));
                parent.childLengths.splice(left, 2, total);
            } else {
                // One was short, so each half has at least (maxChunk + 1) / 2 - 1 units.
                const cut = cutOutsidePair(joined, total >> 1);
                parent.children[left] = ownCopy(joined.slice(0, cut));
                parent.children[left + 1] = ownCopy(joined.slice(cut));
                parent.childLengths[left] = cut;
                parent.childLengths[left + 1] = total - cut;
            }
            return;
        }
        const a = first as Branch;
        const b = second as Branch;
        const children = a.children.concat(b.children);
        const lengths = a.childLengths.concat(b.childLengths);
        if (children.length <= this.maxChildren) {
            a.children = children;
            a.childLengths = lengths;
            parent.children.splice(left + 1, 1);
            parent.childLengths.splice(left + 1, 1);
            parent.childLengths[left] = total;
        } else {
            const cut = children.length >> 1;
            a.children = children.slice(0, cut);
            a.childLengths = lengths.slice(0, cut);
            b.children = children.slice(cut);
            b.childLengths = lengths.slice(cut);
            parent.childLengths[left] = sum(a.childLengths);
            parent.childLengths[left + 1] = total - parent.childLengths[left];
        }
    }

    /** A root with a single inner child is one level too many. */
    private collapseRoot(): void {
        while (this.height > 1 && this.root.children.length === 1) {
            this.root = this.root.children[0] as Branch;
            this.height--;
        }
    }
}

/** head + middle + tail, read without concatenating them. */
class SplicedText {
    readonly length: number;

    constructor(private readonly head: string, private readonly middle: string, private readonly tail: string) {
        this.length = head.length + middle.length + tail.length;
    }

    charCodeAt(offset: number): number {
        if (offset < this.head.length) {
            return this.head.charCodeAt(offset);
        }
        offset -= this.head.length;
        return offset < this.middle.length ? this.middle.charCodeAt(offset) : this.tail.charCodeAt(offset - this.middle.length);
    }

    /** A flat copy of [from, to), sharing no memory with the parts. */
    copy(from: number, to: number): string {
        const middleStart = this.head.length;
        const tailStart = middleStart + this.middle.length;
        let text = '';
        if (from < middleStart) {
            text = this.head.slice(from, Math.min(to, middleStart));
        }
        if (to > middleStart && from < tailStart) {
            text += this.middle.slice(Math.max(from, middleStart) - middleStart, Math.min(to, tailStart) - middleStart);
        }
        if (to > tailStart) {
            text += this.tail.slice(Math.max(from, tailStart) - tailStart, to - tailStart);
        }
        return ownCopy(text);
    }
}

function invariantError(message: string): Error {
    return new Error(`RopeTextBuffer invariant broken: ${message}`);
}

function sum(values: readonly number[]): number {
    let total = 0;
    for (const value of values) {
        total += value;
    }
    return total;
}

/** Splits children into `groupCount` nodes of near-equal size (each at least half full when there were more than fit in one). */
function groupEvenly(children: readonly RopeChild[], lengths: readonly number[], groupCount: number): { nodes: Branch[], lengths: number[] } {
    const nodes: Branch[] = [];
    const nodeLengths: number[] = [];
    const count = children.length;
    for (let group = 0; group < groupCount; group++) {
        const from = Math.floor(group * count / groupCount);
        const to = Math.floor((group + 1) * count / groupCount);
        const childLengths = lengths.slice(from, to);
        nodes.push(new Branch(children.slice(from, to), childLengths));
        nodeLengths.push(sum(childLengths));
    }
    return { nodes, lengths: nodeLengths };
}

function isHighSurrogate(code: number): boolean {
    return code >= 0xD800 && code <= 0xDBFF;
}

function isLowSurrogate(code: number): boolean {
    return code >= 0xDC00 && code <= 0xDFFF;
}

/** `cut`, moved one unit left if it would separate a surrogate pair. */
function cutOutsidePair(text: string, cut: number): number {
    return cut > 0 && isLowSurrogate(text.charCodeAt(cut)) && isHighSurrogate(text.charCodeAt(cut - 1)) ? cut - 1 : cut;
}

/** Up to 8K arguments per call: spreading a longer array could overflow the stack. */
function codesToString(codes: readonly number[]): string {
    const block = 8192;
    if (codes.length <= block) {
        return String.fromCharCode(...codes);
    }
    let result = '';
    for (let start = 0; start < codes.length; start += block) {
        result += String.fromCharCode(...codes.slice(start, start + block));
    }
    return result;
}

/**
 * Pushes the part of `piece` (which starts at `start`) inside [from, to) onto
 * `out`; returns where the next piece starts.
 */
function pushOverlap(piece: string, start: number, from: number, to: number, out: string[]): number {
    const end = start + piece.length;
    if (end > from) {
        out.push(start >= from && end <= to ? piece : piece.slice(Math.max(from - start, 0), Math.min(to, end) - start));
    }
    return end;
}

/** Where `flatten` writes, so that the optimizer cannot drop the read that flattens. */
const flattenSink = { code: 0 };

/**
 * Makes V8 store `text` as one flat string. A concatenation is a tree of the
 * pieces (which may be slices pinning larger strings); reading a code unit of
 * it flattens it in place, and the garbage collector then drops the tree.
 */
function flatten(text: string): string {
    flattenSink.code = text.charCodeAt(0);
    return text;
}

/**
 * A flat copy of `text` that shares no memory with the string it may be a
 * slice of. (Short slices are copied by V8 anyway.)
 */
function ownCopy(text: string): string {
    return text.length < 2 ? text : flatten(text.charAt(0) + text.slice(1));
}

const surrogate = /[\ud800-\udfff]/;

function containsSurrogate(text: string): boolean {
    if (text.length === 1) {
        const code = text.charCodeAt(0);
        return code >= 0xd800 && code <= 0xdfff;
    }
    return surrogate.test(text);
}
