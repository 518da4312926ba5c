import * as assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { CollaborationSession, defineBroadcast, defineRequest, ENVELOPE_EVENT, PROTOCOL_VERSION } from '@ensemble/collaboration-common';
import type { RunningCoordinationServer } from '../start-coordination-server';
import { startTestServer } from '../testing/test-server';
import { delay, eventually, hostRoom, joinAs, type HostedRoom } from '../testing/session-helpers';
import { SeededRandom } from '@ensemble/collaboration-common/lib/ot/testing/seeded-random';

const Op = defineBroadcast('fuzz/op', Type.Object({ seq: Type.Integer(), text: Type.String() }));
const Echo = defineRequest('fuzz/echo', Type.Object({ seq: Type.Integer() }), Type.Object({ seq: Type.Integer() }));

const SEED = Number(process.env.ENSEMBLE_FUZZ_SEED ?? 20250611);
const ENVELOPES = 10_000;
const ATTACKERS = 5;

/** Builds one bad envelope of many kinds; every one of them must be refused without harm. */
function badEnvelope(random: () => number, victim: { peerId: string; hostPeerId: string; roomId: string }): unknown {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const junk = (): unknown => pick<unknown>([null, undefined, 42, -1, 1e308, 'x', '', true, [], {}, [1, [2, [3]]], { __proto__: { polluted: true } },
        { constructor: { prototype: { polluted: true } } }, 'x'.repeat(Math.floor(random() * 300)), NaN]);
    switch (Math.floor(random() * 16)) {
        case 0: return junk();
        case 1: return { kind: pick(['broadcast', 'shout', 7, null]), method: 'fuzz/op', target: { type: 'all' }, params: { seq: 1, text: 'x' } };
        case 2: return { kind: 'broadcast', method: pick(['', '/', 'no-slash', 'a//b', 'x'.repeat(200), 42, 'fuzz/op\u0000']), target: { type: 'all' } };
        case 3: return { kind: 'broadcast', method: 'fuzz/op', target: { type: 'all' }, params: { seq: junk(), text: junk() } };
        // forged origin, even one naming the victim's host
        case 4: return { kind: 'broadcast', method: 'fuzz/op', target: { type: 'all' }, origin: pick([victim.hostPeerId, victim.peerId, 'server']), params: { seq: 1, text: 'forged' } };
        // wrong room: the victim's peers addressed from another room never receive anything
        case 5: return { kind: 'broadcast', method: 'fuzz/op', target: { type: 'peer', peer: victim.peerId }, params: { seq: 1, text: 'wrong room' } };
        case 6: return { kind: 'request', method: 'fuzz/echo', id: Math.floor(random() * 1e6), target: { type: 'peer', peer: pick([victim.hostPeerId, victim.peerId]) }, params: { seq: 1 } };
        case 7: return { kind: 'broadcast', method: 'fuzz/op', target: { type: 'topic', topic: `${victim.roomId}:doc` }, params: { seq: 1, text: 'topic of another room' } };
        case 8: return { kind: pick(['request', 'notification']), method: pick(['unknown/method', 'room/welcome', 'server/error', 'room/closed']), id: 1, target: { type: pick(['all', 'host', 'server']) }, params: junk() };
        case 9: return { kind: 'request', method: pick(['room/end', 'room/remove-peer', 'room/set-role', 'room/answer-join-request', 'room/declare-messages', 'room/subscribe']), id: Math.floor(random() * 1000), target: { type: 'server' }, params: { peerId: victim.peerId, requestId: 'x', role: 'host', messages: [{ kind: 'broadcast', method: 'room/x', params: { pattern: '(a+)+$' } }], topic: junk() } };
        case 10: return { kind: 'response', method: 'fuzz/echo', id: pick([-1, 1.5, 2 ** 60, 7]), target: { type: 'peer', peer: victim.hostPeerId }, params: { seq: 'nope' } };
        case 11: return { kind: 'broadcast', method: 'fuzz/op', target: junk(), params: { seq: 1, text: 'x' } };
        case 12: return { kind: 'broadcast', method: 'fuzz/op', target: { type: 'all' }, params: { seq: 1, text: 'x'.repeat(5000 + Math.floor(random() * 5000)) } };
        case 13: return { kind: 'broadcast', method: 'fuzz/op', target: { type: 'all' }, params: { seq: 1, text: 'x' }, extra: junk() };
        case 14: return { kind: 'request', method: 'fuzz/echo', target: { type: 'host' }, params: { seq: 1 } };
        default: return Array.from({ length: Math.floor(random() * 5) }, junk);
    }
}

