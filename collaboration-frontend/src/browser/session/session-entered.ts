import type { Disposable } from '@theia/core/lib/common/disposable';
import type { CollaborationSessionService } from './collaboration-session-service';
import type { CollaborationState } from './session-state';

/**
 * Calls `listener` each time this window gets into a session: hosting or
 * joined right after connecting or waiting for the host (not when it comes
 * back from reconnecting, nor on a change of guest count or role).
 */
export function onSessionEntered(sessions: CollaborationSessionService, listener: () => void): Disposable {
    let previous: CollaborationState['kind'] = sessions.state.kind;
    return sessions.onDidChangeState(state => {
        const entered = (state.kind === 'hosting' || state.kind === 'joined') && (previous === 'connecting' || previous === 'waiting-for-host');
        previous = state.kind;
        if (entered) {
            listener();
        }
    });
}
