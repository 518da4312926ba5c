/**
 * A fast 53-bit hash of a text's UTF-16 code units (cyrb53), for the
 * periodic checksum that tells a peer its copy drifted. Not cryptographic:
 * it only has to make an accidental match of two different texts unlikely.
 */
export function hashText(text: string): string {
    const hasher = new TextHasher(text.length);
    hasher.update(text);
    return hasher.digest();
}

/**
 * cyrb53 fed piece by piece: the same result as `hashText` of the pieces
 * joined, without ever holding the whole text (a 50 MB document is hashed
 * a slice at a time, between other work). The total length goes in first
 * because cyrb53 seeds with it.
 */
export class TextHasher {
    private h1: number;
    private h2: number;
    private fed = 0;

    constructor(private readonly length: number) {
        this.h1 = 0xdeadbeef ^ length;
        this.h2 = 0x41c6ce57 ^ length;
    }

    update(piece: string): void {
        let h1 = this.h1;
        let h2 = this.h2;
        for (let i = 0; i < piece.length; i++) {
            const c = piece.charCodeAt(i);
            h1 = Math.imul(h1 ^ c, 2654435761);
            h2 = Math.imul(h2 ^ c, 1597334677);
        }
        this.h1 = h1;
        this.h2 = h2;
        this.fed += piece.length;
    }

    digest(): string {
        if (this.fed !== this.length) {
            throw new RangeError(`hashed ${this.fed} code units of a text of ${this.length}`);
        }
        let h1 = this.h1;
        let h2 = this.h2;
        h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
        h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
        return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
    }
}
