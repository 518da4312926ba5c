import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../config/load-config';
import { startServerProcess } from '../process/server-process';

describe('ensemble-server CLI and configuration', () => {
    it('starts on a free port, prints its URL, serves /health, and exits cleanly on SIGTERM', async () => {
        const server = await startServerProcess(['--port', '0', '--host', '127.0.0.1'], {});
        assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.equal((await fetch(`${server.url}/health`)).status, 200);
        assert.equal(await server.terminate(), 0);
    });

    it('merges defaults < config file < environment < flags, and explains mistakes', () => {
        const dir = mkdtempSync(join(tmpdir(), 'ensemble-cli-'));
        try {
            const file = join(dir, 'config.json');
            writeFileSync(file, JSON.stringify({ port: 1111, host: '0.0.0.0', hostGracePeriodMs: 5000, limits: { maxRooms: 7 } }));
            const { options } = loadConfig(['--config', file, '--port', '3333'], { ENSEMBLE_PORT: '2222', ENSEMBLE_JWT_SECRET: 's'.repeat(40), ENSEMBLE_MAX_PEERS_PER_ROOM: '9' });
            assert.equal(options.port, 3333);
            assert.equal(options.host, '0.0.0.0');
            assert.equal(options.hostGracePeriodMs, 5000);
            assert.equal(options.jwtSecret, 's'.repeat(40));
            assert.deepEqual(options.limits, { maxRooms: 7, maxPeersPerRoom: 9 });
            assert.equal(loadConfig([], { ENSEMBLE_PORT: '2222', REDIS_URL: 'redis://127.0.0.1:1' }).options.redisUrl, 'redis://127.0.0.1:1');
            writeFileSync(file, JSON.stringify({ connectionRecoveryMs: 30_000, connectionRecoveryMaxPackets: 500 }));
            const recovery = loadConfig(['--config', file], { ENSEMBLE_RECOVERY_MAX_PACKETS: '2000', ENSEMBLE_RECOVERY_MAX_BYTES: '1048576' }).options;
            assert.deepEqual([recovery.connectionRecoveryMs, recovery.connectionRecoveryMaxPackets, recovery.connectionRecoveryMaxBytes], [30_000, 2000, 1_048_576]);
            assert.throws(() => loadConfig([], { ENSEMBLE_RECOVERY_MAX_BYTES: 'lots' }), /ENSEMBLE_RECOVERY_MAX_BYTES must be a non-negative number/);
            writeFileSync(file, JSON.stringify({ prot: 1 }));
            assert.throws(() => loadConfig(['--config', file], {}), (error: Error) => error instanceof ConfigError && /must NOT have additional properties/.test(error.message));
            assert.throws(() => loadConfig(['--port', 'eighty'], {}), /port must be a non-negative number/);
            assert.throws(() => loadConfig(['--bogus'], {}), /Unknown option '--bogus'/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it('refuses a short JWT secret instead of running with a weak one', async () => {
        await assert.rejects(startServerProcess(['--port', '0'], { ENSEMBLE_JWT_SECRET: 'short' }), /too short/);
    });
});
