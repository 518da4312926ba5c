import type { GuestRole } from '@ensemble/collaboration-common';

/** Why a session is over (or never started). User-initiated ends are `left` and `ended`. */
export type SessionEndReason =
    | 'left' | 'ended' | 'join-cancelled'
    | 'ended-by-host' | 'host-timeout' | 'removed' | 'server-shutdown'
    | 'denied' | 'server-unreachable' | 'room-not-found' | 'protocol-mismatch' | 'connection-refused' | 'failed';

/**
 * What this window's collaboration is doing, for the status bar, the views
 * and other extensions. A tagged union: switch on `kind`.
 */
export type CollaborationState =
    | { readonly kind: 'off' }
    /** Finding the server, creating the room (host) or opening the connection. */
    | { readonly kind: 'connecting'; readonly asHost: boolean }
    /** A guest's join request waits for the host's answer. */
    | { readonly kind: 'waiting-for-host'; readonly serverUrl: string }
    | { readonly kind: 'hosting'; readonly guests: number; readonly pendingRequests: number }
    | { readonly kind: 'joined'; readonly role: GuestRole }
    /**
     * `connection-lost`: this window lost its connection; socket.io reconnects by itself.
     * `host-away` (guests only): the host dropped; the room ends at `hostGraceEndsAt`
     * (server clock, ms since the epoch) unless the host comes back.
     */
    | { readonly kind: 'reconnecting'; readonly cause: 'connection-lost' | 'host-away'; readonly asHost: boolean; readonly hostGraceEndsAt?: number }
    /** The last session is over; `message` tells the user what happened and what to do. */
    | { readonly kind: 'closed'; readonly reason: SessionEndReason; readonly message: string };

export type CollaborationStateKind = CollaborationState['kind'];

/** A session object exists (it may be connecting, reconnecting, or waiting for the host). */
export function isSessionActive(state: CollaborationState): boolean {
    return state.kind !== 'off' && state.kind !== 'closed';
}

/** Whole seconds left until `endsAt`, never negative; for countdowns. */
export function secondsUntil(endsAt: number, now: number = Date.now()): number {
    return Math.max(0, Math.ceil((endsAt - now) / 1000));
}
