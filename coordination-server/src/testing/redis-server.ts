import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port';

export interface TestRedis {
    readonly url: string;
    stop(): Promise<void>;
}

/** Whether Debian's `redis-server` is installed (CI installs it; `apt-get install redis-server` locally). */
export function redisServerAvailable(): boolean {
    return spawnSync('redis-server', ['--version']).status === 0;
}

/** Starts a throw-away redis-server on a free loopback port, without persistence, in a temp dir. */
export async function startTestRedis(): Promise<TestRedis> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'ensemble-redis-'));
    const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
        { stdio: 'ignore' });
    const url = `redis://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
        const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        probe.on('error', () => undefined);
        try {
            await probe.connect();
            await probe.ping();
            probe.disconnect();
            break;
        } catch {
            probe.disconnect();
            if (Date.now() > deadline || child.exitCode !== null) {
                child.kill('SIGKILL');
                throw new Error(`redis-server did not start on port ${port}`);
            }
            await new Promise(resolve => setTimeout(resolve, 50));
        }
    }
    return {
        url,
        stop: async () => {
            if (child.exitCode === null) {
                const exited = new Promise(resolve => child.once('exit', resolve));
                child.kill('SIGKILL');
                await exited;
            }
            rmSync(dir, { recursive: true, force: true });
        }
    };
}
