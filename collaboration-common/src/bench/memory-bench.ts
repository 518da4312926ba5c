import JumpRope = require('jumprope');
import { makeInvertible } from '../ot/apply';
import { DocumentAuthority } from '../ot/document-authority';
import { OperationLog } from '../ot/operation-log';
import { RopeTextBuffer } from '../ot/rope-text-buffer';
import { fromSplice } from '../ot/splice';
import { collectGarbage } from './clock';
import { Trace } from './trace';

export interface MemoryResult {
    /** UTF-8 bytes of the document (its length for ASCII text). */
    readonly documentBytes: number;
    readonly logMaxOps: number;
    readonly logMaxBytes: number;
    /** Operations and estimated bytes in the log once full. */
    readonly logOps: number;
    readonly logBytes: number;
    /** Memory growth (JavaScript heap plus ArrayBuffer stores), after garbage collection, for the authority with its full log. */
    readonly authorityBytes: number;
    /** The same for a jumprope holding the document, as a peer figure. */
    readonly jumpropeBytes: number;
}

/**
 * The JavaScript heap plus ArrayBuffer stores: RopeTextBuffer keeps its text
 * in typed arrays, whose stores live outside the heap that heapUsed counts.
 */
function memoryUsed(): number {
    collectGarbage();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
}

/**
 * The authority for a document built from `makeText`, its log filled to its
 * default bound with the trace's edits as clients send them (deletes carry
 * their text), laid over the middle of the document. The text is made inside
 * so that nothing but the authority keeps it.
 */
function buildAuthority(makeText: () => string, trace: Trace): DocumentAuthority {
    const authority = new DocumentAuthority(new RopeTextBuffer(makeText()));
    const middle = authority.buffer.length >> 1;
    let seq = 0;
    // The log is at its bound once it starts trimming its oldest entries.
    for (let i = 0; authority.oldestLoggedRevision === 0; i++) {
        const e = trace.edits[i % trace.edits.length];
        const length = authority.buffer.length;
        const op = makeInvertible(fromSplice(length, middle + e.at, e.deleteCount, e.insert), authority.buffer);
        const reply = authority.receive({ clientId: 'writer', seq: ++seq, revision: authority.revision, op });
        if (reply.type !== 'applied') {
            throw new Error(`memory benchmark: edit ${i} was answered with ${reply.type}`);
        }
    }
    return authority;
}

/** Heap taken by the authority of a document from `makeText` with a full log, and by a jumprope of the same text. */
export function measureMemory(makeText: () => string, trace: Trace): MemoryResult {
    const defaults = new OperationLog(0);
    const documentBytes = Buffer.byteLength(makeText(), 'utf8');

    const beforeAuthority = memoryUsed();
    const authority = buildAuthority(makeText, trace);
    const authorityBytes = memoryUsed() - beforeAuthority;
    const logOps = authority.logLength;
    const logBytes = authority.logByteSize;

    const beforeRope = memoryUsed();
    const rope = new JumpRope(makeText());
    const jumpropeBytes = memoryUsed() - beforeRope;
    if (rope.length === 0 || authority.buffer.length === 0) { // also keeps both alive until measured
        throw new Error('memory benchmark: empty document');
    }
    return { documentBytes, logMaxOps: defaults.maxOps, logMaxBytes: defaults.maxBytes, logOps, logBytes, authorityBytes, jumpropeBytes };
}
