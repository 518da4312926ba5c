import { ENVELOPE_EVENT, SERVER_ORIGIN, type Envelope, type Notification, type Target } from '@ensemble/collaboration-common';
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
