/** UTF-16 surrogate tests: an offset between a high and a low surrogate splits one character. */
export function isHighSurrogate(code: number): boolean {
    return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code: number): boolean {
    return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * True when `text` has no unpaired surrogate. Same answer as
 * String.prototype.isWellFormed, which is a slow builtin call in Node 20
 * (about 40 ns even for one character): this runs on every insert.
 */
export function isWellFormedText(text: string): boolean {
    if (text.length > 256) {
        return text.isWellFormed();
    }
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0xd800 && code <= 0xdfff) {
            if (code > 0xdbff || i + 1 === text.length || !isLowSurrogate(text.charCodeAt(i + 1))) {
                return false;
            }
            i++;
        }
    }
    return true;
}
