import {
    ConnectionRefusedError, ErrorCodes, JoinDeniedError, ProtocolMismatchError, SessionError, type SessionClosedEvent
} from '@ensemble/collaboration-common';
import type { SessionEndReason } from './session-state';

/**
 * Every sentence a user reads when a session fails or ends: what happened,
 * then what to do. Kept in one place so that the wording stays consistent
 * and testable.
 */
export interface SessionEnd {
    readonly reason: SessionEndReason;
    readonly message: string;
}

export interface FailureContext {
    /** `resume`: back into the session after this window was reloaded. */
    readonly action: 'start' | 'join' | 'resume';
    readonly serverUrl?: string;
}

/** Turns an error from creating, connecting to or joining a room into what the user reads. */
export function describeFailure(error: unknown, context: FailureContext): SessionEnd {
    const server = context.serverUrl ? ` at ${context.serverUrl}` : '';
    const what = context.action === 'start' ? 'start the session' : context.action === 'join' ? 'join the session' : 'rejoin the session after the reload';
    if (error instanceof ProtocolMismatchError) {
        return { reason: 'protocol-mismatch', message: `Could not ${what}: Ensemble versions do not match. ${error.message}` };
    }
    if (error instanceof JoinDeniedError) {
        return describeJoinDenied(error);
    }
    if (error instanceof SessionError) {
        switch (error.code) {
            case 'invalid-server-url':
                return { reason: 'server-unreachable', message: `Could not ${what}: ${error.message}` };
            case 'server-unreachable':
                if (!context.serverUrl) {
                    // The embedded server did not start: its message says why and what to do.
                    return { reason: 'server-unreachable', message: `Could not ${what}: ${error.message}` };
                }
                return {
                    reason: 'server-unreachable',
                    message: `Could not ${what}: the collaboration server${server} cannot be reached. Check that it runs and that `
                        + (context.action === 'join'
                            ? 'the invite link (or, for a bare code, the preference collaboration.serverUrl) points to it, then try again.'
                            : 'the preference collaboration.serverUrl points to it (leave it empty to use the server built into this application), then try again.')
                };
            case ErrorCodes.roomNotFound:
                return {
                    reason: 'room-not-found',
                    message: `Could not ${what}: no session with this invite is running on the collaboration server${server}. `
                        + 'Check the invite, or ask the host for a new one (sessions end when the host ends them).'
                };
            case ErrorCodes.roomFull:
                return { reason: 'denied', message: `Could not ${what}: the session is full. Ask the host to make room, then try again.` };
            case ErrorCodes.tooManyJoinRequests:
                return { reason: 'denied', message: `Could not ${what}: too many people are waiting for the host's answer. Try again in a minute.` };
            case ErrorCodes.serverShuttingDown:
                return { reason: 'server-unreachable', message: `Could not ${what}: the collaboration server${server} is shutting down. Try again in a moment.` };
        }
        if (error instanceof ConnectionRefusedError) {
            return { reason: 'connection-refused', message: `Could not ${what}: the collaboration server${server} refused the connection (${error.message}).` };
        }
        return { reason: 'failed', message: `Could not ${what}: ${error.message}` };
    }
    const detail = error instanceof Error ? error.message : String(error);
    return { reason: 'failed', message: `Could not ${what}: ${detail}` };
}

function describeJoinDenied(error: JoinDeniedError): SessionEnd {
    switch (error.reason) {
        case 'denied':
            return {
                reason: 'denied',
                message: `The host declined your request to join${hostSaid(error.message)}. Ask the host if you should try again.`
            };
        case 'expired':
            return { reason: 'denied', message: 'The host did not answer your request to join in time. Ask the host to watch for it, then join again.' };
        case 'room-closed':
            return { reason: 'ended-by-host', message: 'The session ended while you were waiting to join. Ask the host for a new invite.' };
        case 'room-full':
            return { reason: 'denied', message: 'The session is full. Ask the host to make room, then join again.' };
        case 'cancelled':
            return { reason: 'join-cancelled', message: 'You stopped waiting to join the session.' };
        default:
            return { reason: 'denied', message: `Your request to join was not accepted: ${error.message}` };
    }
}

/** A session that was running is over: why, for the user. */
export function describeClosed(event: SessionClosedEvent, isHost: boolean): SessionEnd {
    switch (event.reason) {
        case 'ended-by-host':
            return isHost
                ? { reason: 'ended', message: 'You ended the session; every guest was told.' }
                : { reason: 'ended-by-host', message: `The host ended the session${hostSaid(event.message)}. Ask the host for a new invite to work together again.` };
        case 'host-timeout':
            return isHost
                ? { reason: 'host-timeout', message: 'Your session ended because this window was disconnected for too long. Start a new session and share the new invite.' }
                : { reason: 'host-timeout', message: 'The host lost the connection and did not come back in time, so the session ended. Ask the host to start a new session.' };
        case 'removed':
            return { reason: 'removed', message: `The host removed you from the session${hostSaid(event.message)}. Ask the host if you should join again.` };
        case 'server-shutdown':
            return { reason: 'server-shutdown', message: 'The collaboration server shut down, so the session ended. Start or join a session again once it is back.' };
        case 'connection-refused':
            return { reason: 'connection-refused', message: `The collaboration server no longer accepts this session (${event.message}). Start or join a new session.` };
        case 'closed-by-client':
            return isHost ? { reason: 'ended', message: 'You ended the session.' } : { reason: 'left', message: 'You left the session.' };
    }
}

/**
 * Names and reasons come from other peers and end up in notifications, which
 * render inline markdown: escape it, so that a guest called
 * `[update](https://evil.example)` shows as text, not as a link.
 */
export function escapeMarkdown(text: string): string {
    return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, character => `\\${character}`);
}

/** The host's (or the server's) own words, when they add something to ours. */
function hostSaid(message: string): string {
    // The server's default wordings (used when the host gave no reason) say nothing ours does not.
    const generic = /^(The server disconnected this session|You ended the room|The host removed you from the room|The host declined your request to join|The host ended the room)\.?$/i;
    const trimmed = message.trim();
    return trimmed && !generic.test(trimmed) ? `: "${escapeMarkdown(trimmed.replace(/\.$/, ''))}"` : '';
}

/** The guest-side message while the host is away. */
export function describeHostAway(secondsLeft: number | undefined): string {
    return secondsLeft === undefined
        ? 'The host lost the connection. The session waits for the host to come back; your work is kept.'
        : `The host lost the connection. The session waits ${secondsLeft} s for the host to come back, then ends; your work is kept meanwhile.`;
}
