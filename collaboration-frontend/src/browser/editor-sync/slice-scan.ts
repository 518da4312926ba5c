/**
 * Whole-document work (checksums, comparing the editor with the OT copy)
 * done a slice at a time, one slice per macrotask, so that a keystroke or
 * an incoming operation never waits behind a pass over a 50 MB text: at
 * most behind one slice (about a millisecond). The document may change
 * between slices; `stillValid` says whether the scan still describes the
 * text it started on, and the scan stops as soon as it does not.
 */

/** UTF-16 code units per slice: reading and hashing one takes about a millisecond. */
export const SCAN_SLICE_CHARS = 256 * 1024;

/** Texts up to this long are scanned in one go (no slower than one slice). */
const ONE_GO_CHARS = SCAN_SLICE_CHARS;

export type ScanResult = 'done' | 'stopped' | 'invalidated';

/**
 * Calls `visit(start, end)` for consecutive slices of [0, length), yielding
 * to the event loop between them. Resolves `done` after the last slice,
 * `stopped` when `visit` returned false, `invalidated` when `stillValid`
 * turned false (checked before every slice).
 */
export async function scanInSlices(length: number, stillValid: () => boolean, visit: (start: number, end: number) => boolean,
    sliceChars = SCAN_SLICE_CHARS): Promise<ScanResult> {
    for (let start = 0; start < length || start === 0; start += sliceChars) {
        if (!stillValid()) {
            return 'invalidated';
        }
        const end = Math.min(length, start + sliceChars);
        if (!visit(start, end)) {
            return 'stopped';
        }
        if (end >= length) {
            break;
        }
        if (length > ONE_GO_CHARS) {
            await nextTask();
        }
    }
    return stillValid() ? 'done' : 'invalidated';
}

/** Resolves in a later macrotask, after pending input and network events. */
function nextTask(): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, 0));
}
