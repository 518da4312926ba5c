import * as assert from 'node:assert/strict';
import { locationStatus, LocationStatusKeys, parseLeaderLocation } from './leader-location';

describe('follow mode: the leader\'s location in its status', () => {
    it('round-trips a shared file, caret line and first visible line through the status patch', () => {
        const patch = locationStatus({ target: { root: 'ws', path: 'src/a.ts' }, line: 45, topLine: 30 });
        assert.deepEqual(parseLeaderLocation(patch), { target: { root: 'ws', path: 'src/a.ts' }, line: 45, topLine: 30 });
        assert.deepEqual(parseLeaderLocation(locationStatus({ target: { root: 'ws', path: 'b' }, line: 2 })), { target: { root: 'ws', path: 'b' }, line: 2 });
        assert.deepEqual(locationStatus(undefined),
            { [LocationStatusKeys.activeShared]: undefined, [LocationStatusKeys.activeLine]: undefined, [LocationStatusKeys.activeTopLine]: undefined });
    });

    it('ignores malformed locations (a status is peer input), defaults a bad line to 1 and drops a bad top line', () => {
        for (const status of [undefined, {}, { activeShared: 'ws/a.ts' }, { activeShared: { root: '', path: 'a' } },
            { activeShared: { root: 'ws', path: 3 } }, { activeShared: { root: 'x'.repeat(300), path: '' } }, { activeShared: null }]) {
            assert.equal(parseLeaderLocation(status as Record<string, unknown> | undefined), undefined, JSON.stringify(status));
        }
        for (const line of [0, -3, 1.5, '7', Number.NaN]) {
            assert.equal(parseLeaderLocation({ activeShared: { root: 'ws', path: 'a' }, activeLine: line })?.line, 1, String(line));
            // A bad top line is left out: the follower then centres the caret line instead.
            assert.equal(parseLeaderLocation({ activeShared: { root: 'ws', path: 'a' }, activeLine: 3, activeTopLine: line })?.topLine, undefined, String(line));
        }
    });
});
