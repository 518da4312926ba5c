import * as assert from 'node:assert/strict';
import { MAX_PEER_STATUS_BYTES, MAX_PEER_STATUS_KEYS, SetStatus, type CollaborationSession, type PeerStatus } from '@ensemble/collaboration-common';
import type { RunningCoordinationServer } from '../start-coordination-server';
import { startTestServer } from '../testing/test-server';
import { delay, eventually, hostRoom, joinAs, nextEvent } from '../testing/session-helpers';

describe('presence: status objects, renewal and expiry (short status lifetime)', () => {
    let server: RunningCoordinationServer;

    before(async () => { server = await startTestServer({ statusTtlMs: 300 }); });
    after(() => server.close());

    it('relays a status to the room and gives joiners the current statuses', async () => {
        const room = await hostRoom(server.url, 'Host', { statusRenewIntervalMs: 100 });
        const first = await joinAs(server.url, room, 'First');
        const changed = nextEvent(first.onStatusChanged, 'the host\'s status');
        await room.host.setStatus({ name: 'Host', color: '#ff8800', activeDocument: 'file:///a.ts', cursor: { line: 3 } });
        const entry = await changed;
        assert.equal(entry.peerId, room.host.peerId);
        assert.deepEqual(entry.status, { name: 'Host', color: '#ff8800', activeDocument: 'file:///a.ts', cursor: { line: 3 } });
        const late = await joinAs(server.url, room, 'Late');
        assert.deepEqual(late.statuses.get(room.host.peerId!)?.status.color, '#ff8800');
        [room.host, first, late].forEach(session => session.dispose());
    });

    it('refuses a status with too many keys or too many bytes, relays none of it, and keeps the previous one', async () => {
        const room = await hostRoom(server.url, 'Host', { statusRenewIntervalMs: 100 });
        const watcher = await joinAs(server.url, room, 'Watcher');
        const hostStatus = (): Readonly<Record<string, unknown>> | undefined => watcher.statuses.get(room.host.peerId!)?.status;
        await room.host.setStatus({ name: 'Host', 'ensemble.small': 1 });
        await eventually(() => hostStatus()?.['ensemble.small'] === 1, 'the watcher sees the small status');
        const tooManyKeys: Record<string, number> = {};
        for (let i = 0; i <= MAX_PEER_STATUS_KEYS; i++) {
            tooManyKeys[`ext.key${i}`] = i;
        }
        const tooLarge = { name: 'Host', 'ext.big': 'x'.repeat(MAX_PEER_STATUS_BYTES) };
        // The session checks before sending...
        await assert.rejects(room.host.setStatus(tooManyKeys), /Cannot set the status/);
        await assert.rejects(room.host.setStatus(tooLarge), /at most 16384 are allowed/);
        // ...and the server checks too, for clients that do not.
        const unchecked = (status: PeerStatus): Promise<unknown> =>
            (room.host as unknown as { requestServer(definition: typeof SetStatus, params: unknown): Promise<unknown> }).requestServer(SetStatus, { status });
        await assert.rejects(unchecked(tooManyKeys), /properties|invalid/i);
        await assert.rejects(unchecked(tooLarge), /at most 16384 are allowed/);
        await delay(400); // longer than the status lifetime: the renewals carry the previous status
        assert.deepEqual(hostStatus(), { name: 'Host', 'ensemble.small': 1 });
        [room.host, watcher].forEach((session: CollaborationSession) => session.dispose());
    });

    it('expires a status that is not renewed, and keeps one that is', async () => {
        const room = await hostRoom(server.url, 'Host', { statusRenewIntervalMs: 60_000 });
        const renewing = await joinAs(server.url, room, 'Renewing', 'read-write', () => undefined, { statusRenewIntervalMs: 100 });
        const watcher = await joinAs(server.url, room, 'Watcher');
        await room.host.setStatus({ name: 'Host', color: 'red' });
        await renewing.setStatus({ name: 'Renewing', color: 'blue' });
        await eventually(() => watcher.statuses.size === 2, 'the watcher sees both statuses');
        const expired = await nextEvent(watcher.onStatusExpired, 'the host\'s status expiring', 2000);
        assert.equal(expired.peerId, room.host.peerId);
        await delay(700); // more than twice the lifetime: the renewed status stays
        assert.deepEqual([...watcher.statuses.keys()], [renewing.peerId]);
        [room.host, renewing, watcher].forEach(session => session.dispose());
    });
});
