import {
    AnswerJoinRequest, DeclareMessages, EndRoom, ErrorCodes, JoinAccepted, JoinDenied, JoinRequestClosed, LeaveRoom, PeerLeft,
    PeerRoleChanged, peerStatusProblem, RemovePeer, RoomClosed, SetPeerRole, SetStatus, StatusChanged, SubscribeTopic, TokenRenewed, UnsubscribeTopic,
    type ErrorCode, type Request
} from '@ensemble/collaboration-common';
import { newPeerId } from '../rooms/ids';
import { notifyJoinRequester, notifyPeer, notifyRoom } from '../rooms/notify';
import { joinChannel, peerChannel, topicChannel, isTopicChannelOf } from '../rooms/room-channels';
import { closeRoom } from '../rooms/room-lifecycle';
import type { EnsembleSocket, MemberSocketData, ServerContext } from '../server-context';

/** A server request that cannot be done; becomes the error of the response. */
export class RequestFailure extends Error {
    constructor(readonly code: ErrorCode, message: string) {
        super(message);
    }
}

export type ServerRequestHandler = (context: ServerContext, socket: EnsembleSocket, member: MemberSocketData, params: unknown) => Promise<unknown>;

const handlers = new Map<string, ServerRequestHandler>();

/** Registers the handler of one server request, typed by its definition (params were validated before). */
function handle<P, R>(definition: Request<P, R>, handler: (context: ServerContext, socket: EnsembleSocket, member: MemberSocketData, params: P) => Promise<R>): void {
    handlers.set(definition.method, handler as ServerRequestHandler);
}

export function serverRequestHandler(method: string): ServerRequestHandler | undefined {
    return handlers.get(method);
}

function requireHost(member: MemberSocketData, action: string): void {
    if (member.peerId !== member.hostPeerId) {
        throw new RequestFailure(ErrorCodes.forbidden, `Only the host can ${action}.`);
    }
}

handle(DeclareMessages, async (context, _socket, member, { messages }) => {
    const local = context.catalog.declareLocally(member.roomId, messages);
    if (!local.ok) {
        throw new RequestFailure(ErrorCodes.invalidDeclaration, local.problem);
    }
    const stored = await context.registry.declareMethods(member.roomId, local.records, context.options.limits.maxDeclaredMethodsPerRoom);
    if (!stored.ok) {
        context.catalog.forget(member.roomId, local.records.map(record => record.method));
        throw new RequestFailure(ErrorCodes.invalidDeclaration, stored.problem);
    }
    return {};
});

handle(SubscribeTopic, async (context, socket, member, { topic }) => {
    const channel = topicChannel(member.roomId, topic);
    if (!socket.rooms.has(channel)) {
        let topics = 0;
        socket.rooms.forEach(joined => { topics += isTopicChannelOf(joined, member.roomId) ? 1 : 0; });
        if (topics >= context.options.limits.maxTopicsPerSocket) {
            throw new RequestFailure(ErrorCodes.tooManyTopics, `A peer can subscribe to at most ${context.options.limits.maxTopicsPerSocket} topics; unsubscribe from closed documents.`);
        }
        socket.join(channel);
    }
    return {};
});

handle(UnsubscribeTopic, async (_context, socket, member, { topic }) => {
    socket.leave(topicChannel(member.roomId, topic));
    return {};
});

handle(SetStatus, async (context, _socket, member, { status }) => {
    const problem = peerStatusProblem(status);
    if (problem) {
        // The schema bounds the keys; the size needs counting, and every peer (and every joiner's welcome) would carry it.
        throw new RequestFailure(ErrorCodes.messageTooLarge, problem);
    }
    const expiresAt = context.now() + context.options.statusTtlMs;
    if (!await context.registry.putStatus(member.roomId, { peerId: member.peerId, status, expiresAt })) {
        throw new RequestFailure(ErrorCodes.roomNotFound, 'The room has ended.');
    }
    notifyRoom(context.io, member.roomId, StatusChanged, { peerId: member.peerId, status, expiresAt });
    return { expiresAt };
});

