import * as assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import {
    CollaborationSession, defineBroadcast, defineNotification, defineRequest, ErrorCodes, InvalidMessageError, RemoteError,
    RequestCancelledError, RequestTimeoutError, type Broadcast, type Request
} from '@ensemble/collaboration-common';
import type { RunningCoordinationServer } from '../start-coordination-server';
import { startTestServer } from '../testing/test-server';
import { delay, eventually, hostRoom, joinAs, type HostedRoom } from '../testing/session-helpers';

const Cursor = defineBroadcast('test/cursor', Type.Object({ line: Type.Integer({ minimum: 0 }), uri: Type.String() }));
const Edit = defineBroadcast('test/edit', Type.Object({ uri: Type.String(), text: Type.String() }));
const Nudge = defineNotification('test/nudge', Type.Object({ note: Type.String() }));
const Add = defineRequest('test/add', Type.Object({ a: Type.Number(), b: Type.Number() }), Type.Object({ sum: Type.Number() }));
const Slow = defineRequest('test/slow', Type.Object({}), Type.Object({}));
const Fail = defineRequest('test/fail', Type.Object({}), Type.Object({}));
/** Declared with a hand-written JSON schema, as an extension without TypeBox would. */
const Rename: Request<{ from: string; to: string }, { ok: boolean }> = {
    kind: 'request',
    method: 'extension/rename',
    params: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string', minLength: 1 } }, required: ['from', 'to'], additionalProperties: false },
    result: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }
};

