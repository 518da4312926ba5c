/**
 * Base64 for file chunks on the wire (JSON carries no bytes). Node's Buffer
 * when present (backend tests, Electron), else the browser's btoa/atob.
 * Decoding is strict: a malformed string is refused, not half-decoded.
 */

const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;
const BTOA_SLICE = 0x8000;

interface BufferLike {
    from(data: Uint8Array | string, encoding?: string): Uint8Array & { toString(encoding: string): string };
}

function nodeBuffer(): BufferLike | undefined {
    const candidate = (globalThis as { Buffer?: BufferLike }).Buffer;
    return typeof candidate?.from === 'function' ? candidate : undefined;
}

export function encodeBase64(data: Uint8Array, useBuffer = true): string {
    const buffer = useBuffer ? nodeBuffer() : undefined;
    if (buffer) {
        return buffer.from(data.buffer instanceof ArrayBuffer ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data).toString('base64');
    }
    let binary = '';
    for (let start = 0; start < data.byteLength; start += BTOA_SLICE) {
        binary += String.fromCharCode(...data.subarray(start, start + BTOA_SLICE));
    }
    return btoa(binary);
}

/** Throws an Error naming the problem when `text` is not canonical base64. */
export function decodeBase64(text: string, useBuffer = true): Uint8Array {
    if (text.length % 4 !== 0 || !BASE64_PATTERN.test(text)) {
        throw new Error('the data is not valid base64');
    }
    const buffer = useBuffer ? nodeBuffer() : undefined;
    if (buffer) {
        const decoded = buffer.from(text, 'base64');
        return new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength);
    }
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index++) {
        bytes[index] = binary.charCodeAt(index);
    }
    return bytes;
}

/** Characters of the base64 text for `bytes` bytes. */
export function base64Length(bytes: number): number {
    return Math.ceil(bytes / 3) * 4;
}
