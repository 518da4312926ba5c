import * as assert from 'node:assert/strict';
import { createRoom } from '@ensemble/collaboration-common';
import { startTestServer } from '../testing/test-server';
import { hostRoom } from '../testing/session-helpers';

describe('HTTP endpoints: create room, health, metrics, access control', () => {
    it('answers /health and exposes Prometheus metrics', async () => {
        const server = await startTestServer();
        try {
            const room = await hostRoom(server.url);
            const health = await fetch(`${server.url}/health`);
            assert.equal(health.status, 200);
            assert.equal((await health.json() as { status: string }).status, 'ok');
            const metrics = await (await fetch(`${server.url}/metrics`)).text();
            for (const name of ['ensemble_connected_sockets 1', 'ensemble_rooms 1', 'ensemble_messages_relayed_total', 'ensemble_bytes_relayed_total',
                'ensemble_messages_rejected_total', 'ensemble_relay_duration_seconds_bucket']) {
                assert.ok(metrics.includes(name), `metrics lack ${name}`);
            }
            room.host.dispose();
            const missing = await fetch(`${server.url}/nope`);
            assert.equal(missing.status, 404);
            const invalid = await fetch(`${server.url}/rooms`, { method: 'POST', body: '{"hostName": ""}' });
            assert.equal(invalid.status, 400);
            assert.match((await invalid.json() as { error: { message: string } }).error.message, /body\/hostName must NOT have fewer than 1 characters/);
        } finally {
            await server.close();
        }
    });

    it('requires the access token, when configured, to create rooms (and never doubles a slash)', async () => {
        const server = await startTestServer({ accessTokens: ['let-me-in'] });
        try {
            await assert.rejects(createRoom({ serverUrl: server.url, hostName: 'A' }), { code: 'access-token-required' });
            await assert.rejects(createRoom({ serverUrl: server.url, hostName: 'A', accessToken: 'wrong' }), { code: 'access-token-required' });
            const room = await createRoom({ serverUrl: `${server.url}/`, hostName: 'A', accessToken: 'let-me-in' });
            assert.ok(room.hostToken.length > 20);
        } finally {
            await server.close();
        }
    });

    it('limits room creation to allowed addresses', async () => {
        const server = await startTestServer({ allowedCreatorAddresses: ['10.9.8.7'] });
        try {
            await assert.rejects(createRoom({ serverUrl: server.url, hostName: 'A' }), (error: Error) => /does not let 127\.0\.0\.1 create rooms/.test(error.message));
        } finally {
            await server.close();
        }
        const allowed = await startTestServer({ allowedCreatorAddresses: ['127.0.0.1'] });
        try {
            assert.ok((await createRoom({ serverUrl: allowed.url, hostName: 'A' })).roomId);
        } finally {
            await allowed.close();
        }
    });
});
