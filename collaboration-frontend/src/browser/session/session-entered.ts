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
function onceAdmitted(sessions: CollaborationSessionService, session: CollaborationSession, action: () => void): Disposable {
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

/**
 * Calls `ask` (which asks the host for what it shares) when this window is
 * first admitted to `session` as a guest, and again after each reconnection
 * that may have lost messages (socket.io could not recover the connection).
 */
export function askHostOnceAdmittedAndAfterLoss(sessions: CollaborationSessionService, session: CollaborationSession, ask: () => void): Disposable {
    let admitted = false;
    const whenAdmitted = onceAdmitted(sessions, session, () => {
        admitted = true;
        ask();
    });
    const afterLoss = session.onReconnect(({ recovered }) => {
        if (admitted && !recovered) {
            ask();
        }
    });
    return { dispose: () => { whenAdmitted.dispose(); afterLoss.dispose(); } };
}
