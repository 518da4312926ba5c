import * as assert from 'node:assert/strict';
import type { RunningCoordinationServer } from '../start-coordination-server';
import { startTestServer } from '../testing/test-server';

describe('GET /invite/<code>: a page for people who open an invite link in a browser', () => {
    let server: RunningCoordinationServer;
    before(async () => { server = await startTestServer(); });
    after(() => server.close());

    it('says what the link is for and how to use it', async () => {
        const response = await fetch(`${server.url}/invite/ABCD-EFGH-JKLM`);
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
        const page = await response.text();
        assert.match(page, /Ensemble: Join Session/);
        assert.match(page, /ABCD-EFGH-JKLM/);
    });

    it('is not served for anything that is not a code', async () => {
        assert.equal((await fetch(`${server.url}/invite/%3Cscript%3E`)).status, 404);
        assert.equal((await fetch(`${server.url}/invite/`)).status, 404);
    });
});