handle(AnswerJoinRequest, async (context, _socket, member, { requestId, decision, reason }) => {
    requireHost(member, 'answer join requests');
    const request = await context.registry.takeJoinRequest(member.roomId, requestId);
    if (!request) {
        throw new RequestFailure(ErrorCodes.joinRequestNotFound, 'That join request is no longer pending (the guest gave up, or it expired).');
    }
    const deny = (why: 'denied' | 'room-full', message: string): void => {
        notifyJoinRequester(context.io, requestId, JoinDenied, { reason: why, message });
        context.io.in(joinChannel(requestId)).disconnectSockets(true);
        notifyPeer(context.io, member.roomId, member.peerId, JoinRequestClosed, { requestId, outcome: 'denied' });
    };
    if (decision === 'deny') {
        deny('denied', reason ?? 'The host declined your request to join.');
        return {};
    }
    const peer = { id: newPeerId(), name: request.displayName, role: decision, joinedAt: context.now() };
    const added = await context.registry.addPeer(member.roomId, peer, context.options.limits.maxPeersPerRoom);
    if (added !== 'added') {
        deny('room-full', 'The room is full.');
        throw new RequestFailure(ErrorCodes.roomFull, `The room already has ${context.options.limits.maxPeersPerRoom} members; remove one first.`);
    }
    const token = await context.tokens.sign({ roomId: member.roomId, peerId: peer.id, role: decision });
    notifyJoinRequester(context.io, requestId, JoinAccepted, { token, peerId: peer.id, role: decision });
    notifyPeer(context.io, member.roomId, member.peerId, JoinRequestClosed, { requestId, outcome: 'accepted' });
    context.logger.info({ roomId: member.roomId, peerId: peer.id, role: decision }, 'guest admitted');
    return { peer: { id: peer.id, name: peer.name, role: peer.role } };
});

handle(SetPeerRole, async (context, _socket, member, { peerId, role }) => {
    requireHost(member, 'change permissions');
    if (peerId === member.hostPeerId) {
        throw new RequestFailure(ErrorCodes.forbidden, 'The host keeps the host role.');
    }
    const peer = await context.registry.setPeerRole(member.roomId, peerId, role);
    if (!peer) {
        throw new RequestFailure(ErrorCodes.peerNotFound, `No peer ${peerId} in this room.`);
    }
    notifyRoom(context.io, member.roomId, PeerRoleChanged, { peerId, role });
    // The guest's next reconnect must carry the new role.
    notifyPeer(context.io, member.roomId, peerId, TokenRenewed, { token: await context.tokens.sign({ roomId: member.roomId, peerId, role }) });
    return {};
});

handle(RemovePeer, async (context, _socket, member, { peerId, reason }) => {
    requireHost(member, 'remove peers');
    if (peerId === member.hostPeerId) {
        throw new RequestFailure(ErrorCodes.forbidden, 'The host cannot remove itself; end the room instead.');
    }
    if (!await context.registry.removePeer(member.roomId, peerId)) {
        throw new RequestFailure(ErrorCodes.peerNotFound, `No peer ${peerId} in this room.`);
    }
    notifyPeer(context.io, member.roomId, peerId, RoomClosed, { reason: 'removed', message: reason ?? 'The host removed you from the room.' });
    context.io.in(peerChannel(member.roomId, peerId)).disconnectSockets(true);
    notifyRoom(context.io, member.roomId, PeerLeft, { peerId, reason: 'removed' });
    return {};
});

handle(EndRoom, async (context, _socket, member, { reason }) => {
    requireHost(member, 'end the room');
    // Answer first, then close: closing disconnects the host's socket too.
    setImmediate(() => {
        closeRoom(context, member.roomId, 'ended-by-host', reason ?? 'The host ended the room.')
            .catch(error => context.logger.error({ err: error, roomId: member.roomId }, 'could not end the room'));
    });
    return {};
});

handle(LeaveRoom, async (context, _socket, member) => {
    if (member.peerId === member.hostPeerId) {
        throw new RequestFailure(ErrorCodes.forbidden, 'The host cannot leave its own room; end it instead.');
    }
    if (await context.registry.removePeer(member.roomId, member.peerId)) {
        notifyRoom(context.io, member.roomId, PeerLeft, { peerId: member.peerId, reason: 'left' });
    }
    return {};
});
