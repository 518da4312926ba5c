import type { CollaborationSession } from '@ensemble/collaboration-common';
import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { documentKey } from '../document-key';
import { DocumentChecksum, OpApplied } from '../editor-sync-messages';
import type { EditorSyncMetrics } from '../editor-sync-metrics';
import { GuestDocument, type GuestDocumentOptions } from './guest-document';

/**
 * A guest's shared documents in one session: routes the host's broadcasts
 * to them by key, suspends them when the connection drops and catches them
 * up when it is back (the application-level resync, whether or not
 * socket.io recovered the connection).
 */
export class GuestDocuments implements Disposable {
    private readonly documents = new Map<string, GuestDocument>();
    private readonly toDispose = new DisposableCollection();

    constructor(readonly session: CollaborationSession, private readonly metrics: EditorSyncMetrics,
        private readonly options: Pick<GuestDocumentOptions, 'requestTimeoutMs'> = {}) {
        this.toDispose.push(session.onBroadcast(OpApplied, ({ doc, ...applied }) => this.documents.get(doc)?.receive(applied)));
        this.toDispose.push(session.onBroadcast(DocumentChecksum, ({ doc, revision, length, hash }) => this.documents.get(doc)?.receiveChecksum(revision, length, hash)));
        this.toDispose.push(session.onDisconnect(() => this.documents.forEach(document => document.suspend())));
        this.toDispose.push(session.onReconnect(({ recovered }) => this.documents.forEach(document => {
            void document.catchUp(false, recovered ? 'reconnected' : 'reconnected without the missed messages');
        })));
        // The host is back after being away: it may have reloaded its window and lost what it knew of this guest.
        this.toDispose.push(session.onPeerJoined(peer => {
            if (peer.role === 'host') {
                this.documents.forEach(document => { void document.catchUp(false, 'the host is back'); });
            }
        }));
    }

    get all(): readonly GuestDocument[] {
        return [...this.documents.values()];
    }

    get(target: SharedPath): GuestDocument | undefined {
        return this.documents.get(documentKey(target));
    }

    /** Opens a shared file: resolves with the document and the text to create the model from. */
    async open(target: SharedPath, onProgress?: GuestDocumentOptions['onProgress']): Promise<{ document: GuestDocument; text: string }> {
        const key = documentKey(target);
        if (this.documents.has(key)) {
            throw new Error(`${target.root}/${target.path} is open already in this window.`);
        }
        const document = new GuestDocument({ session: this.session, key, target, metrics: this.metrics, onProgress, ...this.options });
        this.documents.set(key, document);
        try {
            const text = await document.open();
            return { document, text };
        } catch (error) {
            this.close(document);
            throw error;
        }
    }

    close(document: GuestDocument): void {
        if (this.documents.get(document.key) === document) {
            this.documents.delete(document.key);
        }
        document.dispose();
    }

    dispose(): void {
        this.toDispose.dispose();
        for (const document of this.documents.values()) {
            document.dispose();
        }
        this.documents.clear();
    }
}
