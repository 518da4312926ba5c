import type { CollaborationSession } from '@ensemble/collaboration-common';
import type { Disposable } from '@theia/core/lib/common/disposable';
import type { MaybePromise } from '@theia/core/lib/common/types';

/**
 * What a feature (workspace sharing, editor sync, terminals, chat, ...) is
 * given when this window starts hosting or joins a room.
 */
export interface SessionContext {
    readonly session: CollaborationSession;
    /** True in the window that hosts the room. */
    readonly isHost: boolean;
    readonly serverUrl: string;
}

export const CollaborationSessionContribution = Symbol('CollaborationSessionContribution');

/**
 * Features bind this (in their own module) to take part in every session.
 * `onSessionStarting` is called with the session before it connects, so
 * message handlers registered there are declared to the server before any
 * peer can use them; the returned Disposable is disposed when the session
 * ends (left, ended, kicked, closed), and must undo everything the feature
 * set up for it. The peer's role (`session.role`) is known once connected and
 * can change while the session runs (`session.onPeerRoleChanged`).
 */
export interface CollaborationSessionContribution {
    onSessionStarting(context: SessionContext): MaybePromise<Disposable>;
}
