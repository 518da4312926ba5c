import { invert, transformSelection, type TextOperation } from '@ensemble/collaboration-common';
import type { OffsetSelection } from './selection-messages';

/** One peer's selections in one document, in the receiver's current text. */
export interface RemoteSelectionEntry {
    readonly peerId: string;
    readonly doc: string;
    readonly selections: readonly OffsetSelection[];
    /** When the peer last sent them (ms, the store's clock): for the name label shown briefly after a move. */
    readonly movedAt: number;
}

/** How stale a received selection may be: operations since its revision, or undefined when they are not known. */
export type OpsSince = (doc: string, revision: number, currentRevision: number) => readonly TextOperation[] | undefined;

/** Where the receiver's text of a document stands when a selection arrives. */
export interface DocumentPlace {
    /** The authority's revision the receiver's text is based on. */
    readonly revision: number;
    /** The receiver's own edits not yet acknowledged (a guest's; in its text, on top of `revision`). */
    readonly pending?: TextOperation;
    /** The length of the receiver's text (UTF-16 code units). */
    readonly length: number;
}

/** What became of a received selection. */
export type ReceiveResult =
    /** Stored in the receiver's text (or removed, for an empty list). */
    | 'placed'
    /** Too old: the operations since its revision are not known any more. Not shown. */
    | 'dropped'
    /** The sender is ahead (operations still on their way here): held until `placeWaiting` finds the receiver there. */
    | 'waiting';

interface WaitingSelection {
    readonly revision: number;
    readonly selections: readonly OffsetSelection[];
}

/**
 * The other peers' selections per document, kept in the receiver's text:
 * a received selection is moved over the operations the authority applied
 * since the revision it refers to, then over the receiver's own pending
 * edits (a guest's text is the authority's plus those), then over every
 * edit of the receiver's model as it happens, so it never drifts while
 * people type. A selection from a sender ahead of the receiver waits until
 * the receiver has caught up with that revision. Remote selections are
 * never the author's own edits, so a concurrent insert at a remote caret
 * leaves it before the inserted text (isOwnOp false).
 */
export class RemoteSelections {
    private readonly entries = new Map<string, Map<string, RemoteSelectionEntry>>();
    /** Per document, per peer: the latest selection from a sender ahead of this window. */
    private readonly waiting = new Map<string, Map<string, WaitingSelection>>();

    constructor(private readonly opsSince: OpsSince, private readonly now: () => number = Date.now) { }

    /** Stores a received selection in the receiver's text at `here`. */
    receive(peerId: string, doc: string, revision: number, selections: readonly OffsetSelection[], here: DocumentPlace): ReceiveResult {
        this.waiting.get(doc)?.delete(peerId); // a newer message from the peer replaces a waiting one
        if (selections.length === 0) {
            this.remove(peerId, doc);
            return 'placed';
        }
        if (revision > here.revision) {
            let perDoc = this.waiting.get(doc);
            if (!perDoc) {
                perDoc = new Map();
                this.waiting.set(doc, perDoc);
            }
            perDoc.set(peerId, { revision, selections });
            return 'waiting';
        }
        const placed = this.place(doc, revision, selections, here);
        if (!placed) {
            return 'dropped';
        }
        let perDoc = this.entries.get(doc);
        if (!perDoc) {
            perDoc = new Map();
            this.entries.set(doc, perDoc);
        }
        perDoc.set(peerId, { peerId, doc, selections: placed, movedAt: this.now() });
        return 'placed';
    }

    /** The receiver advanced: places the waiting selections it has caught up with; returns the peers whose selection changed. */
    placeWaiting(doc: string, here: DocumentPlace): string[] {
        const perDoc = this.waiting.get(doc);
        const ready = [...perDoc ?? []].filter(([, waiting]) => waiting.revision <= here.revision);
        for (const [peerId, waiting] of ready) {
            this.receive(peerId, doc, waiting.revision, waiting.selections, here);
        }
        if (perDoc?.size === 0) {
            this.waiting.delete(doc);
        }
        return ready.map(([peerId]) => peerId);
    }

