import * as assert from 'node:assert/strict';
import { describeState } from './session-state-text';

describe('status-bar text of each state', () => {
    it('names the state, with counts and the host-away countdown', () => {
        assert.equal(describeState({ kind: 'off' }).text, '$(broadcast) Ensemble');
        assert.equal(describeState({ kind: 'hosting', guests: 1, pendingRequests: 0 }).text, '$(broadcast) Hosting · 1 guest');
        const busy = describeState({ kind: 'hosting', guests: 2, pendingRequests: 3 });
        assert.equal(busy.text, '$(broadcast) Hosting · 2 guests · 3 requests');
        assert.ok(busy.attention);
        assert.match(busy.tooltip, /3 join requests waiting for your answer/);
        assert.equal(describeState({ kind: 'joined', role: 'read-only' }).text, '$(account) Joined (read-only)');
        assert.match(describeState({ kind: 'waiting-for-host', serverUrl: 'http://x' }).text, /waiting for the host/);
        const away = { kind: 'reconnecting', cause: 'host-away', asHost: false, hostGraceEndsAt: 100_000 } as const;
        assert.equal(describeState(away, 58_001).text, '$(watch) Host away · 42 s');
        assert.equal(describeState(away, 200_000).text, '$(watch) Host away · 0 s');
        assert.match(describeState(away, 58_001).tooltip, /waits 42 s for the host to come back/);
        assert.match(describeState({ kind: 'reconnecting', cause: 'connection-lost', asHost: true }).text, /reconnecting/);
        const closed = describeState({ kind: 'closed', reason: 'removed', message: 'The host removed you from the session.' });
        assert.equal(closed.text, '$(broadcast) Ensemble');
        assert.match(closed.tooltip, /^The host removed you from the session\. Click to start or join a session\.$/);
    });
});
