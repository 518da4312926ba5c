import { readFileSync } from 'fs';
import { basename } from 'path';
import { gunzipSync } from 'zlib';
import { codePointCount, CodePointText } from './code-point-text';

/** One patch of a trace, in UTF-16 code units (Ensemble, ot.js, yjs) and in code points (ot-text-unicode). */
export interface Edit {
    /** UTF-16 offset of the edit. */
    readonly at: number;
    /** UTF-16 code units deleted at `at`. */
    readonly deleteCount: number;
    readonly insert: string;
    /** UTF-16 length of the document before the edit. */
    readonly docLength: number;
    /** The offset and delete count in code points, as the trace records them. */
    readonly cpAt: number;
    readonly cpDeleteCount: number;
}

export interface Trace {
    readonly name: string;
    readonly startContent: string;
    readonly endContent: string;
    /** Every patch of every transaction, in order. */
    readonly edits: readonly Edit[];
    /** No character outside the BMP anywhere: code points equal UTF-16 code units. */
    readonly bmpOnly: boolean;
}

type Patch = [number, number, string];

interface TraceFile {
    startContent: string;
    endContent: string;
    txns: { patches: Patch[] }[];
}

const ASTRAL = /[\ud800-\udfff]/;

/** Reads a gzipped editing trace and converts its code-point positions to UTF-16 offsets. */
export function loadTrace(file: string): Trace {
    const data = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as TraceFile;
    const patches = data.txns.flatMap(txn => txn.patches);
    const bmpOnly = !ASTRAL.test(data.startContent) && patches.every(p => !ASTRAL.test(p[2]));
    const edits = bmpOnly ? bmpEdits(data.startContent, patches) : convertedEdits(data.startContent, patches);
    return { name: basename(file).replace(/\.json\.gz$/, ''), startContent: data.startContent, endContent: data.endContent, edits, bmpOnly };
}

/** Without surrogates, code points are code units: only the lengths need tracking. */
function bmpEdits(start: string, patches: Patch[]): Edit[] {
    let length = start.length;
    return patches.map(([at, deleteCount, insert]) => {
        const edit = { at, deleteCount, insert, docLength: length, cpAt: at, cpDeleteCount: deleteCount };
        length += insert.length - deleteCount;
        return edit;
    });
}

function convertedEdits(start: string, patches: Patch[]): Edit[] {
    const text = new CodePointText(start);
    let length = start.length;
    return patches.map(([cpAt, cpDeleteCount, insert]) => {
        const at = text.toUtf16(cpAt);
        const deleteCount = text.toUtf16(cpAt + cpDeleteCount) - at;
        text.splice(at, deleteCount, insert);
        const edit = { at, deleteCount, insert, docLength: length, cpAt, cpDeleteCount };
        length += insert.length - deleteCount;
        return edit;
    });
}

/** Throws unless a replay produced the trace's final text. */
export function checkFinalText(trace: Trace, who: string, text: string): void {
    if (text !== trace.endContent) {
        let i = 0;
        while (i < text.length && text.charCodeAt(i) === trace.endContent.charCodeAt(i)) {
            i++;
        }
        throw new Error(`${who} on ${trace.name}: final text differs from endContent at offset ${i} `
            + `(${text.length} vs ${trace.endContent.length} code units, ${codePointCount(text)} code points)`);
    }
}
