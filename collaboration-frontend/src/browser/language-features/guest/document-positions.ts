import { invert, transformPosition, type TextOperation } from '@ensemble/collaboration-common';
import type { OffsetRange } from '../language-messages';

/** What a guest's shared document tells about its text: the host revision it holds and its own edits not yet acknowledged. */
export interface RevisionedDocument {
    readonly revision: number;
    readonly pendingOp: TextOperation | undefined;
}

/**
 * The guest's text is the text of `revision` with its pending edits
 * applied. An offset in it is moved back past those edits (what the host
 * can understand: its text at `revision`, plus whatever it applied since).
 */
export function toRevisionOffset(document: RevisionedDocument, offset: number): { revision: number; offset: number } {
    const pending = document.pendingOp;
    return { revision: document.revision, offset: pending ? transformPosition(offset, invert(pending)) : offset };
}

/**
 * A range of the host's answer, computed on the text of `answerRevision`,
 * in the guest's text now: moved past the guest's pending edits. Undefined
 * when the guest holds another revision (the answer is about a text the
 * guest does not have: better no range than a wrong one).
 */
export function toGuestRange(document: RevisionedDocument, answerRevision: number | undefined, range: OffsetRange): OffsetRange | undefined {
    if (answerRevision === undefined || answerRevision !== document.revision) {
        return undefined;
    }
    const pending = document.pendingOp;
    if (!pending) {
        return range;
    }
    // The range keeps to its text: an insert at its start goes before it, one at its end after it.
    const start = transformPosition(range.start, pending, range.start < range.end);
    return { start, end: Math.max(start, transformPosition(range.end, pending)) };
}

/**
 * Waits (briefly) until the guest holds `revision`: an answer usually
 * arrives just after the broadcasts of the edits it already includes.
 */
export async function waitForRevision(document: RevisionedDocument, revision: number | undefined, timeoutMs = 1000, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (revision !== undefined && document.revision < revision && Date.now() < deadline && !signal?.aborted) {
        await new Promise(resolve => setTimeout(resolve, 20));
    }
}
