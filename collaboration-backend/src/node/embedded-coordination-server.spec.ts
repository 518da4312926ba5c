import * as assert from 'assert';
import 'reflect-metadata';
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
});
