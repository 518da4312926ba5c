import * as assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { defineBroadcast, ENVELOPE_EVENT, ErrorCodes, PROTOCOL_VERSION, type Envelope } from '@ensemble/collaboration-common';
import type { RunningCoordinationServer } from '../start-coordination-server';
import { startTestServer } from '../testing/test-server';
import { delay, eventually, hostRoom, joinAs, type HostedRoom } from '../testing/session-helpers';

const Chat = defineBroadcast('test/chat', Type.Object({ text: Type.String() }));

/** A raw socket.io client holding a real member token: it can send anything, unlike a session. */
async function rawMember(serverUrl: string, token: string): Promise<{ socket: Socket; received: Envelope[] }> {
    const received: Envelope[] = [];
    const socket = connectSocket(serverUrl, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { protocolVersion: PROTOCOL_VERSION, token } });
    socket.on(ENVELOPE_EVENT, (envelope: Envelope) => received.push(envelope));
    await eventually(() => received.some(envelope => envelope.method === 'room/welcome'), 'the raw socket is welcomed');
    return { socket, received };
}

const errorsIn = (received: readonly Envelope[]): Array<{ code: string; message: string }> =>
    received.filter(envelope => envelope.method === 'server/error').map(envelope => envelope.params as { code: string; message: string });

describe('limits: size, rate, repeat offenders, caps (other rooms never notice)', () => {
    let server: RunningCoordinationServer;
    let room: HostedRoom;
    let otherRoom: HostedRoom;
    let guestToken: string;

    before(async () => {
        server = await startTestServer({
            limits: { maxMessageBytes: 2000, messagesPerSecond: 50, messageBurst: 50, maxViolations: 20, violationWindowMs: 60_000, maxRooms: 3 }
        });
        room = await hostRoom(server.url);
        room.host.onBroadcast(Chat, () => undefined);
        const guest = await joinAs(server.url, room, 'Raw');
        guestToken = guest.currentToken!;
        guest.dispose();
        otherRoom = await hostRoom(server.url);
    });
    after(async () => {
        room.host.dispose();
        otherRoom.host.dispose();
        await server.close();
    });

    it('answers an oversized message with an error that names the limit, and keeps the connection', async () => {
        const { socket, received } = await rawMember(server.url, guestToken);
        socket.emit(ENVELOPE_EVENT, { kind: 'broadcast', method: 'test/chat', target: { type: 'all' }, params: { text: 'x'.repeat(3000) } });
        await eventually(() => errorsIn(received).length === 1, 'the error reply');
        assert.equal(errorsIn(received)[0].code, ErrorCodes.messageTooLarge);
        assert.match(errorsIn(received)[0].message, /the limit is 2000: split it into chunks/);
        assert.ok(socket.connected);
        socket.close();
    });

    it('validates params against a declared JSON schema on the server, naming the field', async () => {
        const { socket, received } = await rawMember(server.url, guestToken);
        socket.emit(ENVELOPE_EVENT, { kind: 'broadcast', method: 'test/chat', target: { type: 'all' }, params: { text: 42 } });
        socket.emit(ENVELOPE_EVENT, { kind: 'broadcast', method: 'test/chat', target: { type: 'all' }, params: { text: 'hi' }, origin: room.host.peerId });
        socket.emit(ENVELOPE_EVENT, { kind: 'request', method: 'test/unknown', id: 9, target: { type: 'host' }, params: {} });
        await eventually(() => errorsIn(received).length === 3, 'three error replies');
        const [invalid, forged, unknown] = errorsIn(received);
        assert.deepEqual([invalid.code, forged.code, unknown.code], [ErrorCodes.invalidParams, ErrorCodes.forgedOrigin, ErrorCodes.unknownMethod]);
        assert.match(invalid.message, /params\/text must be string/);
        assert.equal((received.find(envelope => (envelope.params as { code?: string })?.code === ErrorCodes.unknownMethod)?.params as { id?: number }).id, 9);
        socket.close();
    });

    it('rate-limits a flooding socket, then disconnects it as a repeat offender; another room keeps talking', async () => {
        const chats: string[] = [];
        otherRoom.host.onBroadcast(Chat, ({ text }) => chats.push(text));
        const otherGuest = await joinAs(server.url, otherRoom, 'Calm');
        const { socket, received } = await rawMember(server.url, guestToken);
        const disconnected = new Promise<void>(resolve => socket.on('disconnect', () => resolve()));
        const flood = setInterval(() => {
            for (let i = 0; i < 20; i++) {
                socket.emit(ENVELOPE_EVENT, { kind: 'broadcast', method: 'test/chat', target: { type: 'all' }, params: { text: 'spam' } });
            }
        }, 5);
        for (let i = 0; i < 20; i++) {
            otherGuest.sendBroadcast(Chat, { text: `calm ${i}` });
            await delay(5);
        }
        await disconnected;
        clearInterval(flood);
        const codes = errorsIn(received).map(error => error.code);
        assert.ok(codes.includes(ErrorCodes.rateLimited), `rate-limited reply expected, got ${codes.join(', ')}`);
        assert.equal(codes.at(-1), ErrorCodes.tooManyViolations);
        await eventually(() => chats.length === 20, 'the other room receives every message');
        assert.deepEqual(chats, [...Array(20).keys()].map(i => `calm ${i}`));
        otherGuest.dispose();
    });

    it('caps the number of rooms', async () => {
        const third = await hostRoom(server.url);
        const response = await fetch(`${server.url}/rooms`, { method: 'POST', body: JSON.stringify({ hostName: 'Too many' }) });
        assert.equal(response.status, 503);
        assert.match((await response.json() as { error: { message: string } }).error.message, /already hosts 3 rooms/);
        third.host.dispose();
    });
});
