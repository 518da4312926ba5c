/** Code points in `text`: its UTF-16 length minus one per surrogate pair. */
export function codePointCount(text: string): number {
    let pairs = 0;
    for (let i = 0; i < text.length - 1; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff) {
            const next = text.charCodeAt(i + 1);
            if (next >= 0xdc00 && next <= 0xdfff) {
                pairs++;
                i++;
            }
        }
    }
    return text.length - pairs;
}

/** UTF-16 offset in `text` of code point `cp`, starting from UTF-16 offset `from`. */
function utf16OffsetOf(text: string, cp: number, from = 0): number {
    let offset = from;
    for (let n = 0; n < cp; n++) {
        const c = text.charCodeAt(offset);
        offset += c >= 0xd800 && c <= 0xdbff && offset + 1 < text.length ? 2 : 1;
    }
    return offset;
}

const CHUNK = 4096;

/**
 * A text kept in chunks that each know their length in code points, so that a
 * code-point offset turns into a UTF-16 offset by walking the chunk table
 * instead of the whole text. Used only to convert traces that contain
 * characters outside the BMP; a BMP-only trace needs no conversion at all.
 */
export class CodePointText {
    private chunks: string[] = [];
    private points: number[] = [];

    constructor(text: string) {
        this.replaceChunks(0, 0, text);
    }

    /** UTF-16 offset of code point offset `cp`. */
    toUtf16(cp: number): number {
        let offset = 0;
        for (let i = 0; i < this.chunks.length; i++) {
            if (cp <= this.points[i]) {
                return offset + utf16OffsetOf(this.chunks[i], cp);
            }
            cp -= this.points[i];
            offset += this.chunks[i].length;
        }
        if (cp > 0) {
            throw new RangeError('code point offset past the end of the text');
        }
        return offset;
    }

    /** Replaces `deleteCount` UTF-16 code units at UTF-16 offset `at` with `text`. */
    splice(at: number, deleteCount: number, text: string): void {
        let first = 0;
        let start = 0;
        while (first < this.chunks.length - 1 && start + this.chunks[first].length < at) {
            start += this.chunks[first].length;
            first++;
        }
        let end = first;
        let joined = '';
        let covered = start;
        do {
            joined += this.chunks[end] ?? '';
            covered += this.chunks[end]?.length ?? 0;
            end++;
        } while (covered < at + deleteCount && end < this.chunks.length);
        const local = at - start;
        this.replaceChunks(first, end - first, joined.slice(0, local) + text + joined.slice(local + deleteCount));
    }

    getText(): string {
        return this.chunks.join('');
    }

    private replaceChunks(index: number, count: number, text: string): void {
        const chunks: string[] = [];
        for (let i = 0; i < text.length;) {
            let end = Math.min(text.length, i + CHUNK);
            const last = text.charCodeAt(end - 1);
            if (end < text.length && last >= 0xd800 && last <= 0xdbff) {
                end++; // keep a surrogate pair in one chunk
            }
            chunks.push(text.slice(i, end));
            i = end;
        }
        this.chunks.splice(index, count, ...chunks);
        this.points.splice(index, count, ...chunks.map(codePointCount));
    }
}
