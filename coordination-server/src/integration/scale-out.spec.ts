import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { CollaborationSession, createRoom, defineBroadcast, defineNotification, defineRequest } from '@ensemble/collaboration-common';
import { redisServerAvailable, startTestRedis, type TestRedis } from '../testing/redis-server';
import { startServerProcess, type ServerProcess } from '../process/server-process';
import { eventually, joinAs, nextEvent } from '../testing/session-helpers';

const Edit = defineBroadcast('scale/edit', Type.Object({ text: Type.String() }));
const Ask = defineRequest('scale/ask', Type.Object({ question: Type.String() }), Type.Object({ answer: Type.String() }));
const Ping = defineNotification('scale/ping', Type.Object({ n: Type.Integer() }));

describe('scale-out: two server processes sharing rooms through a real redis-server', function () {
    this.timeout(60_000);
    let redis: TestRedis | undefined;
    let processA: ServerProcess | undefined;
    let processB: ServerProcess | undefined;
    let configDir: string | undefined;
    const sessions: CollaborationSession[] = [];

    before(async function () {
        if (!redisServerAvailable()) {
            console.warn('      redis-server is not installed (apt-get install redis-server): skipping the scale-out test');
            this.skip();
        }
        redis = await startTestRedis();
        configDir = mkdtempSync(join(tmpdir(), 'ensemble-config-'));
        const configFile = join(configDir, 'server.json');
        // Short sweeps so a killed process is noticed in about 3 s; no JWT secret: the processes share a generated one through Redis.
        writeFileSync(configFile, JSON.stringify({ sweepIntervalMs: 100, hostGracePeriodMs: 30_000, redisKeyPrefix: 'scale-test:' }));
        const env = { REDIS_URL: redis.url, ENSEMBLE_CONFIG: configFile, ENSEMBLE_JWT_SECRET: '' };
        [processA, processB] = await Promise.all([startServerProcess(['--port', '0'], env), startServerProcess(['--port', '0'], env)]);
    });
    after(async () => {
        sessions.forEach(session => session.dispose());
        await processA?.kill();
        await processB?.kill();
        await redis?.stop();
        if (configDir) {
            rmSync(configDir, { recursive: true, force: true });
        }
    });

    it('relays every kind of message between processes, and the room survives the host\'s process being killed', async () => {
        const a = processA!;
        const b = processB!;
        // The host is on process A.
        const credentials = await createRoom({ serverUrl: a.url, hostName: 'Host on A' });
        const host = new CollaborationSession({ serverUrl: a.url });
        sessions.push(host);
        const hostEdits: string[] = [];
        host.onBroadcast(Edit, ({ text }) => hostEdits.push(text));
        host.onRequest(Ask, ({ question }) => ({ answer: `A says: ${question}` }));
        await host.connect(credentials.hostToken);
        const room = { host, roomId: credentials.roomId, inviteCode: credentials.inviteCode, hostToken: credentials.hostToken };

        // The guests are on process B: the join request crosses to A and the answer comes back.
        const guestEdits: Record<string, string[]> = { one: [], two: [] };
        const pings: number[] = [];
        const one = await joinAs(b.url, room, 'One', 'read-write', session => {
            session.onBroadcast(Edit, ({ text }) => guestEdits.one.push(text));
            session.onNotification(Ping, ({ n }) => pings.push(n));
        });
        const two = await joinAs(b.url, room, 'Two', 'read-only', session => session.onBroadcast(Edit, ({ text }) => guestEdits.two.push(text)));
        sessions.push(one, two);
        assert.equal(two.role, 'read-only');
        await eventually(() => one.peers.size === 3 && host.peers.size === 3, 'everyone sees three peers');

        // Broadcasts both ways, a request B -> A, a notification A -> B.
        host.sendBroadcast(Edit, { text: 'from A' });
        one.sendBroadcast(Edit, { text: 'from B' });
        await eventually(() => guestEdits.one.includes('from A') && guestEdits.two.length === 2 && hostEdits.includes('from B'), 'broadcasts cross processes');
        assert.deepEqual(await two.sendRequest(Ask, { question: 'hi' }, { type: 'host' }), { answer: 'A says: hi' });
        host.sendNotification(Ping, { n: 1 }, { type: 'peer', peer: one.peerId! });
        await eventually(() => pings.length === 1, 'the notification crosses');

        // Topics: only the subscriber on B gets the host's topic messages.
        await one.subscribe('file:///shared.ts');
        host.publish('file:///shared.ts', Edit, { text: 'topic' });
        await eventually(() => guestEdits.one.includes('topic'), 'the subscriber gets the topic message');

        // Statuses are shared too.
        await host.setStatus({ name: 'Host on A', color: 'green' });
        await eventually(() => two.statuses.get(host.peerId!)?.status.color === 'green', 'the status crosses');

        // Kill process A: B notices the host is gone (its heartbeat stops) but keeps the room for the grace period.
        const hostGone = nextEvent(one.onPeerLeft, 'the host leaving with process A', 10_000, event => event.peerId === host.peerId);
        const hostToken = host.currentToken!;
        await a.kill();
        processA = undefined;
        host.dispose();
        assert.ok((await hostGone).hostGraceEndsAt);
        // A request to the host, who is connected to no process now, fails at once (not after the requester's 20 s timeout).
        await assert.rejects(one.sendRequest(Ask, { question: 'anyone?' }, { type: 'host' }, { timeoutMs: 20_000 }),
            (error: unknown) => (error as { code?: string }).code === 'peer-not-connected');
        assert.ok(!guestEdits.two.includes('topic'), 'the non-subscriber never got the topic message');

        // The host reconnects to B, and the room goes on.
        const back = new CollaborationSession({ serverUrl: b.url });
        sessions.push(back);
        back.onRequest(Ask, ({ question }) => ({ answer: `B says: ${question}` }));
        const hostBack = nextEvent(one.onPeerJoined, 'the host coming back on B', 10_000);
        await back.connect(hostToken);
        assert.equal((await hostBack).id, host.peerId);
        assert.deepEqual([...back.peers.keys()].sort(), [host.peerId, one.peerId, two.peerId].sort());
        back.sendBroadcast(Edit, { text: 'after failover' });
        await eventually(() => guestEdits.one.includes('after failover') && guestEdits.two.includes('after failover'), 'the room goes on');
        assert.deepEqual(await one.sendRequest(Ask, { question: 'still there?' }, { type: 'host' }), { answer: 'B says: still there?' });
    });
});
