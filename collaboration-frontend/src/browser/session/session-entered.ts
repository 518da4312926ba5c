import type { CollaborationSession } from '@ensemble/collaboration-common';
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

/**
 * Calls `action` once, as soon as this window is a guest admitted to
 * `session` (at once if it is already): `joined` is the first state in which
 * a guest may send requests to the host, such as asking for what the host
 * has already shared.
 */
export function onceAdmitted(sessions: CollaborationSessionService, session: CollaborationSession, action: () => void): Disposable {
    let done = false;
    const check = (): void => {
        if (!done && sessions.session === session && sessions.state.kind === 'joined') {
            done = true;
            action();
        }
    };
    const listener = sessions.onDidChangeState(check);
    check();
    return listener;
}
