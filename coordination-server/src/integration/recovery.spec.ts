import * as assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { defineBroadcast, type CollaborationSession } from '@ensemble/collaboration-common';
import type { RunningCoordinationServer } from '../start-coordination-server';
import { startTestServer } from '../testing/test-server';
import { eventually, hostRoom, joinAs, nextEvent } from '../testing/session-helpers';

const Tick = defineBroadcast('test/tick', Type.Object({ n: Type.Integer() }));

/** Cuts the session's transport as a network failure would (socket.io-client then reconnects by itself). */
function dropTransport(session: CollaborationSession): void {
    (session as unknown as { socket: { io: { engine: { close(): void } } } }).socket.io.engine.close();
}

/**
 * A host and a guest that counts ticks: one tick arrives, the guest's
 * transport drops, the host sends 20 more while it is away. Resolves with
 * how the guest reconnected, and the ticks it has by then.
 */
async function dropWhileTicking(server: RunningCoordinationServer, sessions: CollaborationSession[]): Promise<{ host: CollaborationSession; ticks: number[]; reconnect: { recovered: boolean } }> {
    const room = await hostRoom(server.url);
    const host = room.host;
    host.onBroadcast(Tick, () => undefined);
    const ticks: number[] = [];
    const guest = await joinAs(server.url, room, 'Flaky', 'read-write', session => session.onBroadcast(Tick, ({ n }) => ticks.push(n)));
    sessions.push(host, guest);
    host.sendBroadcast(Tick, { n: 0 });
    await eventually(() => ticks.length === 1, 'the first tick');
    const left = nextEvent(host.onPeerLeft, 'the guest dropping');
    const back = nextEvent(guest.onReconnect, 'the guest reconnecting');
    dropTransport(guest);
    await left;
    for (let n = 1; n <= 20; n++) {
        host.sendBroadcast(Tick, { n });
    }
    return { host, ticks, reconnect: await back };
}

describe('connection state recovery (bounded buffer, single process)', () => {
    const sessions: CollaborationSession[] = [];
    let server: RunningCoordinationServer | undefined;
    afterEach(async () => {
        sessions.splice(0).forEach(session => session.dispose());
        await server?.close();
    });

    it('recovers a dropped connection: the messages sent meanwhile arrive once, in order, and no resync is asked', async () => {
        server = await startTestServer();
        const { ticks, reconnect } = await dropWhileTicking(server, sessions);
        assert.deepEqual(reconnect, { recovered: true });
        await eventually(() => ticks.length === 21, 'the missed ticks');
        assert.deepEqual(ticks, Array.from({ length: 21 }, (_, n) => n));
    });

    it('does not recover when more was sent than the buffer keeps: the session asks for a resync', async () => {
        server = await startTestServer({ connectionRecoveryMaxPackets: 5 });
        const { host, ticks, reconnect } = await dropWhileTicking(server, sessions);
        assert.deepEqual(reconnect, { recovered: false });
        host.sendBroadcast(Tick, { n: 21 });
        await eventually(() => ticks.includes(21), 'a tick after the reconnection');
        assert.deepEqual(ticks, [0, 21], 'nothing half-recovered: the missed ticks are for the resync to fetch');
    });
});
