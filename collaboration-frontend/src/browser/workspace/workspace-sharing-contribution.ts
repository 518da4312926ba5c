import type { Disposable } from '@theia/core/lib/common/disposable';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { CollaborationSessionContribution, SessionContext } from '../session/session-contribution';
import { GuestWorkspaceMount } from './guest/guest-workspace-mount';
import { HostWorkspaceSharing } from './host/host-workspace-sharing';

/** Takes part in every session: the host shares its folders, a guest mounts them. */
@injectable()
export class WorkspaceSharingContribution implements CollaborationSessionContribution {
    @inject(HostWorkspaceSharing) protected readonly hostSharing!: HostWorkspaceSharing;
    @inject(GuestWorkspaceMount) protected readonly guestMount!: GuestWorkspaceMount;

    onSessionStarting({ session, isHost }: SessionContext): Promise<Disposable> | Disposable {
        return isHost ? this.hostSharing.start(session) : this.guestMount.start(session);
    }
}
