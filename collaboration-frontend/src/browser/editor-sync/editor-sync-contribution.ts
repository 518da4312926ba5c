import type { Disposable } from '@theia/core/lib/common/disposable';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { CollaborationSessionContribution, SessionContext } from '../session/session-contribution';
import { GuestEditorSync } from './guest/guest-editor-sync';
import { HostEditorSync } from './host/host-editor-sync';

/** Takes part in every session: the host serves its documents, a guest binds its editors to them. */
@injectable()
export class EditorSyncContribution implements CollaborationSessionContribution {
    @inject(HostEditorSync) protected readonly host!: HostEditorSync;
    @inject(GuestEditorSync) protected readonly guest!: GuestEditorSync;

    onSessionStarting({ session, isHost }: SessionContext): Disposable {
        return isHost ? this.host.start(session) : this.guest.start(session);
    }
}
