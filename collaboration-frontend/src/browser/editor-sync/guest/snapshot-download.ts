import { SNAPSHOT_CHUNK_CHARS } from '../editor-sync-messages';

/** The first chunk of a snapshot as the host sends it, and the id to read the rest with. */
export interface SnapshotStart {
    readonly length: number;
    readonly text: string;
    readonly snapshotId?: string;
}

export interface SnapshotDownloadOptions {
    /** Reads the chunk at `offset` (the host answers up to SNAPSHOT_CHUNK_CHARS, fewer so as not to split a surrogate pair). */
    readonly read: (offset: number) => Promise<string>;
    /** Progress, in code units received of the total. */
    readonly onProgress?: (done: number, total: number) => void;
    /** Requests in flight at once. Default DOWNLOAD_WINDOW. */
    readonly window?: number;
    /** Bytes (UTF-8, as on the wire) the host may send before the pacing starts, and per second after. */
    readonly burstBytes?: number;
    readonly bytesPerSecond?: number;
    readonly now?: () => number;
    readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Requests in flight at once: on a loaded machine every round trip waits
 * for three processes (host page, server, guest page) to be scheduled, and a
 * few requests in flight hide most of that.
 */
export const DOWNLOAD_WINDOW = 3;
/**
 * The coordination server allows a socket 16 MiB in a burst and 8 MiB/s
 * after it, and drops what is above (the request then times out). The
 * download keeps the host's answers at half the burst and three quarters of
 * the rate, leaving room for the host's other messages.
 */
export const DOWNLOAD_BURST_BYTES = 8 * 1024 * 1024;
export const DOWNLOAD_BYTES_PER_SECOND = 6 * 1024 * 1024;

/**
 * Downloads the rest of a snapshot after its first chunk: several chunks
 * in flight, at offsets predicted from full chunks. A chunk the host cut
 * short (it never splits a surrogate pair) moves every later offset by one:
 * the requests in flight are then dropped and the download goes on from the
 * right offset. The request that may read the last chunk goes out alone,
 * after everything before it is in, because the host forgets the snapshot
 * once its last chunk has been read.
 */
export async function downloadSnapshot(start: SnapshotStart, options: SnapshotDownloadOptions): Promise<string> {
    const total = start.length;
    if (start.snapshotId === undefined || start.text.length >= total) {
        return start.text;
    }
    const window = Math.max(1, options.window ?? DOWNLOAD_WINDOW);
    const burst = options.burstBytes ?? DOWNLOAD_BURST_BYTES;
    const rate = options.bytesPerSecond ?? DOWNLOAD_BYTES_PER_SECOND;
    const now = options.now ?? (() => Date.now());
    const sleep = options.sleep ?? (ms => new Promise<void>(resolve => setTimeout(resolve, ms)));
    const began = now();
    const parts = [start.text];
    /** Code units received in order so far: the next chunk must start here. */
    let offset = start.text.length;
    let nextRequest = offset;
    /** Bytes asked for so far (estimated from the chunks received: their UTF-8 size per code unit). */
    let requestedBytes = 0;
    let bytesPerUnit = utf8Bytes(start.text) / Math.max(1, start.text.length) || 1;
    const inFlight = new Map<number, Promise<string>>();
    const dropInFlight = async (): Promise<void> => {
        await Promise.allSettled(inFlight.values());
        inFlight.clear();
        nextRequest = offset;
    };
    while (offset < total) {
        options.onProgress?.(offset, total);
        while (inFlight.size < window && nextRequest < total) {
            const mayBeLast = nextRequest + SNAPSHOT_CHUNK_CHARS >= total;
            if (mayBeLast && (inFlight.size > 0 || nextRequest !== offset)) {
                break;
            }
            const bytes = Math.min(SNAPSHOT_CHUNK_CHARS, total - nextRequest) * bytesPerUnit;
            const wait = (requestedBytes + bytes - burst) / rate * 1000 - (now() - began);
            if (wait > 0 && inFlight.size > 0) {
                break; // over the budget: take an answer first, then see again
            }
            if (wait > 0) {
                await sleep(wait);
            }
            requestedBytes += bytes;
            const request = options.read(nextRequest);
            request.catch(() => undefined); // awaited below, or dropped with the rest
            inFlight.set(nextRequest, request);
            nextRequest += SNAPSHOT_CHUNK_CHARS;
        }
        const expected = inFlight.get(offset);
        if (!expected) {
            await dropInFlight();
            continue;
        }
        inFlight.delete(offset);
        let text: string;
        try {
            text = await expected;
        } catch (error) {
            await Promise.allSettled(inFlight.values());
            throw error;
        }
        if (text.length === 0 || text.length > total - offset) {
            await Promise.allSettled(inFlight.values());
            throw new Error(`The host's snapshot answered ${text.length} characters at ${offset} of ${total}.`);
        }
        parts.push(text);
        offset += text.length;
        bytesPerUnit = Math.max(1, utf8Bytes(text) / text.length);
        if (text.length !== SNAPSHOT_CHUNK_CHARS && offset < total) {
            // Cut short before a surrogate pair: the requests in flight start one code unit too far.
            await dropInFlight();
        }
    }
    options.onProgress?.(total, total);
    return parts.join('');
}

/** UTF-8 bytes of a text (a lone surrogate counts 3, as its replacement character would). */
function utf8Bytes(text: string): number {
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c < 0x80) {
            bytes += 1;
        } else if (c < 0x800) {
            bytes += 2;
        } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
            bytes += 4; // a pair: both code units
            i++;
        } else {
            bytes += 3;
        }
    }
    return bytes;
}
