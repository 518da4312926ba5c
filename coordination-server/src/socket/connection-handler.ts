import { JoinRequestClosed, JoinRequested, PeerJoined, PeerLeft, RoomClosed, Welcome } from '@ensemble/collaboration-common';
import { notifyPeer, notifyRoom, notifySocket, sendSnapshot } from '../rooms/notify';
import { joinChannel, peerChannel, roomChannel } from '../rooms/room-channels';
import type { EnsembleSocket, MemberSocketData, PendingSocketData, ServerContext } from '../server-context';
import type { EnvelopeRouter } from './envelope-router';

/** Sets up a socket the handshake admitted: a member gets its welcome, a waiting guest is announced to the host. */
export function handleConnection(context: ServerContext, router: EnvelopeRouter, socket: EnsembleSocket): void {
    // The token was checked (or the session recovered): do not keep the bearer secret for the socket's lifetime.
    delete (socket.handshake.auth as { token?: unknown }).token;
    router.attach(socket);
    const data = socket.data;
    if (data.kind === 'member') {
        memberConnected(context, socket, data).catch(error => {
            context.logger.error({ err: error, socketId: socket.id }, 'could not welcome a peer');
            socket.disconnect(true);
        });
    } else {
        pendingConnected(context, socket, data);
    }
}

async function memberConnected(context: ServerContext, socket: EnsembleSocket, member: MemberSocketData): Promise<void> {
    const { roomId, peerId, hostPeerId } = member;
    socket.join([roomChannel(roomId), peerChannel(roomId, peerId)]);
    socket.on('disconnect', () => {
        memberDisconnected(context, socket, member).catch(error => context.logger.error({ err: error }, 'could not record a disconnect'));
    });
    // A recovered connection skipped the handshake: make sure the peer still belongs to the room.
    const peer = await context.registry.getPeer(roomId, peerId);
    if (!peer) {
        notifySocket(socket, RoomClosed, { reason: 'removed', message: 'The room has ended, or you were removed from it.' });
        socket.disconnect(true);
        return;
    }
    await context.registry.setConnection(roomId, peerId, { serverId: context.serverId, socketId: socket.id });
    if (socket.disconnected) {
        // It dropped while we were registering it; its disconnect handler may already have run.
        await context.registry.clearConnection(roomId, peerId, socket.id, context.now());
        return;
    }
    const isHost = peerId === hostPeerId;
    const [peers, statuses, joinRequests, token] = await Promise.all([
        context.registry.listOnlinePeers(roomId),
        context.registry.listStatuses(roomId),
        isHost ? context.registry.listJoinRequests(roomId) : Promise.resolve([]),
        context.tokens.sign({ roomId, peerId, role: peer.role })
    ]);
    const info = { id: peer.id, name: peer.name, role: peer.role };
    sendSnapshot(socket, Welcome, {
        roomId, peerId, role: peer.role, hostPeerId, token,
        peers: peers.map(({ id, name, role }) => ({ id, name, role })),
        statuses, joinRequests,
        hostOnline: peers.some(online => online.id === hostPeerId)
    });
    notifyRoom(context.io, roomId, PeerJoined, { peer: info }, socket);
    context.logger.debug({ roomId, peerId, recovered: socket.recovered }, 'peer connected');
}

async function memberDisconnected(context: ServerContext, socket: EnsembleSocket, member: MemberSocketData): Promise<void> {
    const now = context.now();
    if (!await context.registry.clearConnection(member.roomId, member.peerId, socket.id, now)) {
        return; // replaced by a newer connection, removed, or the room ended: nothing to announce
    }
    const isHost = member.peerId === member.hostPeerId;
    notifyRoom(context.io, member.roomId, PeerLeft, isHost
        ? { peerId: member.peerId, reason: 'disconnected', hostGraceEndsAt: now + context.options.hostGracePeriodMs }
        : { peerId: member.peerId, reason: 'disconnected' });
}

function pendingConnected(context: ServerContext, socket: EnsembleSocket, pending: PendingSocketData): void {
    const { roomId, requestId, hostPeerId, displayName, requestedAt } = pending;
    socket.join(joinChannel(requestId));
    socket.on('disconnect', () => {
        context.registry.takeJoinRequest(roomId, requestId).then(request => {
            if (request) {
                notifyPeer(context.io, roomId, hostPeerId, JoinRequestClosed, { requestId, outcome: 'withdrawn' });
            }
        }).catch(error => context.logger.error({ err: error }, 'could not withdraw a join request'));
    });
    notifyPeer(context.io, roomId, hostPeerId, JoinRequested, { request: { requestId, displayName, requestedAt } });
}
