import type { CollaborationSession } from '@ensemble/collaboration-common';
import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import { HostWorkspaceService } from '@ensemble/collaboration-backend/lib/common/workspace-sharing-protocol';
import type { Disposable } from '@theia/core/lib/common/disposable';
import { inject, injectable } from '@theia/core/shared/inversify';
import { MonacoTextModelService } from '@theia/monaco/lib/browser/monaco-text-model-service';
import { GuestFileReads } from './guest-file-reads';
import { HostWorkspaceSharing } from '../../workspace/host/host-workspace-sharing';
import { LargeDocumentEditors } from '../large-document-editors';
import { MonacoEditors } from '../monaco-editors';
import { registerHostEditorHandlers, type AcquiredModel, type HostEditorHandlers } from './host-editor-handlers';

/**
 * The host window's editor sync: a guest's `editor/open` acquires the host's
 * own Monaco model of the file (the one the host's editor shows, or a new
 * one) after the host backend confirmed that the guest may read the path
 * (shared, not excluded, confined); the model is released when the last
 * guest closes the document.
 */
@injectable()
export class HostEditorSync {
    @inject(HostWorkspaceSharing) protected readonly sharing!: HostWorkspaceSharing;
    @inject(HostWorkspaceService) protected readonly backend!: HostWorkspaceService;
    @inject(MonacoTextModelService) protected readonly textModels!: MonacoTextModelService;
    @inject(MonacoEditors) protected readonly editors!: MonacoEditors;
    @inject(LargeDocumentEditors) protected readonly largeDocuments!: LargeDocumentEditors;
    @inject(GuestFileReads) protected readonly guestReads!: GuestFileReads;

    private handlers: HostEditorHandlers | undefined;

    /** The documents guests have open right now (for tests and diagnostics). */
    get documents(): HostEditorHandlers['documents'] | undefined {
        return this.handlers?.documents;
    }

    start(session: CollaborationSession): Disposable {
        const handlers = registerHostEditorHandlers(session, { acquire: (target, peerId) => this.acquire(session, target, peerId) });
        this.handlers = handlers;
        return {
            dispose: () => {
                if (this.handlers === handlers) {
                    this.handlers = undefined;
                }
                handlers.dispose();
            }
        };
    }

    protected async acquire(session: CollaborationSession, target: SharedPath, peerId: string): Promise<AcquiredModel> {
        const role = session.peers.get(peerId)?.role;
        if (role !== 'read-write' && role !== 'read-only') {
            throw new Error('The host does not know you as a participant (any more); rejoin the session.');
        }
        const stat = await this.backend.stat({ peerId, role }, target);
        if (!stat.ok) {
            throw new Error(stat.error.message);
        }
        if (stat.value.type !== 'file') {
            throw new Error(`${target.path || target.root} is not a file.`);
        }
        const uri = this.sharing.toFileUri(target);
        if (!uri) {
            throw new Error(`The host no longer shares the folder ${target.root}.`);
        }
        const reading = this.guestReads.begin(uri);
        let reference: Awaited<ReturnType<MonacoTextModelService['createModelReference']>>;
        try {
            reference = await this.textModels.createModelReference(uri);
        } finally {
            reading.dispose();
        }
        const editorModel = reference.object;
        const model = editorModel.textEditorModel;
        // While guests edit it, a large document's editors skip the whole-document features that would stall typing.
        const limited = this.largeDocuments.track(model);
        return {
            model,
            editors: () => this.editors.showing(model),
            // Theia's save with nothing changed still rewrites the whole file (a manual save always writes); a
            // guest's auto-save after the host's own one would make the host's backend rewrite a 50 MB file for nothing.
            save: async () => {
                if (editorModel.dirty) {
                    await editorModel.save();
                }
            },
            release: () => {
                limited.dispose();
                reference.dispose();
            }
        };
    }
}
