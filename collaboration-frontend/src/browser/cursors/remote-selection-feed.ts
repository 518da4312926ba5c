import type { CollaborationSession, TextOperation } from '@ensemble/collaboration-common';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import { OpApplied } from '../editor-sync/editor-sync-messages';
import { RecentOps, RemoteSelections, type DocumentPlace } from './remote-selections';
import { SelectionChanged, type OffsetSelection } from './selection-messages';

export interface RemoteSelectionFeedOptions {
    readonly session: CollaborationSession;
    readonly isHost: boolean;
    /** Where this window's text of a document stands, or undefined when it does not show the document. */
    readonly place: (doc: string) => DocumentPlace | undefined;
    /** The host's operations after a revision, from its authority (asked on the host only). */
    readonly hostOpsSince: (doc: string, revision: number) => readonly TextOperation[] | undefined;
}

/** Some peer's selections in a document changed (placed, moved by an edit, removed). */
export interface RemoteSelectionChange {
    readonly doc: string;
    /** The peers whose selections were received or placed now (none when an edit moved them all). */
    readonly peerIds: readonly string[];
    /** Of those, the ones this window did not show in the document before (they just opened it, or came back to it). */
    readonly arrived: readonly string[];
}

/**
 * The other peers' selections as they arrive from the session, placed in
 * this window's text: through the host's operations since the revision
 * they were sent at (the host reads them from its authority, a guest
 * records the host's broadcasts) and through a guest's own pending edits.
 * Knows nothing of editors: the window reports where its text stands
 * (`place`) and every edit of it (`applyEdit`).
 */
export class RemoteSelectionFeed implements Disposable {
    readonly selections: RemoteSelections;
    private readonly recentOps = new RecentOps();
    private readonly toDispose = new DisposableCollection();
    private readonly changeEmitter = new Emitter<RemoteSelectionChange>();
    /** Documents whose waiting selections are looked at after the current broadcast's handlers have all run. */
    private readonly retrySoon = new Set<string>();
    readonly onDidChange: Event<RemoteSelectionChange> = this.changeEmitter.event;

    constructor(private readonly options: RemoteSelectionFeedOptions) {
        const { session, isHost } = options;
        this.selections = new RemoteSelections((doc, revision, current) =>
            isHost ? options.hostOpsSince(doc, revision) : this.recentOps.since(doc, revision, current));
        this.toDispose.push(this.changeEmitter);
        if (!isHost) {
            this.toDispose.push(session.onBroadcast(OpApplied, ({ doc, revision, op }) => {
                // A guest's record of the host's operations by revision, to move selections sent at an older one.
                this.recentOps.record(doc, revision, op as TextOperation);
                // Editor sync applies the same broadcast in its own handler: its revision is up to date after this task.
                this.placeWaitingSoon(doc);
            }));
        }
        this.toDispose.push(session.onBroadcast(SelectionChanged, (params, { origin }) => this.receive(origin, params.doc, params.revision, params.selections)));
        this.toDispose.push(session.onPeerLeft(({ peerId }) => this.forgetPeer(peerId)));
        this.toDispose.push(session.onStatusExpired(({ peerId }) => this.forgetPeer(peerId)));
    }

    /** An edit of this window's text of `doc` (anyone's, as the model applied it). */
    applyEdit(doc: string, op: TextOperation): void {
        this.selections.applyOp(doc, op);
        this.changeEmitter.fire({ doc, peerIds: [], arrived: [] });
        // Editor sync hears of the same edit from the model (its pending edits include it) once every listener has run.
        this.placeWaitingSoon(doc);
    }

    /** Looks again at the selections from peers that were ahead of this window in `doc`. */
    placeWaiting(doc: string): void {
        const here = this.options.place(doc);
        if (!here) {
            return;
        }
        const before = this.shownPeers(doc);
        const placed = this.selections.placeWaiting(doc, here);
        if (placed.length > 0) {
            this.changeEmitter.fire({ doc, peerIds: placed, arrived: placed.filter(peerId => !before.has(peerId)) });
        }
    }

    dispose(): void {
        this.toDispose.dispose();
        this.selections.clear();
        this.retrySoon.clear();
    }

    private receive(peerId: string, doc: string, revision: number, selections: readonly OffsetSelection[]): void {
        if (peerId === this.options.session.peerId) {
            return;
        }
        const here = this.options.place(doc);
        if (!here) {
            return;
        }
        const known = this.shownPeers(doc).has(peerId);
        if (this.selections.receive(peerId, doc, revision, selections, here) === 'placed') {
            this.changeEmitter.fire({ doc, peerIds: [peerId], arrived: !known && selections.length > 0 ? [peerId] : [] });
        }
    }

    private shownPeers(doc: string): Set<string> {
        return new Set(this.selections.get(doc).map(entry => entry.peerId));
    }

    private placeWaitingSoon(doc: string): void {
        if (this.retrySoon.has(doc)) {
            return;
        }
        this.retrySoon.add(doc);
        queueMicrotask(() => {
            if (this.retrySoon.delete(doc)) {
                this.placeWaiting(doc);
            }
        });
    }

    private forgetPeer(peerId: string): void {
        const docs = this.selections.docsOf(peerId);
        this.selections.remove(peerId);
        docs.forEach(doc => this.changeEmitter.fire({ doc, peerIds: [peerId], arrived: [] }));
    }
}
