import { Disposable } from '@theia/core/lib/common/disposable';
import { inject, injectable } from '@theia/core/shared/inversify';
import { EditorManager } from '@theia/editor/lib/browser/editor-manager';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import type { CollaborationSessionContribution, SessionContext } from '../session/session-contribution';
import { CursorSession } from './cursor-session';
import { SharedDocuments } from './shared-documents';

/** Remote cursors and selections in every session, on the host and on guests alike. */
@injectable()
export class RemoteCursorsContribution implements CollaborationSessionContribution {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(EditorManager) protected readonly editorManager!: EditorManager;
    @inject(SharedDocuments) protected readonly documents!: SharedDocuments;

    private current: CursorSession | undefined;

    /** The remote cursors of the session in progress (for diagnostics). */
    get session(): CursorSession | undefined {
        return this.current;
    }

    onSessionStarting({ session, isHost }: SessionContext): Disposable {
        const cursors = new CursorSession({
            session, isHost,
            editorManager: this.editorManager,
            documents: this.documents,
            participants: () => this.sessions.participants,
            onDidChangeParticipants: listener => this.sessions.onDidChangeParticipants(listener)
        });
        this.current = cursors;
        return Disposable.create(() => {
            if (this.current === cursors) {
                this.current = undefined;
            }
            cursors.dispose();
        });
    }
}
