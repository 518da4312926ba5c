import { JoinDenied, RoomClosed, type RoomClosedReason } from '@ensemble/collaboration-common';
import type { ServerContext } from '../server-context';
import { notifyJoinRequester, notifyRoom } from './notify';
import { joinChannel, roomChannel } from './room-channels';

/**
 * Ends a room: tells its peers and waiting guests why, disconnects them, and
 * forgets it. Safe to call from several processes: only the one whose
 * registry call removed the room announces it.
 */
export async function closeRoom(context: ServerContext, roomId: string, reason: RoomClosedReason, message: string): Promise<boolean> {
    const waiting = await context.registry.listJoinRequests(roomId);
    if (!await context.registry.deleteRoom(roomId)) {
        return false;
    }
    context.logger.info({ roomId, reason }, 'room closed');
    notifyRoom(context.io, roomId, RoomClosed, { reason, message });
    for (const request of waiting) {
        notifyJoinRequester(context.io, request.requestId, JoinDenied, { reason: 'room-closed', message: `The room has ended: ${message}` });
        context.io.in(joinChannel(request.requestId)).disconnectSockets(true);
    }
    context.io.in(roomChannel(roomId)).disconnectSockets(true);
    context.catalog.forget(roomId);
    return true;
}

export function describeHostTimeout(gracePeriodMs: number): string {
    return `The host did not come back within ${Math.round(gracePeriodMs / 1000)} s, so the room has ended; ask the host to share again.`;
}