describe('messaging: broadcasts, requests, notifications, topics (real clients, real server)', () => {
    let server: RunningCoordinationServer;
    let room: HostedRoom;
    let alice: CollaborationSession;
    let bob: CollaborationSession;
    const received: Record<string, unknown[]> = {};
    const record = (who: string) => (value: unknown): void => { (received[who] ??= []).push(value); };

    before(async () => {
        server = await startTestServer();
        room = await hostRoom(server.url);
        room.host.onRequest(Add, ({ a, b }) => ({ sum: a + b }));
        room.host.onBroadcast(Cursor, (params, context) => record('host')({ params, origin: context.origin }));
        alice = await joinAs(server.url, room, 'Alice', 'read-write', session => {
            session.onBroadcast(Cursor, (params, context) => record('alice')({ params, origin: context.origin }));
            session.onNotification(Nudge, (params, context) => record('alice-nudges')({ params, origin: context.origin }));
            session.onRequest(Fail, () => { throw new Error('disk is full'); });
            session.onRequest(Slow, (_params, context) => new Promise(resolve => {
                context.signal.addEventListener('abort', () => record('alice-aborted')(true));
                setTimeout(() => resolve({}), 3000);
            }));
        });
        bob = await joinAs(server.url, room, 'Bob', 'read-write', session => {
            session.onBroadcast(Cursor, (params, context) => record('bob')({ params, origin: context.origin }));
            session.onRequest(Rename, ({ to }) => ({ ok: to !== 'forbidden' }));
        });
        await eventually(() => room.host.peers.size === 3 && alice.peers.size === 3, 'everyone sees everyone');
    });
    beforeEach(() => { Object.keys(received).forEach(key => delete received[key]); });
    after(async () => {
        [room.host, alice, bob].forEach(session => session.dispose());
        await server.close();
    });

    it('broadcasts to every other peer, stamped with the sender\'s id, in order', async () => {
        for (let line = 0; line < 50; line++) {
            alice.sendBroadcast(Cursor, { line, uri: 'file:///a.ts' });
        }
        await eventually(() => received.bob?.length === 50 && received.host?.length === 50, 'bob and the host receive all 50');
        assert.deepEqual(received.bob?.map(entry => (entry as { params: { line: number } }).params.line), [...Array(50).keys()]);
        assert.ok(received.bob?.every(entry => (entry as { origin: string }).origin === alice.peerId));
        await delay(50);
        assert.equal(received.alice, undefined, 'the sender does not receive its own broadcast');
    });

    it('answers requests to the host and to a peer', async () => {
        assert.deepEqual(await alice.sendRequest(Add, { a: 2, b: 3 }, { type: 'host' }), { sum: 5 });
        assert.deepEqual(await alice.sendRequest(Rename, { from: 'a', to: 'b' }, { type: 'peer', peer: bob.peerId! }), { ok: true });
        assert.deepEqual(await room.host.sendRequest(Rename, { from: 'a', to: 'forbidden' }, { type: 'peer', peer: bob.peerId! }), { ok: false });
    });

    it('delivers a notification to one peer only', async () => {
        bob.onNotification(Nudge, record('bob-nudges'));
        room.host.sendNotification(Nudge, { note: 'look here' }, { type: 'peer', peer: alice.peerId! });
        await eventually(() => received['alice-nudges']?.length === 1, 'alice gets the nudge');
        assert.deepEqual(received['alice-nudges'], [{ params: { note: 'look here' }, origin: room.host.peerId }]);
        await delay(50);
        assert.equal(received['bob-nudges'], undefined);
    });

    it('publishes to a topic\'s subscribers only, until they unsubscribe', async () => {
        const edits: Record<string, string[]> = { alice: [], bob: [], host: [] };
        alice.onBroadcast(Edit, ({ text }) => edits.alice.push(text));
        bob.onBroadcast(Edit, ({ text }) => edits.bob.push(text));
        room.host.onBroadcast(Edit, ({ text }) => edits.host.push(text));
        await alice.subscribe('file:///a.ts');
        await room.host.subscribe('file:///a.ts');
        await bob.subscribe('file:///b.ts');
        room.host.publish('file:///a.ts', Edit, { uri: 'file:///a.ts', text: 'one' });
        bob.publish('file:///a.ts', Edit, { uri: 'file:///a.ts', text: 'two' });
        await eventually(() => edits.alice.length === 2 && edits.host.length === 1, 'the subscribers get the edits');
        assert.deepEqual(edits.alice, ['one', 'two']);
        assert.deepEqual(edits.host, ['two']);
        assert.deepEqual(edits.bob, [], 'bob has another document open');
        await alice.unsubscribe('file:///a.ts');
        room.host.publish('file:///a.ts', Edit, { uri: 'file:///a.ts', text: 'three' });
        bob.publish('file:///b.ts', Edit, { uri: 'file:///b.ts', text: 'four' });
        await delay(100);
        assert.deepEqual(edits.alice, ['one', 'two']);
        assert.deepEqual(edits.bob, [], 'publishers do not receive their own topic messages');
        assert.deepEqual([...alice.subscribedTopics], []);
    });

    it('times out a request that gets no answer, and aborts the handler', async () => {
        const started = Date.now();
        await assert.rejects(bob.sendRequest(Slow, {}, { type: 'peer', peer: alice.peerId! }, { timeoutMs: 200 }), RequestTimeoutError);
        assert.ok(Date.now() - started < 2000);
        await eventually(() => received['alice-aborted']?.length === 1, 'the handler\'s signal aborts');
    });

    it('cancels a request through an AbortSignal', async () => {
        const abort = new AbortController();
        const pending = bob.sendRequest(Slow, {}, { type: 'peer', peer: alice.peerId! }, { signal: abort.signal });
        setTimeout(() => abort.abort(), 50);
        await assert.rejects(pending, RequestCancelledError);
        await eventually(() => received['alice-aborted']?.length === 1, 'the handler\'s signal aborts');
    });

    it('returns a handler\'s error to the caller as an error', async () => {
        await assert.rejects(bob.sendRequest(Fail, {}, { type: 'peer', peer: alice.peerId! }),
            (error: unknown) => error instanceof RemoteError && error.code === ErrorCodes.handlerFailed && error.message === 'disk is full'
                && error.origin === alice.peerId);
    });

    it('fails at once for a peer without a handler or a peer that is not connected', async () => {
        await assert.rejects(alice.sendRequest(Add, { a: 1, b: 1 }, { type: 'peer', peer: bob.peerId! }),
            (error: unknown) => error instanceof RemoteError && error.code === ErrorCodes.noHandler);
        const started = Date.now();
        await assert.rejects(alice.sendRequest(Add, { a: 1, b: 1 }, { type: 'peer', peer: 'nobody' }),
            (error: unknown) => error instanceof RemoteError && error.code === ErrorCodes.peerNotConnected);
        assert.ok(Date.now() - started < 1000, 'no timeout wait');
    });

    it('refuses to send params that break the schema, naming the problem', () => {
        assert.throws(() => alice.sendBroadcast(Cursor, { line: -1, uri: 'x' }), (error: unknown) =>
            error instanceof InvalidMessageError && /params\/line must be >= 0/.test(error.message));
        return assert.rejects(alice.sendRequest(Rename, { from: 'a', to: '' }, { type: 'host' }), /params\/to must NOT have fewer than 1 characters/);
    });

    it('reports a declaration that conflicts with the room\'s, and the server rejects mismatching params', async () => {
        const OtherCursor = defineBroadcast('test/cursor', Type.Object({ column: Type.String() }));
        const errors: string[] = [];
        const serverErrors: string[] = [];
        const carol = await joinAs(server.url, room, 'Carol', 'read-write', session => {
            session.onProtocolError(message => errors.push(message));
            session.onServerError(error => serverErrors.push(`${error.code}: ${error.message}`));
            session.onBroadcast(OtherCursor, () => undefined);
        });
        try {
            await eventually(() => errors.length === 1, 'the refused declaration is reported');
            assert.match(errors[0], /already declared in this room with a different schema/);
            carol.sendBroadcast(OtherCursor, { column: 'x' });
            await eventually(() => serverErrors.length === 1, 'the server rejects the message');
            assert.match(serverErrors[0], /^invalid-params: Invalid params for "test\/cursor": params must have required property 'line'/);
            await delay(50);
            assert.equal(received.bob, undefined, 'the invalid broadcast reached nobody');
        } finally {
            carol.dispose();
        }
    });

    it('matches declared patterns in linear time: a crafted pattern cannot stall the server', async () => {
        // With JavaScript's backtracking RegExp, /^(a+)+$/ against 40 a's and a '!' runs for hours.
        const evil = { type: 'object', properties: { word: { type: 'string', pattern: '^(a+)+$' } }, required: ['word'] };
        const Declared: Broadcast<{ word: string }> = { kind: 'broadcast', method: 'extension/evil', params: evil };
        // What Mallory actually sends with: the same method without the pattern, so that her own check passes.
        const Unchecked: Broadcast<{ word: string }> = { kind: 'broadcast', method: 'extension/evil', params: { type: 'object' } };
        const serverErrors: string[] = [];
        const mallory = await joinAs(server.url, room, 'Mallory', 'read-write', session => {
            session.onServerError(error => serverErrors.push(`${error.code}: ${error.message}`));
            session.onBroadcast(Declared, () => undefined);
        });
        try {
            await delay(100); // the declaration reaches the server before the message
            mallory.sendBroadcast(Unchecked, { word: 'a'.repeat(40) + '!' });
            await eventually(() => serverErrors.length === 1, 'the server rejects the message');
            assert.match(serverErrors[0], /^invalid-params: .*must match pattern/);
            assert.deepEqual(await alice.sendRequest(Add, { a: 2, b: 3 }, { type: 'host' }), { sum: 5 }, 'the server still relays');
        } finally {
            mallory.dispose();
        }
    });

    it('refuses a declared pattern that needs backtracking (lookaround, backreferences), saying why', async () => {
        const Lookahead = defineBroadcast('extension/lookahead', Type.Object({ word: Type.String({ pattern: '^(?=a)a+$' }) }));
        const errors: string[] = [];
        const eve = await joinAs(server.url, room, 'Eve', 'read-write', session => {
            session.onProtocolError(message => errors.push(message));
            session.onBroadcast(Lookahead, () => undefined);
        });
        try {
            await eventually(() => errors.length === 1, 'the refused declaration is reported');
            assert.match(errors[0], /only regular expressions it can match in linear time/);
        } finally {
            eve.dispose();
        }
    });
});