describe('fuzz: 10,000 malformed, oversized, mistyped and forged envelopes', function () {
    this.timeout(120_000);
    let server: RunningCoordinationServer;

    before(async () => {
        // High rate limits so that the garbage reaches validation instead of being cut by the rate limiter.
        server = await startTestServer({ limits: { maxMessageBytes: 4096, messagesPerSecond: 100_000, messageBurst: 100_000, maxViolations: 2000 } });
    });
    after(() => server.close());

    it(`stays up, answers /health, and a well-behaved room loses no message (seed ${SEED})`, async () => {
        const generator = new SeededRandom(SEED);
        const random = (): number => generator.next();
        // The well-behaved room.
        const victim = await hostRoom(server.url);
        const received: number[] = [];
        const strays: string[] = [];
        victim.host.onBroadcast(Op, ({ seq, text }) => { if (text === 'good') { received.push(seq); } else { strays.push(text); } });
        victim.host.onRequest(Echo, ({ seq }) => ({ seq }));
        const guest = await joinAs(server.url, victim, 'Good guest', 'read-write', session => {
            session.onBroadcast(Op, ({ text }) => { if (text !== 'good') { strays.push(text); } });
        });
        const victimIds = { peerId: guest.peerId!, hostPeerId: victim.host.peerId!, roomId: victim.roomId };

        // The attackers are real members of their own room (so their garbage reaches the relay), plus bad handshakes.
        const attackerRoom: HostedRoom = await hostRoom(server.url);
        const attackerTokens: string[] = [];
        for (let i = 0; i < ATTACKERS; i++) {
            const attacker = await joinAs(server.url, attackerRoom, `Attacker ${i}`);
            attackerTokens.push(attacker.currentToken!);
            attacker.dispose();
        }
        const sockets: Socket[] = attackerTokens.map(token => connectSocket(server.url, {
            transports: ['websocket'], forceNew: true, reconnectionDelay: 50, auth: { protocolVersion: PROTOCOL_VERSION, token }
        }));
        await eventually(() => sockets.every(socket => socket.connected), 'the attackers are connected');
        let errorReplies = 0;
        sockets.forEach(socket => socket.on(ENVELOPE_EVENT, (envelope: { method?: string }) => { if (envelope.method === 'server/error') { errorReplies++; } }));

        // Good traffic runs concurrently with the garbage.
        const GOOD = 300;
        const goodTraffic = (async () => {
            for (let seq = 0; seq < GOOD; seq++) {
                guest.sendBroadcast(Op, { seq, text: 'good' });
                if (seq % 30 === 0) {
                    assert.deepEqual(await guest.sendRequest(Echo, { seq }, { type: 'host' }), { seq });
                }
                await delay(2);
            }
        })();

        let sent = 0;
        let badHandshakes = 0;
        while (sent < ENVELOPES) {
            for (let burst = 0; burst < 100 && sent < ENVELOPES; burst++, sent++) {
                const socket = sockets[Math.floor(random() * sockets.length)];
                if (random() < 0.05) {
                    // Frames that are not even socket.io packets: the server drops this connection, the client reconnects.
                    socket.io.engine?.send(random() < 0.5 ? '2["msg",{' : '9garbage');
                } else if (random() < 0.05) {
                    socket.emit(String(badEnvelope(random, victimIds)).slice(0, 20), badEnvelope(random, victimIds));
                } else {
                    socket.emit(ENVELOPE_EVENT, badEnvelope(random, victimIds));
                }
            }
            if (sent % 1000 === 0) {
                // Handshakes with forged, foreign, expired or malformed credentials.
                const auth = [
                    { protocolVersion: PROTOCOL_VERSION, token: attackerTokens[0].slice(0, -4) + 'AAAA' },
                    { protocolVersion: PROTOCOL_VERSION, token: 'eyJhbGciOiJub25lIn0.eyJyb29tIjoieCJ9.' },
                    { protocolVersion: PROTOCOL_VERSION, join: { inviteCode: 'WRONG', displayName: 'x'.repeat(100) } },
                    { protocolVersion: 'one', token: 5 },
                    { protocolVersion: PROTOCOL_VERSION + 3 }
                ][badHandshakes++ % 5];
                const intruder = connectSocket(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth });
                intruder.on('connect_error', () => intruder.close());
            }
            await delay(1);
        }
        await goodTraffic;
        await eventually(() => received.length === GOOD, `the victim host receives all ${GOOD} good broadcasts (got ${received.length})`, 20_000);
        assert.deepEqual(received, [...Array(GOOD).keys()], 'in order, none lost');
        assert.deepEqual(strays, [], 'nothing from the attackers reached the victim room');
        assert.ok(errorReplies > 1000, `the attackers got error replies (${errorReplies})`);
        const health = await fetch(`${server.url}/health`);
        assert.equal(health.status, 200);
        const metrics = await (await fetch(`${server.url}/metrics`)).text();
        const rejected = [...metrics.matchAll(/^ensemble_messages_rejected_total\{[^}]*\} (\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
        assert.ok(rejected > 5000, `the server counted the rejections (${rejected})`);
        // The victim room still works after the storm.
        assert.deepEqual(await guest.sendRequest(Echo, { seq: 999 }, { type: 'host' }), { seq: 999 });
        sockets.forEach(socket => socket.close());
        [victim.host, guest, attackerRoom.host].forEach((session: CollaborationSession) => session.dispose());
    });
});
