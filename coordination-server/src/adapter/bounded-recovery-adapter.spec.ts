import * as assert from 'node:assert/strict';
import { Server } from 'socket.io';
import { BoundedRecoveryAdapter, boundedRecoveryAdapter } from './bounded-recovery-adapter';

const WINDOW_MS = 60_000;

describe('BoundedRecoveryAdapter: socket.io sessions and missed packets, bounded', () => {
    let io: Server;
    let adapter: BoundedRecoveryAdapter;
    beforeEach(() => {
        io = new Server({
            connectionStateRecovery: { maxDisconnectionDuration: WINDOW_MS },
            adapter: boundedRecoveryAdapter({ maxDisconnectionMs: WINDOW_MS, maxPackets: 100, maxBytes: 100_000 })
        });
        adapter = io.of('/').adapter as unknown as BoundedRecoveryAdapter;
    });
    afterEach(() => { io.close(); });

    /** Broadcasts as socket.io does and returns the offset the recipients see. */
    function send(rooms: string[], data: unknown[], except: string[] = []): string {
        const packet = { type: 2, data: [...data] };
        adapter.broadcast(packet, { rooms: new Set(rooms), except: new Set(except) });
        return packet.data.at(-1) as string;
    }

    it('gives a restored session the packets it missed, as socket.io would, offsets included', async () => {
        const seen = send(['r:1'], ['msg', { n: 1 }]);
        adapter.persistSession({ sid: 'sid-a', pid: 'pid-a', rooms: ['sid-a', 'r:1'], data: { peer: 'a' } });
        const toRoom = send(['r:1'], ['msg', { n: 2 }, 'text', 3.5, null]);
        send(['r:2'], ['msg', { n: 3 }]);
        send(['r:1'], ['msg', { n: 4 }], ['sid-a']);
        const direct = send(['sid-a'], ['msg', { n: 5 }]);
        const session = await adapter.restoreSession('pid-a', seen);
        assert.deepEqual(session, {
            sid: 'sid-a', pid: 'pid-a', rooms: ['sid-a', 'r:1'], data: { peer: 'a' },
            missedPackets: [['msg', { n: 2 }, 'text', 3.5, null, toRoom], ['msg', { n: 5 }, direct]]
        });
        assert.equal(await adapter.restoreSession('pid-a', seen), null, 'a session is restored once');
    });

    it('refuses unknown sessions, malformed or foreign offsets, and sessions past the window', async () => {
        const seen = send(['r:1'], ['msg', {}]);
        adapter.persistSession({ sid: 's', pid: 'p', rooms: ['s', 'r:1'], data: {} });
        assert.equal(await adapter.restoreSession('other', seen), null);
        for (const offset of ['', 'x', `${seen}0`, `zzzz.${seen.split('.')[1]}`, '1-0', 'a'.repeat(100)]) {
            adapter.persistSession({ sid: 's', pid: 'p', rooms: ['s', 'r:1'], data: {} });
            assert.equal(await adapter.restoreSession('p', offset), null, `offset ${JSON.stringify(offset)}`);
        }
        adapter.persistSession({ sid: 's', pid: 'p', rooms: ['s', 'r:1'], data: {} });
        adapter.sweep(Date.now() + WINDOW_MS + 1);
        assert.equal(await adapter.restoreSession('p', seen), null);
        assert.equal(adapter.recoveryUsage().sessions, 0);
    });

    it('keeps the text that went out, frees packets nobody can receive, and expires old ones', () => {
        send(['sid-gone'], ['msg', { big: 'x'.repeat(1000) }]);
        adapter.persistSession({ sid: 'sid-away', pid: 'p', rooms: ['sid-away'], data: {} });
        send(['sid-away'], ['msg', { n: 1 }]);
        const before = adapter.recoveryUsage();
        assert.equal(before.packets, 2);
        adapter.emit('delete-room', 'sid-gone');
        adapter.emit('delete-room', 'sid-away');
        adapter.sweep(Date.now());
        const after = adapter.recoveryUsage();
        assert.equal(after.packets, 2, 'slots stay');
        assert.ok(after.bytes < before.bytes - 1000, 'the packet to the gone socket was freed');
        assert.ok(after.bytes > 0, 'the packet to the socket that may come back was kept');
        adapter.sweep(Date.now() + WINDOW_MS + 1);
        adapter.sweep(Date.now() + 2 * WINDOW_MS + 2);
        assert.equal(adapter.recoveryUsage().packets, 0);
    });

    it('does not keep, nor number, what is sent through withoutRecovery', async () => {
        const seen = send(['r:1'], ['msg', { n: 1 }]);
        adapter.persistSession({ sid: 's', pid: 'p', rooms: ['s', 'r:1'], data: {} });
        const packet = { type: 2, data: ['msg', { welcome: true }] };
        adapter.withoutRecovery(() => adapter.broadcast(packet, { rooms: new Set(['s']) }));
        assert.deepEqual(packet.data, ['msg', { welcome: true }], 'no offset appended');
        const after = send(['r:1'], ['msg', { n: 2 }]);
        assert.deepEqual((await adapter.restoreSession('p', seen))?.missedPackets, [['msg', { n: 2 }, after]]);
    });

    it('keeps packets with binary parts as their arguments', async () => {
        const seen = send(['r:1'], ['msg', {}]);
        adapter.persistSession({ sid: 's', pid: 'p', rooms: ['s', 'r:1'], data: {} });
        const offset = send(['r:1'], ['msg', { blob: Buffer.from([1, 2, 3]) }]);
        const session = await adapter.restoreSession('p', seen);
        assert.deepEqual(session?.missedPackets, [['msg', { blob: Buffer.from([1, 2, 3]) }, offset]]);
    });
});
