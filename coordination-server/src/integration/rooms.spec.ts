import * as assert from 'node:assert/strict';
import { io as connectSocket } from 'socket.io-client';
import {
    CollaborationSession, ConnectionRefusedError, createRoom, defineBroadcast, ErrorCodes, JoinDeniedError, PROTOCOL_VERSION, type ConnectionRefusal
} from '@ensemble/collaboration-common';
import { Type } from '@sinclair/typebox';
import type { RunningCoordinationServer } from '../start-coordination-server';
import { startTestServer } from '../testing/test-server';
import { delay, eventually, hostRoom, joinAs, nextEvent } from '../testing/session-helpers';

const Ping = defineBroadcast('test/ping', Type.Object({ n: Type.Integer() }));

describe('rooms: create, join, permissions, host reconnect (real clients, real server)', () => {
    let server: RunningCoordinationServer;
    const sessions: CollaborationSession[] = [];
    const track = <T extends CollaborationSession>(session: T): T => { sessions.push(session); return session; };

    before(async () => { server = await startTestServer({ hostGracePeriodMs: 400, limits: { maxPendingJoinRequests: 2, maxPeersPerRoom: 3 } }); });
    afterEach(() => { sessions.splice(0).forEach(session => session.dispose()); });
    after(() => server.close());

    it('creates a room and welcomes the host', async () => {
        const room = await hostRoom(server.url, 'Ada');
        track(room.host);
        assert.equal(room.host.state, 'connected');
        assert.equal(room.host.role, 'host');
        assert.equal(room.host.roomId, room.roomId);
        assert.equal(room.host.hostPeerId, room.host.peerId);
        assert.ok(room.host.hostOnline);
        assert.deepEqual([...room.host.peers.values()].map(peer => peer.name), ['Ada']);
        assert.match(room.inviteCode, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    });

    it('lets a guest in after the host approves, and lists the pending request meanwhile', async () => {
        const room = await hostRoom(server.url);
        track(room.host);
        const guest = track(new CollaborationSession({ serverUrl: server.url }));
        const joining = guest.join({ inviteCode: room.inviteCode.toLowerCase(), displayName: 'Bob' });
        const request = await nextEvent(room.host.onJoinRequest, 'the join request');
        assert.equal(request.displayName, 'Bob');
        assert.deepEqual(room.host.joinRequests.map(r => r.requestId), [request.requestId]);
        assert.equal(guest.state, 'waiting-for-host');
        const joined = nextEvent(room.host.onPeerJoined, 'Bob joining');
        const admitted = await room.host.answerJoinRequest(request.requestId, 'read-write');
        await joining;
        assert.equal((await joined).name, 'Bob');
        assert.equal(admitted?.id, guest.peerId);
        assert.equal(guest.role, 'read-write');
        assert.equal(guest.hostPeerId, room.host.peerId);
        assert.deepEqual([...guest.peers.values()].map(peer => peer.name).sort(), ['Bob', 'Host']);
        assert.equal(room.host.joinRequests.length, 0);
    });

    it('tells a denied guest it was denied', async () => {
        const room = await hostRoom(server.url);
        track(room.host);
        const guest = track(new CollaborationSession({ serverUrl: server.url }));
        const denied = assert.rejects(guest.join({ inviteCode: room.inviteCode, displayName: 'Eve' }),
            (error: unknown) => error instanceof JoinDeniedError && error.reason === 'denied' && error.message === 'not today');
        const request = await nextEvent(room.host.onJoinRequest, 'the join request');
        await room.host.answerJoinRequest(request.requestId, 'deny', 'not today');
        await denied;
        assert.equal(guest.state, 'closed');
        await eventually(() => room.host.joinRequests.length === 0, 'the request is no longer pending');
    });

    it('admits read-only guests, and the host can change their permission', async () => {
        const room = await hostRoom(server.url);
        track(room.host);
        const guest = track(await joinAs(server.url, room, 'Reader', 'read-only'));
        assert.equal(guest.role, 'read-only');
        await eventually(() => room.host.peers.get(guest.peerId!)?.role === 'read-only', 'the host lists the read-only guest');
        const tokenBefore = guest.currentToken;
        const changed = nextEvent(guest.onPeerRoleChanged, 'the role change');
        await room.host.setPeerRole(guest.peerId!, 'read-write');
        assert.deepEqual(await changed, { peerId: guest.peerId, role: 'read-write' });
        assert.equal(guest.role, 'read-write');
        await eventually(() => guest.currentToken !== tokenBefore, 'the guest gets a renewed token');
        // The renewed token carries the new role.
        const again = track(new CollaborationSession({ serverUrl: server.url }));
        await again.connect(guest.currentToken!);
        assert.equal(again.role, 'read-write');
    });

    it('refuses host actions from guests', async () => {
        const room = await hostRoom(server.url);
        track(room.host);
        const guest = track(await joinAs(server.url, room, 'Mallory'));
        await assert.rejects(guest.setPeerRole(room.host.peerId!, 'read-only'), { code: ErrorCodes.forbidden });
        await assert.rejects(guest.removePeer(room.host.peerId!), { code: ErrorCodes.forbidden });
        await assert.rejects(guest.endRoom(), { code: ErrorCodes.forbidden });
    });

    it('removes (kicks) a guest, whose token then stops working', async () => {
        const room = await hostRoom(server.url);
        track(room.host);
        const guest = track(await joinAs(server.url, room, 'Kicked'));
        const token = guest.currentToken!;
        const closed = nextEvent(guest.onClosed, 'the guest being closed');
        const left = nextEvent(room.host.onPeerLeft, 'the peer-left event');
        await room.host.removePeer(guest.peerId!, 'bye');
        assert.deepEqual(await closed, { reason: 'removed', message: 'bye' });
        assert.equal((await left).reason, 'removed');
        assert.equal(guest.state, 'closed');
        const comeback = track(new CollaborationSession({ serverUrl: server.url }));
        await assert.rejects(comeback.connect(token), (error: unknown) => error instanceof ConnectionRefusedError && error.code === ErrorCodes.notAMember);
    });

    it('keeps the room when the host comes back within the grace period', async () => {
        const room = await hostRoom(server.url);
        const guest = track(await joinAs(server.url, room, 'Waiting'));
        const hostLeft = nextEvent(guest.onPeerLeft, 'the host dropping');
        room.host.dispose();
        const left = await hostLeft;
        assert.equal(left.peerId, room.host.peerId);
        assert.ok(left.hostGraceEndsAt && left.hostGraceEndsAt > Date.now());
        assert.equal(guest.hostOnline, false);
        const pings: number[] = [];
        guest.onBroadcast(Ping, ({ n }) => pings.push(n));
        const back = track(new CollaborationSession({ serverUrl: server.url }));
        const hostBack = nextEvent(guest.onPeerJoined, 'the host coming back');
        await back.connect(room.hostToken);
        assert.equal((await hostBack).id, room.host.peerId);
        await delay(600); // longer than the grace period: the room must still be there
        back.sendBroadcast(Ping, { n: 7 });
        await eventually(() => pings.length === 1, 'the guest receives the returned host\'s broadcast');
        assert.deepEqual(pings, [7]);
        assert.equal(guest.state, 'connected');
        assert.ok(guest.hostOnline);
    });

    it('ends the room when the host stays away past the grace period, and says why', async () => {
        const room = await hostRoom(server.url);
        const guest = track(await joinAs(server.url, room, 'Left behind'));
        const closed = nextEvent(guest.onClosed, 'the room closing');
        room.host.dispose();
        const event = await closed;
        assert.equal(event.reason, 'host-timeout');
        assert.match(event.message, /did not come back/);
        const late = track(new CollaborationSession({ serverUrl: server.url }));
        await assert.rejects(late.connect(room.hostToken), { code: ErrorCodes.roomNotFound });
    });

    it('ends the room on the host\'s request', async () => {
        const room = await hostRoom(server.url);
        const guest = track(await joinAs(server.url, room, 'Guest'));
        const closed = nextEvent(guest.onClosed, 'the room closing');
        await room.host.endRoom('done for today');
        assert.deepEqual(await closed, { reason: 'ended-by-host', message: 'done for today' });
        assert.equal(room.host.state, 'closed');
    });

    it('lets a guest leave for good', async () => {
        const room = await hostRoom(server.url);
        track(room.host);
        const guest = await joinAs(server.url, room, 'Leaver');
        const token = guest.currentToken!;
        const left = nextEvent(room.host.onPeerLeft, 'the guest leaving');
        await guest.leave();
        assert.equal((await left).reason, 'left');
        await assert.rejects(track(new CollaborationSession({ serverUrl: server.url })).connect(token), { code: ErrorCodes.notAMember });
    });

    it('withdraws a join request when the guest stops waiting', async () => {
        const room = await hostRoom(server.url);
        track(room.host);
        const guest = track(new CollaborationSession({ serverUrl: server.url }));
        const abort = new AbortController();
        const joining = guest.join({ inviteCode: room.inviteCode, displayName: 'Impatient', signal: abort.signal });
        await nextEvent(room.host.onJoinRequest, 'the join request');
        const closedRequest = nextEvent(room.host.onJoinRequestClosed, 'the request being withdrawn');
        abort.abort();
        await assert.rejects(joining, JoinDeniedError);
        assert.equal((await closedRequest).outcome, 'withdrawn');
        assert.equal(room.host.joinRequests.length, 0);
    });

    it('refuses unknown invite codes, too many pending requests and full rooms', async () => {
        await assert.rejects(track(new CollaborationSession({ serverUrl: server.url })).join({ inviteCode: 'NOPE-NOPE-NOPE', displayName: 'X' }),
            (error: unknown) => error instanceof ConnectionRefusedError && error.code === ErrorCodes.roomNotFound && /invite code/.test(error.message));
        const room = await hostRoom(server.url);
        track(room.host);
        const waiting = [1, 2].map(n => track(new CollaborationSession({ serverUrl: server.url })).join({ inviteCode: room.inviteCode, displayName: `W${n}` }));
        waiting.forEach(promise => promise.catch(() => undefined));
        await eventually(() => room.host.joinRequests.length === 2, 'two pending requests');
        await assert.rejects(track(new CollaborationSession({ serverUrl: server.url })).join({ inviteCode: room.inviteCode, displayName: 'W3' }),
            { code: ErrorCodes.tooManyJoinRequests });
        // maxPeersPerRoom is 3: host + 2 guests; the third admission fails with a clear error.
        for (const request of room.host.joinRequests) {
            await room.host.answerJoinRequest(request.requestId, 'read-write');
        }
        await Promise.all(waiting);
        const third = track(new CollaborationSession({ serverUrl: server.url }));
        const joining = third.join({ inviteCode: room.inviteCode, displayName: 'W4' });
        joining.catch(() => undefined);
        const request = await nextEvent(room.host.onJoinRequest, 'the fourth join request');
        await assert.rejects(room.host.answerJoinRequest(request.requestId, 'read-only'), { code: ErrorCodes.roomFull });
        await assert.rejects(joining, (error: unknown) => error instanceof JoinDeniedError && error.reason === 'room-full');
    });

    it('refuses a client of another protocol version with a message that says what to update', async () => {
        const socket = connectSocket(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { protocolVersion: PROTOCOL_VERSION + 1, token: 'x' } });
        const error = await new Promise<Error & { data?: ConnectionRefusal }>(resolve => socket.on('connect_error', resolve));
        socket.close();
        assert.equal(error.data?.code, ErrorCodes.protocolMismatch);
        assert.equal(error.data?.serverProtocolVersion, PROTOCOL_VERSION);
        assert.equal(error.message, `The server speaks Ensemble protocol ${PROTOCOL_VERSION}, this client speaks protocol ${PROTOCOL_VERSION + 1}: `
            + 'update the coordination server (@ensemble/coordination-server) or connect to a newer one.');
        const old = connectSocket(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { protocolVersion: 0, token: 'x' } });
        const oldError = await new Promise<Error>(resolve => old.on('connect_error', resolve));
        old.close();
        assert.match(oldError.message, /update Ensemble in your IDE/);
    });

    it('refuses forged and foreign tokens', async () => {
        const foreign = await startTestServer({ jwtSecret: 'another-secret-another-secret-another-secret-42' });
        try {
            const room = await hostRoom(foreign.url);
            track(room.host);
            await assert.rejects(track(new CollaborationSession({ serverUrl: server.url })).connect(room.hostToken), { code: ErrorCodes.invalidToken });
            await assert.rejects(track(new CollaborationSession({ serverUrl: server.url })).connect('not.a.jwt'), { code: ErrorCodes.invalidToken });
        } finally {
            await foreign.close();
        }
        const shortLived = await startTestServer({ tokenTtlSeconds: 1 });
        try {
            // No host connects first: a JWT's expiry counts in whole seconds from a
            // floored issue time, so a 1 s token may be only a few ms from expiring
            // when issued and a slow connect could already be refused.
            const room = await createRoom({ serverUrl: shortLived.url, hostName: 'Host' });
            await delay(2100);
            await assert.rejects(track(new CollaborationSession({ serverUrl: shortLived.url })).connect(room.hostToken), { code: ErrorCodes.tokenExpired });
        } finally {
            await shortLived.close();
        }
    });
});
