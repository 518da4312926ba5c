import { RopeLeaf } from './rope-leaf';
import { isHighSurrogate, isLowSurrogate } from './surrogates';
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
 * 2K-unit chunks keep an edit far from the last one in its chunk (a move of
 * at most 4 KB) well under a microsecond and the tree's overhead a few percent
 * of the text; 32 children keep a 100 MB document four levels deep.
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
    /** Chunks that still hold the string they were made from (not yet edited inside; see RopeLeaf). */
    readonly stringChunks: number;
}

/** A leaf (chunk) on the bottom level, an inner node on every level above it. */
type RopeChild = Branch | RopeLeaf;

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
 * A `TextBuffer` over a B+tree rope: the text lives in chunks of at most
 * `maxChunkLength` code units, all at the same depth, under inner nodes that
 * hold their children's lengths. Every non-root node keeps between a quarter
 * of and the maximum number of children, and every chunk between a quarter of
 * and the maximum length (a lone chunk may be shorter), so the depth stays
 * O(log n) and memory stays close to the text's own size (two bytes a code
 * unit, plus the gaps).
 *
 * Each chunk is a gap buffer of code units (see `RopeLeaf`), so an edit never
 * builds a string: a typed key is a store, and an edit elsewhere in the chunk
 * moves at most the chunk's code units. The path to the last chunk touched
 * (with its start offset) is cached, so an edit in or next to it needs no
 * descent from the root, and one farther away climbs only as far as needed.
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
    // What findLeaf found (fields rather than a result object: reads allocate nothing).
    private foundLeaf = EMPTY_LEAF;
    private foundStart = 0;
    private foundLength = 0;
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
            this.buildTree(this.chunkify(initialText));
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
        this.findLeaf(offset);
        return this.foundLeaf.charCodeAt(offset - this.foundStart);
    }

    /**
     * Whether the text at `offset` is exactly `text`: the check of a delete
     * that names its text, compared in place (slice would build a string).
     */
    holdsTextAt(offset: number, text: string): boolean {
        const end = offset + text.length;
        if (!(Number.isInteger(offset) && offset >= 0 && end <= this.textLength)) {
            return false;
        }
        // Chunk by chunk: a text spanning chunks (a long delete) is rare.
        for (let at = offset; at < end;) {
            this.findLeaf(at);
            const inLeaf = at - this.foundStart;
            const part = Math.min(end - at, this.foundLength - inLeaf);
            if (!this.foundLeaf.holdsTextAt(inLeaf, part === text.length ? text : text.slice(at - offset, at - offset + part))) {
                return false;
            }
            at += part;
        }
        return true;
    }

    slice(start: number, end: number): string {
        this.checkIndex('slice', 'start', start, 0, this.textLength);
        this.checkIndex('slice', 'end', end, start, this.textLength);
        if (start === end) {
            return '';
        }
        this.findLeaf(start);
        if (end <= this.foundStart + this.foundLength) {
            return this.foundLeaf.slice(start - this.foundStart, end - this.foundStart);
        }
        const pieces: string[] = [];
        this.collect(this.root, 0, 0, start, end, pieces);
        return pieces.join('');
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
        if (this.textLength === 0) {
            this.surrogatesSeen ||= containsSurrogate(text);
            this.buildTree(this.chunkify(text));
            return;
        }
        // The end offset counts as inside the cached chunk: typing at its end appends to it.
        if (!this.cacheValid || offset < this.leafStart || offset > this.leafStart + this.leafParent.childLengths[this.leafIndex]) {
            this.locate(offset);
        }
        const newLength = this.leafParent.childLengths[this.leafIndex] + count;
        if (newLength > this.maxChunk) {
            this.insertSplittingLeaf(offset, text);
            return;
        }
        const leaf = this.leafParent.children[this.leafIndex] as RopeLeaf;
        if (leaf.insert(offset - this.leafStart, text, this.grownCapacity(leaf, newLength))) {
            this.surrogatesSeen = true;
        }
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
        if (remainingLength === 0 && this.isSoleLeaf()) {
            this.clear();
            return;
        }
        (this.leafParent.children[this.leafIndex] as RopeLeaf).delete(offset - this.leafStart, count);
        this.addAlongPath(-count);
        if (remainingLength < this.minChunk && !this.isSoleLeaf()) {
            this.rebalanceFrom(this.height - 1);
        }
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
     * occupancy, uniform depth and the cached path. Changes nothing.
     */
    checkInvariants(): RopeShape {
        const soleLeaf = this.isSoleLeaf();
        let chunkCount = 0;
        let stringChunks = 0;
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
                    if (!(child instanceof RopeLeaf)) {
                        throw invariantError(`inner node where a chunk belongs, at depth ${depth + 1}`);
                    }
                    length = child.length;
                    if (length === 0 || length > this.maxChunk || (length < this.minChunk && !soleLeaf)) {
                        throw invariantError(`chunk ${chunkCount} has length ${length}, outside [${this.minChunk}, ${this.maxChunk}]`);
                    }
                    if (child.capacity > this.maxChunk) {
                        throw invariantError(`chunk ${chunkCount} has room for ${child.capacity} code units, more than ${this.maxChunk}`);
                    }
                    if (isHighSurrogate(previousCode) && isLowSurrogate(child.charCodeAt(0))) {
                        boundariesInsidePairs++;
                    }
                    previousCode = child.charCodeAt(length - 1);
                    chunkCount++;
                    stringChunks += child.holdsString ? 1 : 0;
                } else {
                    if (child instanceof RopeLeaf) {
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
        return { height: this.height, chunkCount, chunkBoundariesInsidePairs: boundariesInsidePairs, stringChunks };
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

    private checkIndex(method: string, name: string, value: number, min: number, max: number): void {
        if (!(Number.isInteger(value) && value >= min && value <= max)) {
            throw new RangeError(`RopeTextBuffer.${method}: ${name} ${String(value)} is not an integer in [${min}, ${max}]`);
        }
    }

    private isSoleLeaf(): boolean {
        return this.height === 1 && this.root.children.length === 1;
    }

    // --- Chunk sizes ------------------------------------------------------------

    /**
     * Room for a chunk of `length` units when it is made: an eighth more (at
     * least 16), for typing without reallocating, within the maximum.
     */
    private initialCapacity(length: number): number {
        return Math.min(this.maxChunk, length + Math.max(16, length >> 3));
    }

    /** Room for `leaf` once it holds `length` units: half as much again when it must grow, so that growth reallocates O(log) times. */
    private grownCapacity(leaf: RopeLeaf, length: number): number {
        const capacity = leaf.capacity;
        return capacity >= length ? capacity : Math.min(this.maxChunk, Math.max(length, capacity + (capacity >> 1)));
    }

    // --- Building -----------------------------------------------------------

    /**
     * Cuts `before + text + after` into chunks of at most `buildChunk` units,
     * evenly, never inside a surrogate pair, without building that string:
     * each chunk holds a slice of `text` (see RopeLeaf), the first and last
     * with `before` and `after` (the rest of a chunk the text went into)
     * joined to them, so that a long paste costs its chunks, not its length.
     * Chunks of a longer text are each at least buildChunk / 2 - 1 >= minChunk
     * long.
     */
    private chunkify(text: string, before = '', after = ''): RopeLeaf[] {
        const head = before.length;
        const tail = head + text.length;
        const length = tail + after.length;
        const piece = (start: number, end: number): string =>
            (start < head ? before.slice(start, Math.min(end, head)) : '')
            + (start < tail && end > head ? text.slice(Math.max(start, head) - head, Math.min(end, tail) - head) : '')
            + (end > tail ? after.slice(Math.max(start, tail) - tail, end - tail) : '');
        if (length <= this.buildChunk) {
            return [RopeLeaf.fromString(piece(0, length))];
        }
        const codeAt = (offset: number): number =>
            offset < head ? before.charCodeAt(offset) : offset < tail ? text.charCodeAt(offset - head) : after.charCodeAt(offset - tail);
        const count = Math.ceil(length / this.buildChunk);
        const chunks: RopeLeaf[] = [];
        let start = 0;
        for (let i = 1; i <= count; i++) {
            const end = i < count ? cutOutsidePair(Math.floor(i * length / count), codeAt) : length;
            chunks.push(RopeLeaf.fromString(piece(start, end)));
            start = end;
        }
        return chunks;
    }

    /** Stacks levels of evenly filled nodes over `chunks`: O(number of chunks). */
    private buildTree(chunks: RopeLeaf[]): void {
        let level: RopeChild[] = chunks;
        let lengths = lengthsOf(chunks);
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
    }

    // --- Finding a chunk -----------------------------------------------------

    /** Points the cache at the chunk holding `offset` (the last chunk for offset === length). Needs a non-empty text. */
    private locate(offset: number): void {
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
    }

    /**
     * Sets foundLeaf, foundStart and foundLength to the chunk holding `offset`
     * (in [0, length)), without moving the cache: reads (surrogate checks,
     * deleted texts) often land just outside the cached chunk, and moving the
     * cache there would make the next edit climb back.
     */
    private findLeaf(offset: number): void {
        if (this.cacheValid && offset >= this.leafStart && offset < this.leafStart + this.leafParent.childLengths[this.leafIndex]) {
            this.foundLeaf = this.leafParent.children[this.leafIndex] as RopeLeaf;
            this.foundStart = this.leafStart;
            this.foundLength = this.leafParent.childLengths[this.leafIndex];
            return;
        }
        let node = this.root;
        let start = 0;
        for (let depth = 1; ; depth++) {
            const lengths = node.childLengths;
            let index = 0;
            while (offset >= start + lengths[index]) {
                start += lengths[index];
                index++;
            }
            if (depth === this.height) {
                this.foundLeaf = node.children[index] as RopeLeaf;
                this.foundStart = start;
                this.foundLength = lengths[index];
                return;
            }
            node = node.children[index] as Branch;
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

    /** Pushes the pieces of [start, end) under `node` (whose text starts at nodeStart) onto `out`. */
    private collect(node: Branch, nodeStart: number, depth: number, start: number, end: number, out: string[]): void {
        const lengths = node.childLengths;
        const bottom = depth === this.height - 1;
        let childStart = nodeStart;
        for (let index = 0; index < lengths.length && childStart < end; index++) {
            const childEnd = childStart + lengths[index];
            if (childEnd > start) {
                if (bottom) {
                    out.push((node.children[index] as RopeLeaf).slice(Math.max(start - childStart, 0), Math.min(end, childEnd) - childStart));
                } else {
                    this.collect(node.children[index] as Branch, childStart, depth + 1, start, end, out);
                }
            }
            childStart = childEnd;
        }
    }

    // --- Structural changes ----------------------------------------------------
    // Each leaves the cache invalid.

    /**
     * Inserts into the cached chunk when the result would be too long for one
     * chunk. A short text goes into one half of the chunk split in two (one
     * new array); a longer one is cut into chunks, with the chunk's text
     * around it, that hold slices of the string (see RopeLeaf): its code
     * units are not copied.
     */
    private insertSplittingLeaf(offset: number, text: string): void {
        this.surrogatesSeen ||= containsSurrogate(text);
        const leaf = this.leafParent.children[this.leafIndex] as RopeLeaf;
        const length = this.leafParent.childLengths[this.leafIndex];
        const inLeaf = offset - this.leafStart;
        const count = text.length;
        if (count <= this.maxChunk >> 2) {
            // The chunk was over three quarters full, so each half keeps at least
            // 3/8 of the maximum (less one for a pair), over the minimum of a quarter.
            const half = cutOutsidePair(length >> 1, offset => leaf.charCodeAt(offset));
            const intoRight = inLeaf > half;
            const right = leaf.splitOff(half, this.initialCapacity(length - half + (intoRight ? count : 0)));
            const target = intoRight ? right : leaf;
            const targetLength = intoRight ? length - half : half;
            target.insert(intoRight ? inLeaf - half : inLeaf, text, this.grownCapacity(target, targetLength + count));
            this.replaceLeaf([leaf, right], count);
            return;
        }
        this.replaceLeaf(this.chunkify(text, leaf.slice(0, inLeaf), leaf.slice(inLeaf, length)), count);
    }

    /**
     * Replaces the cached chunk by `pieces`, whose total length is the old
     * chunk's plus `delta`, splitting every node that overflows on the way up
     * and adding levels above the root as needed. Any number of pieces works,
     * so a paste of many MB costs O(its chunks), not O(chunks x depth).
     */
    private replaceLeaf(pieces: RopeLeaf[], delta: number): void {
        let replacement: RopeChild[] | undefined = pieces;
        let replacementLengths = lengthsOf(pieces);
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

    /**
     * Deletes a range that spans chunks (the cache holds offset's chunk): trims
     * the first chunk's tail, then removes the largest whole subtree starting at
     * offset again and again (each removal leaves at most one node one child
     * short, fixed by the usual B-tree merge), then trims the last chunk's head.
     * That is O(depth x fan-out) removals however long the range.
     */
    private deleteAcrossLeaves(offset: number, count: number): void {
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
            const removed = this.leafParent.childLengths[this.leafIndex] - keep;
            (this.leafParent.children[this.leafIndex] as RopeLeaf).delete(keep, removed);
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
                const kept = length - remaining;
                (node.children[index] as RopeLeaf).delete(0, remaining);
                this.addAlongPath(-remaining);
                remaining = 0;
                if (kept < this.minChunk && !this.isSoleLeaf()) {
                    this.rebalanceFrom(this.height - 1);
                }
            }
        }
        if (firstChunkMayBeShort) {
            this.locate(offset - 1);
            if (this.leafParent.childLengths[this.leafIndex] < this.minChunk && !this.isSoleLeaf()) {
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
            if (parent.children.length < 2 || !this.isUnderfull(parent, index)) {
                break;
            }
            this.mergeOrShare(parent, index > 0 ? index - 1 : index);
        }
        this.collapseRoot();
        this.cacheValid = false;
    }

    private isUnderfull(parent: Branch, index: number): boolean {
        const child = parent.children[index];
        return child instanceof RopeLeaf ? parent.childLengths[index] < this.minChunk : child.children.length < this.minChildren;
    }

    /** Merges children `left` and `left + 1` of `parent`, or evens them out when they would not fit in one. */
    private mergeOrShare(parent: Branch, left: number): void {
        const first = parent.children[left];
        const second = parent.children[left + 1];
        const total = parent.childLengths[left] + parent.childLengths[left + 1];
        if (first instanceof RopeLeaf && second instanceof RopeLeaf) {
            if (total <= this.maxChunk) {
                first.append(second, this.grownCapacity(first, total));
                parent.children.splice(left + 1, 1);
                parent.childLengths.splice(left, 2, total);
            } else {
                // One was short, so each half has at least (maxChunk + 1) / 2 - 1 units.
                const firstLength = parent.childLengths[left];
                const joined = new Uint16Array(total);
                first.copyTo(joined, 0, 0, firstLength);
                second.copyTo(joined, firstLength, 0, total - firstLength);
                const cut = cutOutsidePair(total >> 1, offset => joined[offset]);
                parent.children[left] = RopeLeaf.fromUnits(joined, 0, cut, this.initialCapacity(cut));
                parent.children[left + 1] = RopeLeaf.fromUnits(joined, cut, total, this.initialCapacity(total - cut));
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

/** `cut` (inside a text read through `codeAt`), moved one unit left if it would separate a surrogate pair. */
function cutOutsidePair(cut: number, codeAt: (offset: number) => number): number {
    return cut > 0 && isLowSurrogate(codeAt(cut)) && isHighSurrogate(codeAt(cut - 1)) ? cut - 1 : cut;
}

/** What findLeaf's result fields hold before the first search. */
const EMPTY_LEAF = RopeLeaf.fromString('');

function invariantError(message: string): Error {
    return new Error(`RopeTextBuffer invariant broken: ${message}`);
}

/**
 * The chunks' lengths in a packed array of small integers. Array.map would
 * make a holey one; the tree's length arrays must all be of one kind, or
 * code that reads them is deoptimized whenever it meets the other kind.
 */
function lengthsOf(chunks: readonly RopeLeaf[]): number[] {
    const lengths: number[] = [];
    for (const chunk of chunks) {
        lengths.push(chunk.length);
    }
    return lengths;
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

const surrogate = /[\ud800-\udfff]/;

function containsSurrogate(text: string): boolean {
    if (text.length === 1) {
        return isHighSurrogate(text.charCodeAt(0)) || isLowSurrogate(text.charCodeAt(0));
    }
    return surrogate.test(text);
}
