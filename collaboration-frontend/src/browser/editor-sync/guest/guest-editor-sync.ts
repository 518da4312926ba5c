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

    /**
     * Opens a shared document: downloads the host's text. A big one shows a
     * progress notification (percent of the text received) that stays, as
     * "preparing the editor", until `settled` is called: building the editor's
     * model of a 50 MB text takes seconds of its own.
     */
    async open(target: SharedPath): Promise<{ document: GuestDocument; text: string; settled(): void }> {
        const documents = this.current;
        if (!documents) {
            throw new Error('This window is not in a collaboration session (any more): the host\'s files cannot be opened.');
        }
        let progress: Promise<Progress> | undefined;
        const name = target.path.split('/').pop() || target.root;
        const settled = (): void => {
            void progress?.then(p => p.cancel());
            progress = undefined;
        };
        try {
            const opened = await documents.open(target, (done, total) => {
                if (total >= PROGRESS_THRESHOLD) {
                    progress ??= this.messages.showProgress({ text: `Ensemble: opening ${name} from the host`, options: { location: 'notification' } });
                    const message = done < total
                        ? `${megabytes(done)} of ${megabytes(total)} MB (${Math.floor(100 * done / total)}%)`
                        : `${megabytes(total)} MB received (100%); preparing the editor`;
                    void progress.then(p => p.report({ message, work: { done, total } }));
                }
            });
            opened.document.onDidRefuseEdit(reason => { void this.messages.warn(`Ensemble: ${reason}`); });
            return { ...opened, settled };
        } catch (error) {
            settled();
            throw error;
        }
    }

    close(document: GuestDocument): void {
        this.current?.close(document);
    }
}

/** UTF-16 code units as megabytes of text (one byte each in the common case), one decimal. */
function megabytes(units: number): string {
    return (units / (1024 * 1024)).toFixed(1);
}
