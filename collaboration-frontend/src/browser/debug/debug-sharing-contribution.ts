import { DisposableCollection, type Disposable } from '@theia/core/lib/common/disposable';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { CollaborationSessionContribution, SessionContext } from '../session/session-contribution';
import { BreakpointSync } from './breakpoints/breakpoint-sync';
import { GlobalBreakpointSync } from './breakpoints/global-breakpoint-sync';
import { GuestDebugMirrors } from './guest/guest-debug-mirrors';
import { HostDebugSharing } from './host/host-debug-sharing';

/** Takes part in every session: breakpoints both ways; the host shares its debug sessions, guests mirror them. */
@injectable()
export class DebugSharingContribution implements CollaborationSessionContribution {
    @inject(BreakpointSync) protected readonly breakpointSync!: BreakpointSync;
    @inject(GlobalBreakpointSync) protected readonly globalBreakpointSync!: GlobalBreakpointSync;
    @inject(HostDebugSharing) protected readonly hostSharing!: HostDebugSharing;
    @inject(GuestDebugMirrors) protected readonly guestMirrors!: GuestDebugMirrors;

    onSessionStarting({ session, isHost }: SessionContext): Disposable {
        return new DisposableCollection(
            this.breakpointSync.start(session, isHost),
            this.globalBreakpointSync.start(session, isHost),
            isHost ? this.hostSharing.start(session) : this.guestMirrors.start(session)
        );
    }
}
