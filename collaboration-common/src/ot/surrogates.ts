/** UTF-16 surrogate tests: an offset between a high and a low surrogate splits one character. */
export function isHighSurrogate(code: number): boolean {
    return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code: number): boolean {
    return code >= 0xdc00 && code <= 0xdfff;
}
