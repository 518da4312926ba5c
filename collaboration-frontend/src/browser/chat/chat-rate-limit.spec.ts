import * as assert from 'node:assert/strict';
import { ChatRateLimit } from './chat-rate-limit';

describe('ChatRateLimit', () => {
    it('allows a burst per peer, then refills at the rate, never above the burst', () => {
        let now = 0;
        const limit = new ChatRateLimit(3, 2, () => now);
        assert.deepEqual([1, 2, 3, 4].map(() => limit.take('a')), [true, true, true, false]);
        assert.equal(limit.take('b'), true, 'each peer has its own allowance');
        now += 500; // one post back at 2 per second
        assert.deepEqual([limit.take('a'), limit.take('a')], [true, false]);
        now += 60_000;
        assert.deepEqual([1, 2, 3, 4].map(() => limit.take('a')), [true, true, true, false]);
        limit.forget('a');
        assert.equal(limit.take('a'), true);
    });
});
