import '../test/enable-jsdom';
import * as assert from 'node:assert/strict';
import type { CollaborationSession } from '@ensemble/collaboration-common';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { hostRoom, joinAs, nextEvent, type HostedRoom } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { GuestTerminalClient } from './guest/guest-terminal-client';
import { HostTerminalSharing, type TerminalTypedEvent } from './host/host-terminal-sharing';
import { InputRateLimiter } from './host/input-rate-limiter';
import { MAX_INPUT_CHARS, SendTerminalInput, TerminalOutput, type TerminalInputResult } from './terminal-messages';
import { HeadlessTerminalSink, HeadlessTerminalSource } from './test/headless-terminal-source';

/** Polls an async condition (terminal text is parsed asynchronously). */
async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
        }
        await new Promise(resolve => setTimeout(resolve, 10));
    }
}

/**
 * Terminal sharing between a real host session and real guest sessions
 * through a real coordination server; the terminals are headless xterms
 * (no process), so what the guest sees and what reaches the host's
 * terminal are checked exactly.
 */
describe('terminal sharing (real sessions, real server)', function (): void {
    this.timeout(30_000);
    let server: RunningCoordinationServer;
    const toDispose: Array<{ dispose(): void }> = [];

    before(async () => { server = await startTestServer(); });
    after(async () => { await server.close(); });
    afterEach(() => { toDispose.splice(0).reverse().forEach(item => item.dispose()); });

    interface Setup {
        readonly room: HostedRoom;
        readonly sharing: HostTerminalSharing;
        readonly guest: CollaborationSession;
        readonly client: GuestTerminalClient;
    }

    async function setUp(role: 'read-write' | 'read-only' = 'read-write', rateLimiter?: InputRateLimiter, batcher?: { maxPendingChars: number }): Promise<Setup> {
        const room = await hostRoom(server.url, 'Hana');
        toDispose.push(room.host);
        const sharing = new HostTerminalSharing(room.host, { rateLimiter, batcher });
        toDispose.push(sharing);
        let client!: GuestTerminalClient;
        const guest = await joinAs(server.url, room, 'Ana', role, session => { client = new GuestTerminalClient(session); });
        toDispose.push(guest, client);
        return { room, sharing, guest, client };
    }

    /** Sends input as any client could, bypassing the guest client's own checks: the host must refuse by itself. */
    function rawInput(guest: CollaborationSession, id: string, data: string): Promise<TerminalInputResult> {
        return guest.sendRequest(SendTerminalInput, { id, data }, { type: 'host' });
    }

    it('replays the scrollback on open, then streams live output in order at the host\'s size', async () => {
        const { sharing, client } = await setUp();
        const source = new HeadlessTerminalSource('bash', 100, 30);
        source.print('before sharing: \x1b[32mgreen\x1b[0m\r\n');
        const info = sharing.share(source, 'read-only');
        source.print('after sharing, before opening\r\n');

        const listed = await client.refresh();
        assert.deepEqual(listed, [{ id: info.id, title: 'bash', mode: 'read-only', cols: 100, rows: 30 }]);
        const sink = new HeadlessTerminalSink();
        const stream = await client.open(info.id, sink);
        assert.equal(sink.term.cols, 100, 'the view takes the host terminal\'s width');
        assert.equal(sink.term.rows, 30);
        assert.equal(await sink.text(), 'before sharing: green\nafter sharing, before opening');

        for (let i = 1; i <= 200; i++) {
            source.print(`line ${i}\r\n`);
        }
        await until(async () => (await sink.text()).endsWith('line 200'), 'the live output arrives');
        assert.equal(await sink.text(), await source.text(), 'the guest shows exactly what the host shows');
        assert.ok(sink.writes <= 20, `200 writes are coalesced into few messages (got ${sink.writes})`);

        source.resize(40, 10);
        source.print('x'.repeat(60) + '\r\n');
        await until(() => sink.term.cols === 40 && sink.term.rows === 10, 'the view follows the host\'s resize');
        await until(async () => (await sink.text()).endsWith('x'.repeat(60)), 'the long line arrives');
        assert.equal(await sink.text(), await source.text());
        assert.equal(stream.canType, false, 'a read-only share takes no input');
    });

    it('lets a read-write guest type into a read-write terminal, and tells the host who typed', async () => {
        const { sharing, client } = await setUp('read-write');
        const source = new HeadlessTerminalSource();
        const { id } = sharing.share(source, 'read-write');
        await client.refresh();
        const stream = await client.open(id, new HeadlessTerminalSink());
        assert.equal(stream.canType, true);
        const typed = nextEvent<TerminalTypedEvent>(sharing.onDidType, 'the typing event');
        stream.sendInput('touch made-by-ana\r');
        const event = await typed;
        assert.equal(event.name, 'Ana');
        assert.equal(event.title, 'Terminal 1');
        await until(() => source.inputs.join('') === 'touch made-by-ana\r', 'the input reaches the host terminal');

        // A paste longer than one message arrives whole and in order.
        const paste = 'echo ' + 'p'.repeat(MAX_INPUT_CHARS * 2 + 10) + '\r';
        stream.sendInput(paste);
        await until(() => source.inputs.join('') === 'touch made-by-ana\r' + paste, 'the long paste reaches the host in order');
        assert.ok(source.inputs.every(piece => piece.length <= MAX_INPUT_CHARS));
    });

    it('refuses input to a read-only terminal, even from a read-write guest that asks directly', async () => {
        const { sharing, guest } = await setUp('read-write');
        const source = new HeadlessTerminalSource();
        const { id } = sharing.share(source, 'read-only');
        const answer = await rawInput(guest, id, 'rm -rf ~\r');
        assert.equal(answer.ok, false);
        assert.equal(!answer.ok && answer.code, 'read-only-terminal');
        assert.match(!answer.ok ? answer.message : '', /read-only: you can watch it but not type/);
        assert.deepEqual(source.inputs, []);

        // The host switches it to read-write: the same guest may type now.
        sharing.share(source, 'read-write');
        assert.deepEqual(await rawInput(guest, id, 'ls\r'), { ok: true });
        assert.deepEqual(source.inputs, ['ls\r']);
    });

    it('checks the guest\'s current role on every keystroke', async () => {
        const { room, sharing, guest, client } = await setUp('read-only');
        const source = new HeadlessTerminalSource();
        const { id } = sharing.share(source, 'read-write');
        await client.refresh();
        const stream = await client.open(id, new HeadlessTerminalSink());
        assert.equal(stream.canType, false, 'a read-only guest\'s view sends nothing');
        stream.sendInput('ignored\r');

        const refused = await rawInput(guest, id, 'touch nope\r');
        assert.equal(!refused.ok && refused.code, 'read-only-role');
        assert.match(!refused.ok ? refused.message : '', /ask the host for write access/);

        await room.host.setPeerRole(guest.peerId!, 'read-write');
        await until(() => guest.role === 'read-write' && room.host.peers.get(guest.peerId!)?.role === 'read-write', 'the role change arrives');
        assert.deepEqual(await rawInput(guest, id, 'touch yes\r'), { ok: true });

        await room.host.setPeerRole(guest.peerId!, 'read-only');
        await until(() => room.host.peers.get(guest.peerId!)?.role === 'read-only', 'the role change back arrives');
        const again = await rawInput(guest, id, 'touch nope-again\r');
        assert.equal(!again.ok && again.code, 'read-only-role');
        assert.deepEqual(source.inputs, ['touch yes\r'], 'only the input sent with write permission reached the terminal');
    });

    it('refuses input to a terminal that is not shared, and bad or oversized input with a clear error', async () => {
        const { sharing, guest } = await setUp('read-write');
        const source = new HeadlessTerminalSource();
        const unknown = await rawInput(guest, 't99', 'ls\r');
        assert.equal(!unknown.ok && unknown.code, 'not-shared');
        await assert.rejects(rawInput(guest, 't1', 'x'.repeat(MAX_INPUT_CHARS + 1)), /data must NOT have more than 4096 characters/);
        await assert.rejects(rawInput(guest, 'NOT AN ID', 'ls'), /id must match pattern/);
        await assert.rejects(rawInput(guest, 't1', ''), /data must NOT have fewer than 1 characters/);
        // The host still works after the garbage.
        const { id } = sharing.share(source, 'read-write');
        assert.deepEqual(await rawInput(guest, id, 'ok\r'), { ok: true });
        assert.deepEqual(source.inputs, ['ok\r']);
    });

    it('limits the rate of a guest\'s input', async () => {
        const { sharing, guest } = await setUp('read-write', new InputRateLimiter(1, 100));
        const source = new HeadlessTerminalSource();
        const { id } = sharing.share(source, 'read-write');
        assert.deepEqual(await rawInput(guest, id, 'a'.repeat(80)), { ok: true });
        const limited = await rawInput(guest, id, 'b'.repeat(80));
        assert.equal(!limited.ok && limited.code, 'rate-limited');
        assert.deepEqual(source.inputs, ['a'.repeat(80)]);
    });

    it('closes the guest\'s stream when the host stops sharing or closes the terminal', async () => {
        const { sharing, client, guest } = await setUp('read-write');
        const first = new HeadlessTerminalSource('one');
        const second = new HeadlessTerminalSource('two');
        const a = sharing.share(first, 'read-write');
        const b = sharing.share(second, 'read-only');
        await client.refresh();
        const stream = await client.open(a.id, new HeadlessTerminalSink());

        const unshared = nextEvent(client.onDidUnshare, 'the unshare of one');
        sharing.unshare(a.id);
        assert.deepEqual(await unshared, { id: a.id, title: 'one', reason: 'unshared' });
        assert.deepEqual(client.terminals.map(t => t.id), [b.id]);
        stream.sendInput('late\r'); // the view is closed: nothing is sent
        const late = await rawInput(guest, a.id, 'late\r');
        assert.equal(!late.ok && late.code, 'not-shared');
        assert.deepEqual(first.inputs, []);

        const closed = nextEvent(client.onDidUnshare, 'the close of two');
        second.close();
        assert.deepEqual(await closed, { id: b.id, title: 'two', reason: 'closed' });
        assert.deepEqual(client.terminals, []);
        await assert.rejects(client.open(b.id, new HeadlessTerminalSink()), /does not share this terminal/);
    });

    it('tells guests when the list changes (share, rename) so they can offer to open it', async () => {
        const { sharing, client } = await setUp('read-only');
        const source = new HeadlessTerminalSource('build');
        const added = nextEvent(client.onDidChangeList, 'the new share', 10_000, change => change.added.length > 0);
        const { id } = sharing.share(source, 'read-write');
        assert.deepEqual((await added).added.map(t => t.title), ['build']);
        const renamed = nextEvent(client.onDidChangeList, 'the rename', 10_000, change => change.terminals.some(t => t.title === 'build (watch)'));
        source.rename('build (watch)');
        const change = await renamed;
        assert.deepEqual(change.added, []);
        assert.equal(change.terminals[0].id, id);
    });

    it('redraws from the scrollback after an output flood instead of showing a gap', async () => {
        const { sharing, client, guest } = await setUp('read-only', undefined, { maxPendingChars: 2000 });
        const source = new HeadlessTerminalSource();
        const { id } = sharing.share(source, 'read-only');
        await client.refresh();
        const sink = new HeadlessTerminalSink();
        await client.open(id, sink);
        let resets = 0;
        guest.onBroadcast(TerminalOutput, ({ reset }) => { resets += reset ? 1 : 0; });
        for (let i = 0; i < 100; i++) {
            source.print(`flood ${i} ${'z'.repeat(40)}\r\n`); // 100 × 50 chars: more than the 2000 that may wait
        }
        source.print('after the flood\r\n');
        await until(async () => (await sink.text()).endsWith('after the flood'), 'the view catches up');
        assert.ok(resets >= 1, 'the host told the viewers to redraw');
        assert.ok(sink.resets >= 2, 'the view redrew from the scrollback');
        assert.equal(await sink.text(), await source.text(), 'the guest shows exactly what the host shows');
    });
});
