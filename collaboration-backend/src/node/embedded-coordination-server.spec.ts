import * as assert from 'assert';
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { EmbeddedCoordinationServer } from './embedded-coordination-server';

describe('EmbeddedCoordinationServer', () => {
    let server: EmbeddedCoordinationServer;

    beforeEach(() => {
        process.env.ENSEMBLE_LOG_LEVEL = 'silent';
        server = new EmbeddedCoordinationServer();
    });

    afterEach(async () => {
        await server.onStop();
        delete process.env.ENSEMBLE_EMBEDDED_SERVER_PORT;
    });

    it('starts on first use, serves health, and starts once', async () => {
        const [url, again] = await Promise.all([server.getUrl(), server.getUrl()]);
        assert.strictEqual(url, again);
        assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
        const response = await fetch(`${url}/health`);
        assert.strictEqual(response.status, 200);
    });

    it('stops with the backend', async () => {
        const url = await server.getUrl();
        await server.onStop();
        await assert.rejects(fetch(`${url}/health`));
    });

    it('explains what to do when its port is taken', async () => {
        const first = await server.getUrl();
        process.env.ENSEMBLE_EMBEDDED_SERVER_PORT = new URL(first).port;
        const second = new EmbeddedCoordinationServer();
        await assert.rejects(second.getUrl(), /could not start on 127\.0\.0\.1:\d+.*ENSEMBLE_EMBEDDED_SERVER_PORT.*collaboration\.serverUrl/s);
        await second.onStop();
    });

    it('runs the server in a process of its own, which stops when the backend dies, even by SIGKILL', async function () {
        this.timeout(30_000);
        // A stand-in backend: a Node process that starts the embedded server and prints its URL.
        const script = `require('reflect-metadata');
            const { EmbeddedCoordinationServer } = require(${JSON.stringify(require.resolve('./embedded-coordination-server'))});
            new EmbeddedCoordinationServer().getUrl().then(url => console.log('URL ' + url));
            setInterval(() => undefined, 1000);`;
        const backend = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ENSEMBLE_LOG_LEVEL: 'silent' } });
        try {
            const url = await new Promise<string>((resolve, reject) => {
                let output = '';
                backend.stdout!.on('data', (chunk: Buffer) => {
                    output += chunk.toString();
                    const match = /URL (\S+)/.exec(output);
                    if (match) {
                        resolve(match[1]);
                    }
                });
                backend.once('exit', code => reject(new Error(`the backend exited with ${code}: ${output}`)));
            });
            assert.strictEqual((await fetch(`${url}/health`)).status, 200);
            backend.kill('SIGKILL');
            const deadline = Date.now() + 20_000;
            for (;;) {
                const stopped = await fetch(`${url}/health`).then(() => false, () => true);
                if (stopped) {
                    break;
                }
                assert.ok(Date.now() < deadline, 'the server process outlived its backend');
                await new Promise(resolve => setTimeout(resolve, 200));
            }
        } finally {
            backend.kill('SIGKILL');
        }
    });
});
