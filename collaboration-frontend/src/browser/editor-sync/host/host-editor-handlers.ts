import type { CollaborationSession } from '@ensemble/collaboration-common';
import { describeSharedPath, type SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { documentKey } from '../document-key';
import { CatchUpDocument, CloseDocument, OpenDocument, ReadSnapshot, SaveDocument, SubmitOp, SubmitOpPart } from '../editor-sync-messages';
import type { SelectionHolder, TextModel } from '../text-model';
import { HostDocument } from './host-document';

/** The host's model of a shared file, held while guests have it open. */
export interface AcquiredModel {
    readonly model: TextModel;
    /** The host's editors showing the model right now. */
    editors(): readonly SelectionHolder[];
    /** Writes the model to the host's disk. */
    save(): Promise<void>;
    /** No guest has the document open any more. */
    release(): void;
}

export interface HostDocumentSource {
    /**
     * The host's model of a shared file, for a guest that asks to open it.
     * Rejects (with a message for the guest) when the path is not shared,
     * excluded, or not a text file.
     */
    acquire(target: SharedPath, peerId: string): Promise<AcquiredModel>;
}

export interface HostEditorHandlers extends Disposable {
    readonly documents: ReadonlyMap<string, HostDocument>;
}

interface Entry {
    readonly ready: Promise<{ document: HostDocument; acquired: AcquiredModel }>;
    document?: HostDocument;
    acquired?: AcquiredModel;
}

/**
 * Answers the guests' editor requests on the host: one HostDocument per
 * shared file that at least one guest has open, released when the last one
 * closes it or leaves. Who asks, and whether they may write, comes from the
 * session's peer list (kept by the server), never from the message.
 */
export function registerHostEditorHandlers(session: CollaborationSession, source: HostDocumentSource, options: { checksumDelayMs?: number } = {}): HostEditorHandlers {
    const entries = new Map<string, Entry>();
    const documents = new Map<string, HostDocument>();

    const canWrite = (peerId: string): boolean => {
        const role = session.peers.get(peerId)?.role;
        return role === 'read-write' || role === 'host';
    };
    const documentOf = (key: string): HostDocument => {
        const document = documents.get(key);
        if (!document) {
            throw new Error('This document is not open on the host (any more); open it again.');
        }
        return document;
    };
    const release = (key: string): void => {
        const entry = entries.get(key);
        if (entry?.document && !entry.document.isOpen) {
            entries.delete(key);
            documents.delete(key);
            entry.document.dispose();
            entry.acquired?.release();
        }
    };

    const toDispose = new DisposableCollection(
        session.onRequest(OpenDocument, async ({ doc, target, clientId }, { origin }) => {
            if (!session.peers.has(origin)) {
                throw new Error('The host does not know you as a participant (any more); rejoin the session.');
            }
            if (documentKey(target) !== doc) {
                throw new Error(`The document key does not match ${describeSharedPath(target)}; update Ensemble on both sides.`);
            }
            let entry = entries.get(doc);
            if (!entry) {
                const created: Entry = {
                    ready: source.acquire(target, origin).then(acquired => {
                        const document = new HostDocument({
                            key: doc, target, session, model: acquired.model, editors: () => acquired.editors(), checksumDelayMs: options.checksumDelayMs
                        });
                        created.document = document;
                        created.acquired = acquired;
                        documents.set(doc, document);
                        return { document, acquired };
                    })
                };
                entry = created;
                entries.set(doc, entry);
                entry.ready.catch(() => entries.delete(doc));
            }
            const { document } = await entry.ready;
            return document.open(origin, clientId);
        }),
        session.onRequest(ReadSnapshot, ({ snapshotId, offset }, { origin }) => {
            for (const document of documents.values()) {
                try {
                    return { text: document.readSnapshot(origin, snapshotId, offset) };
                } catch {
                    // another document's snapshot
                }
            }
            throw new Error(`The snapshot ${snapshotId} is gone (it expired or was read completely); open the document again.`);
        }),
        session.onRequest(SubmitOp, ({ doc, clientId, seq, revision, op }, { origin }) => {
            const document = documents.get(doc);
            if (!document) {
                return { status: 'not-open' as const, reason: 'This document is not open on the host (any more); open it again.' };
            }
            return document.submit(origin, canWrite(origin), { clientId, seq, revision, op });
        }),
        session.onRequest(SubmitOpPart, ({ doc, ...part }, { origin }) => {
            const document = documents.get(doc);
            if (!document) {
                return { status: 'not-open' as const, reason: 'This document is not open on the host (any more); open it again.' };
            }
            return document.submitPart(origin, canWrite(origin), part);
        }),
        session.onRequest(CatchUpDocument, ({ doc, clientId, revision, snapshot }, { origin }) =>
            documentOf(doc).catchUp(origin, clientId, revision, snapshot === true)),
        session.onRequest(SaveDocument, async ({ doc }, { origin }) => {
            if (!canWrite(origin)) {
                return { saved: false, message: 'You joined read-only: the host\'s files cannot be saved from here.' };
            }
            const entry = entries.get(doc);
            if (!entry?.acquired) {
                throw new Error('This document is not open on the host (any more); open it again.');
            }
            await entry.acquired.save();
            return { saved: true };
        }),
        session.onNotification(CloseDocument, ({ doc, clientId }, { origin }) => {
            documents.get(doc)?.close(origin, clientId);
            release(doc);
        }),
        session.onPeerLeft(({ peerId, reason }) => {
            // A guest that only dropped comes back and resumes; one that left or was removed will not.
            if (reason !== 'disconnected') {
                for (const [key, document] of [...documents]) {
                    document.dropPeer(peerId);
                    release(key);
                }
            }
        }),
        Disposable.create(() => {
            for (const entry of entries.values()) {
                entry.document?.dispose();
                entry.acquired?.release();
            }
            entries.clear();
            documents.clear();
        })
    );
    return { documents, dispose: () => toDispose.dispose() };
}
