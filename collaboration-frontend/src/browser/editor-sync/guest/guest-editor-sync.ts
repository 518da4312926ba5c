import type { CollaborationSession } from '@ensemble/collaboration-common';
import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import { Disposable } from '@theia/core/lib/common/disposable';
import { MessageService } from '@theia/core/lib/common/message-service';
import type { Progress } from '@theia/core/lib/common/message-service-protocol';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationSessionService } from '../../session/collaboration-session-service';
import { EditorSyncMetrics } from '../editor-sync-metrics';
import type { GuestDocument } from './guest-document';
import { GuestDocuments } from './guest-documents';

/** Documents at least this big show their download as progress (UTF-16 code units). */
const PROGRESS_THRESHOLD = 1024 * 1024;

/**
 * A guest window's editor sync: the shared documents of the session it
 * joined. The `ensemble:` editor models (see SharedDocumentModelFactory)
 * open their documents here.
 */
@injectable()
export class GuestEditorSync {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(MessageService) protected readonly messages!: MessageService;
    @inject(EditorSyncMetrics) readonly metrics!: EditorSyncMetrics;

    private current: GuestDocuments | undefined;

    /** Called for every session this window joins as a guest, before it connects. */
    start(session: CollaborationSession): Disposable {
        const documents = new GuestDocuments(session, this.metrics);
        this.current = documents;
        return Disposable.create(() => {
            if (this.current === documents) {
                this.current = undefined;
            }
            documents.dispose();
        });
    }

    get documents(): readonly GuestDocument[] {
        return this.current?.all ?? [];
    }

    find(target: SharedPath): GuestDocument | undefined {
        return this.current?.get(target);
    }

    async open(target: SharedPath): Promise<{ document: GuestDocument; text: string }> {
        const documents = this.current;
        if (!documents) {
            throw new Error('This window is not in a collaboration session (any more): the host\'s files cannot be opened.');
        }
        let progress: Promise<Progress> | undefined;
        const name = target.path.split('/').pop() || target.root;
        try {
            const opened = await documents.open(target, (done, total) => {
                if (total >= PROGRESS_THRESHOLD) {
                    progress ??= this.messages.showProgress({ text: `Ensemble: opening ${name} from the host` });
                    void progress.then(p => p.report({ message: `${Math.round(done / 1024)} of ${Math.round(total / 1024)} K characters`, work: { done, total } }));
                }
            });
            opened.document.onDidRefuseEdit(reason => { void this.messages.warn(`Ensemble: ${reason}`); });
            return opened;
        } finally {
            void progress?.then(p => p.cancel());
        }
    }

    close(document: GuestDocument): void {
        this.current?.close(document);
    }
}
