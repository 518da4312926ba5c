import { Type } from '@sinclair/typebox';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { CollaborationSession, createRoom, defineBroadcast, ENVELOPE_EVENT, PROTOCOL_VERSION } from '@ensemble/collaboration-common';
import { joinAs } from '../testing/session-helpers';

/** The message every benchmark relays; `sentAt` is the sender's performance.now() (clients share one process). */
export const BenchOp = defineBroadcast('bench/op', Type.Object({ seq: Type.Integer(), sentAt: Type.Number(), text: Type.String() }));

export type ServerKind = 'ensemble' | 'bare';

/** The peers of one room as raw socket.io clients, identical for both servers. */
export interface BenchRoom {
    readonly sockets: Socket[];
}

function rawSocket(url: string, auth: Record<string, unknown>): Promise<Socket> {
    const socket = connectSocket(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth });
    return new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
    });
}

/**
 * Sets up a room of `peers` raw clients. For Ensemble the tokens come from the
 * real flow (create, join request, host approval) through sessions that are
 * then closed, so the measured clients are as thin as the bare relay's.
 */
export async function setUpRoom(kind: ServerKind, url: string, peers: number, index: number): Promise<BenchRoom> {
    if (kind === 'bare') {
        return { sockets: await Promise.all(Array.from({ length: peers }, () => rawSocket(url, { room: `room-${index}` }))) };
    }
    const credentials = await createRoom({ serverUrl: url, hostName: `Host ${index}` });
    const host = new CollaborationSession({ serverUrl: url });
    host.onBroadcast(BenchOp, () => undefined); // declares the message in the room
    await host.connect(credentials.hostToken);
    const room = { host, roomId: credentials.roomId, inviteCode: credentials.inviteCode, hostToken: credentials.hostToken };
    const tokens = [credentials.hostToken];
    for (let i = 1; i < peers; i++) {
        const guest = await joinAs(url, room, `Guest ${i}`);
        tokens.push(guest.currentToken!);
        guest.dispose();
    }
    host.dispose();
    const sockets = await Promise.all(tokens.map(token => rawSocket(url, { protocolVersion: PROTOCOL_VERSION, token })));
    return { sockets };
}

export function closeRooms(rooms: readonly BenchRoom[]): void {
    rooms.forEach(room => room.sockets.forEach(socket => socket.close()));
}

export function benchEnvelope(seq: number, text: string): unknown {
    return { kind: 'broadcast', method: BenchOp.method, target: { type: 'all' }, params: { seq, sentAt: performance.now(), text } };
}

export { ENVELOPE_EVENT };
