import { transformSelection, type TextOperation } from '@ensemble/collaboration-common';
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

/**
 * The other peers' selections per document, kept in the receiver's text:
 * a received selection is first moved over the operations applied since the
 * revision it refers to, then over every edit of the receiver's model as it
 * happens, so it never drifts while people type. Remote selections are
 * never the author's own edits, so a concurrent insert at a remote caret
 * leaves it before the inserted text (isOwnOp false).
 */
export class RemoteSelections {
    private readonly entries = new Map<string, Map<string, RemoteSelectionEntry>>();

    constructor(private readonly opsSince: OpsSince, private readonly now: () => number = Date.now) { }

    /** Stores a received selection; returns false when it cannot be placed (too old, nothing known since) and was dropped. */
    receive(peerId: string, doc: string, revision: number, selections: readonly OffsetSelection[], currentRevision: number, length: number): boolean {
        if (selections.length === 0) {
            this.remove(peerId, doc);
            return true;
        }
        let moved = selections;
        if (revision < currentRevision) {
            const ops = this.opsSince(doc, revision, currentRevision);
            if (!ops) {
                return false;
            }
            for (const op of ops) {
                moved = moved.map(selection => move(selection, op));
            }
        }
        // A sender ahead of us (its ops still in flight) or a stale log: clamp rather than point past the end.
        moved = moved.map(({ anchor, head }) => ({ anchor: Math.min(anchor, length), head: Math.min(head, length) }));
        let perDoc = this.entries.get(doc);
        if (!perDoc) {
            perDoc = new Map();
            this.entries.set(doc, perDoc);
        }
        perDoc.set(peerId, { peerId, doc, selections: moved, movedAt: this.now() });
        return true;
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
    }
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
