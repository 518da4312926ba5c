import { ENVELOPE_EVENT, SERVER_ORIGIN, type Envelope, type Notification, type Target } from '@ensemble/collaboration-common';
import { BoundedRecoveryAdapter } from '../adapter/bounded-recovery-adapter';
import type { EnsembleServer, EnsembleSocket } from '../server-context';
import { joinChannel, peerChannel, roomChannel } from './room-channels';

/** The envelope of a message the server sends itself. */
export function serverNotification<P>(definition: Notification<P>, params: P, target: Target): Envelope {
    return { kind: 'notification', method: definition.method, target, params, origin: SERVER_ORIGIN };
}

export function notifySocket<P>(socket: EnsembleSocket, definition: Notification<P>, params: P): void {
    const data = socket.data;
    const target: Target = data.kind === 'member' ? { type: 'peer', peer: data.peerId } : { type: 'all' };
    socket.emit(ENVELOPE_EVENT, serverNotification(definition, params, target));
}

/**
 * Like {@link notifySocket}, for a snapshot the server sends on every
 * connection, recovered ones included (the welcome): it is not kept for
 * connection state recovery, which would replay a stale copy before the fresh one.
 */
export function sendSnapshot<P>(socket: EnsembleSocket, definition: Notification<P>, params: P): void {
    const adapter: unknown = socket.nsp.adapter;
    if (adapter instanceof BoundedRecoveryAdapter) {
        adapter.withoutRecovery(() => notifySocket(socket, definition, params));
    } else {
        notifySocket(socket, definition, params);
    }
}

/** To every peer of the room (on every process), except `except` if given. */
export function notifyRoom<P>(io: EnsembleServer, roomId: string, definition: Notification<P>, params: P, except?: EnsembleSocket): void {
    const envelope = serverNotification(definition, params, { type: 'all' });
    if (except) {
        except.to(roomChannel(roomId)).emit(ENVELOPE_EVENT, envelope);
    } else {
        io.to(roomChannel(roomId)).emit(ENVELOPE_EVENT, envelope);
    }
}

export function notifyPeer<P>(io: EnsembleServer, roomId: string, peerId: string, definition: Notification<P>, params: P): void {
    io.to(peerChannel(roomId, peerId)).emit(ENVELOPE_EVENT, serverNotification(definition, params, { type: 'peer', peer: peerId }));
}

/** To a guest waiting for the host's answer. */
export function notifyJoinRequester<P>(io: EnsembleServer, requestId: string, definition: Notification<P>, params: P): void {
    io.to(joinChannel(requestId)).emit(ENVELOPE_EVENT, serverNotification(definition, params, { type: 'all' }));
}
