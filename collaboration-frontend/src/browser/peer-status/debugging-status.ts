import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { inject, injectable } from '@theia/core/shared/inversify';
import { DebugSessionManager } from '@theia/debug/lib/browser/debug-session-manager';
import type { CollaborationSessionContribution } from '../session/session-contribution';
import { BuiltInStatusKeys } from './builtin-status-keys';
import { PeerStatusService } from './peer-status-service';

/** Publishes `ensemble.debugging` while this window has a debug session (its own, or the host's it is attached to). */
@injectable()
export class DebuggingStatus implements CollaborationSessionContribution {
    @inject(PeerStatusService) protected readonly statuses!: PeerStatusService;
    @inject(DebugSessionManager) protected readonly debugSessions!: DebugSessionManager;

    onSessionStarting(): Disposable {
        const publish = (): void => {
            if (this.debugSessions.sessions.length > 0) {
                if (this.statuses.ownValue(BuiltInStatusKeys.debugging) !== true) {
                    this.statuses.setStatusKey(BuiltInStatusKeys.debugging, true);
                }
            } else {
                this.statuses.removeStatusKey(BuiltInStatusKeys.debugging);
            }
        };
        publish();
        return new DisposableCollection(
            this.debugSessions.onDidStartDebugSession(publish),
            // Fired before the session leaves the list on some paths: look again once it has.
            this.debugSessions.onDidDestroyDebugSession(() => setTimeout(publish, 0)),
            Disposable.create(() => this.statuses.removeStatusKey(BuiltInStatusKeys.debugging))
        );
    }
}
