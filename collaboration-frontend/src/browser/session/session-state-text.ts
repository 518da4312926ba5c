import { describeHostAway } from './session-messages';
import { secondsUntil, type CollaborationState } from './session-state';

export interface StateText {
    /** Short, for the status bar; may start with a `$(codicon)`. */
    readonly text: string;
    /** A sentence, for the tooltip and the actions menu's title. */
    readonly tooltip: string;
    /** The state deserves attention (waiting requests, host away, connection lost). */
    readonly attention: boolean;
}

function plural(count: number, one: string, many: string): string {
    return `${count} ${count === 1 ? one : many}`;
}

/** How the status bar and the actions menu describe a state; `now` makes the countdown testable. */
export function describeState(state: CollaborationState, now: number = Date.now()): StateText {
    switch (state.kind) {
        case 'off':
            return { text: '$(broadcast) Ensemble', tooltip: 'No collaboration session: click to start or join one.', attention: false };
        case 'connecting':
            return {
                text: '$(sync~spin) Ensemble: connecting…',
                tooltip: state.asHost ? 'Starting a session: creating the room on the collaboration server.' : 'Joining a session: connecting to the collaboration server.',
                attention: false
            };
        case 'waiting-for-host':
            return { text: '$(sync~spin) Ensemble: waiting for the host…', tooltip: 'Your request to join waits for the host\'s answer. Click to stop waiting.', attention: false };
        case 'hosting': {
            const requests = state.pendingRequests > 0 ? ` · ${plural(state.pendingRequests, 'request', 'requests')}` : '';
            return {
                text: `$(broadcast) Hosting · ${plural(state.guests, 'guest', 'guests')}${requests}`,
                tooltip: `You host a session with ${plural(state.guests, 'guest', 'guests')}`
                    + (state.pendingRequests > 0 ? ` and ${plural(state.pendingRequests, 'join request', 'join requests')} waiting for your answer.` : '.'),
                attention: state.pendingRequests > 0
            };
        }
        case 'joined':
            return {
                text: `$(account) Joined${state.role === 'read-only' ? ' (read-only)' : ''}`,
                tooltip: state.role === 'read-only' ? 'You are in a session as a read-only guest.' : 'You are in a session as a guest who can edit.',
                attention: false
            };
        case 'reconnecting': {
            if (state.cause === 'host-away') {
                const seconds = state.hostGraceEndsAt === undefined ? undefined : secondsUntil(state.hostGraceEndsAt, now);
                return {
                    text: `$(watch) Host away${seconds === undefined ? '' : ` · ${seconds} s`}`,
                    tooltip: describeHostAway(seconds),
                    attention: true
                };
            }
            return {
                text: '$(sync~spin) Ensemble: reconnecting…',
                tooltip: 'The connection to the collaboration server dropped; reconnecting. Your work is kept.',
                attention: true
            };
        }
        case 'closed':
            return { text: '$(broadcast) Ensemble', tooltip: `${state.message} Click to start or join a session.`, attention: false };
    }
}