    /** Selections at `revision` in the receiver's text, or undefined when the operations since are not known. */
    private place(doc: string, revision: number, selections: readonly OffsetSelection[], here: DocumentPlace): OffsetSelection[] | undefined {
        let moved = [...selections];
        if (revision < here.revision) {
            const ops = this.opsSince(doc, revision, here.revision);
            if (!ops) {
                return undefined;
            }
            for (const op of ops) {
                moved = moved.map(selection => move(selection, op));
            }
        }
        const pending = here.pending;
        if (pending) {
            moved = moved.map(selection => move(selection, pending));
        }
        // A log that does not match the text (a bug elsewhere): clamp rather than point past the end.
        return moved.map(({ anchor, head }) => ({ anchor: Math.min(anchor, here.length), head: Math.min(head, here.length) }));
    }

    /** An edit reached this document's model (anyone's): moves every stored selection over it. */
    applyOp(doc: string, op: TextOperation): void {
        const perDoc = this.entries.get(doc);
        if (!perDoc) {
            return;
        }
        for (const [peerId, entry] of perDoc) {
            perDoc.set(peerId, { ...entry, selections: entry.selections.map(selection => move(selection, op)) });
        }
    }

    get(doc: string): readonly RemoteSelectionEntry[] {
        return [...this.entries.get(doc)?.values() ?? []];
    }

    remove(peerId: string, doc?: string): void {
        for (const [key, perDoc] of this.waiting) {
            if (doc === undefined || key === doc) {
                perDoc.delete(peerId);
            }
        }
        for (const [key, perDoc] of this.entries) {
            if (doc === undefined || key === doc) {
                perDoc.delete(peerId);
                if (perDoc.size === 0) {
                    this.entries.delete(key);
                }
            }
        }
    }

    /** The documents that show at least one of the peer's selections. */
    docsOf(peerId: string): string[] {
        return [...this.entries].filter(([, perDoc]) => perDoc.has(peerId)).map(([doc]) => doc);
    }

    clear(): void {
        this.entries.clear();
        this.waiting.clear();
    }
}

/**
 * A sender's selections (in its text: the revision's plus its own `pending`
 * edits) in the text at the revision, which is what a selection message
 * refers to. Everything outside the pending edits keeps its place exactly;
 * an end inside text the sender inserted but the authority has not
 * acknowledged yet moves to where that text is inserted, which is where the
 * others will see it appear. So a guest typing without pause publishes where
 * it types instead of waiting for a moment without unacknowledged edits.
 * `pending` must carry its deleted texts (OTClient's does).
 */
export function selectionsAtRevision(selections: readonly OffsetSelection[], pending: TextOperation | undefined): OffsetSelection[] {
    if (!pending) {
        return [...selections];
    }
    const back = invert(pending);
    return selections.map(selection => move(selection, back));
}

function move(selection: OffsetSelection, op: TextOperation): OffsetSelection {
    const [anchor, head] = transformSelection([selection.anchor, selection.head] as const, op, false);
    return { anchor, head };
}

/**
 * The last operations applied to each document by revision (the revision
 * an operation produced), enough to move a selection that was sent a few
 * revisions ago; older ones are dropped.
 */
export class RecentOps {
    private readonly logs = new Map<string, Array<{ revision: number; op: TextOperation }>>();

    constructor(private readonly keep = 200) { }

    record(doc: string, revision: number, op: TextOperation): void {
        let log = this.logs.get(doc);
        if (!log) {
            log = [];
            this.logs.set(doc, log);
        }
        if (log.length > 0 && log[log.length - 1].revision >= revision) {
            return; // a duplicate (catch-up replay)
        }
        log.push({ revision, op });
        if (log.length > this.keep) {
            log.splice(0, log.length - this.keep);
        }
    }

    /** The operations after `revision` up to the newest recorded, or undefined if some are missing. */
    since(doc: string, revision: number, current: number): TextOperation[] | undefined {
        if (revision >= current) {
            return [];
        }
        const log = this.logs.get(doc) ?? [];
        const ops = log.filter(entry => entry.revision > revision && entry.revision <= current);
        return ops.length === current - revision ? ops.map(entry => entry.op) : undefined;
    }

    forget(doc: string): void {
        this.logs.delete(doc);
    }
}
