import type { CollaborationSession } from '@ensemble/collaboration-common';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { inject, injectable } from '@theia/core/shared/inversify';
import { BreakpointManager } from '@theia/debug/lib/browser/breakpoint/breakpoint-manager';
import { DebugSessionManager } from '@theia/debug/lib/browser/debug-session-manager';
import { DebugState } from '@theia/debug/lib/browser/debug-session';
import { HostWorkspaceSharing } from '../../workspace/host/host-workspace-sharing';
import { HostDebugRelay } from './host-debug-relay';
import { hostSourcePaths } from './host-source-paths';
import { relayTheiaDebugSession } from './theia-relayed-debug-session';

/** Shares the host's Theia debug sessions with the guests for as long as it hosts. */
@injectable()
export class HostDebugSharing {
    @inject(DebugSessionManager) protected readonly manager!: DebugSessionManager;
    @inject(HostWorkspaceSharing) protected readonly sharing!: HostWorkspaceSharing;
    @inject(BreakpointManager) protected readonly breakpoints!: BreakpointManager;

    /** Called for every session this window hosts, before it connects. */
    start(session: CollaborationSession): Disposable {
        const relay = new HostDebugRelay(session, hostSourcePaths(() => session.roomId, this.sharing));
        const toDispose = new DisposableCollection(relay);
        toDispose.push(this.manager.onDidCreateDebugSession(debugSession => relay.add(relayTheiaDebugSession(debugSession, this.breakpoints))));
        // Announced once started: the adapter's capabilities are known then, and guests' mirrors need them.
        toDispose.push(this.manager.onDidStartDebugSession(debugSession => relay.announce(debugSession.id)));
        toDispose.push(this.manager.onDidDestroyDebugSession(debugSession => relay.remove(debugSession.id)));
        for (const running of this.manager.sessions) {
            if (running.state > DebugState.Inactive) {
                relay.add(relayTheiaDebugSession(running, this.breakpoints));
                relay.announce(running.id);
            }
        }
        return Disposable.create(() => toDispose.dispose());
    }
}
