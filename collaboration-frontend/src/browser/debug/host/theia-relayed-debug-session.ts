import { DisposableCollection } from '@theia/core/lib/common/disposable';
import type { DebugSession } from '@theia/debug/lib/browser/debug-session';
import type { DebugRequestTypes } from '@theia/debug/lib/browser/debug-session-connection';
import { RELAYED_DEBUG_EVENTS, type RelayedDebugSession } from './relayed-debug-session';

/**
 * One of the host's Theia debug sessions, for the relay. Requests go through
 * the session itself (not around it), so that the host's Debug view follows
 * what a guest does: a guest's step shows on the host as the host's own.
 */
export function relayTheiaDebugSession(session: DebugSession): RelayedDebugSession {
    return {
        id: session.id,
        get name(): string { return session.label; },
        type: session.configuration.type,
        get capabilities() { return session.capabilities; },
        async request(command, args) {
            const response = await session.sendRequest(command as keyof DebugRequestTypes, args as never);
            return response?.body;
        },
        onEvent: listener => new DisposableCollection(...RELAYED_DEBUG_EVENTS.map(name => session.on(name, listener)))
    };
}
