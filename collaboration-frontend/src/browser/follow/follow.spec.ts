import * as assert from 'node:assert/strict';
import { locationStatus, LocationStatusKeys, parseLeaderLocation } from './leader-location';

describe('follow mode: the leader\'s location in its status', () => {
    it('round-trips a shared file and line through the status patch', () => {
        const patch = locationStatus({ target: { root: 'ws', path: 'src/a.ts' }, line: 45 });
        assert.deepEqual(parseLeaderLocation(patch), { target: { root: 'ws', path: 'src/a.ts' }, line: 45 });
        assert.deepEqual(locationStatus(undefined), { [LocationStatusKeys.activeShared]: undefined, [LocationStatusKeys.activeLine]: undefined });
    });

    it('ignores malformed locations (a status is peer input) and defaults a bad line to 1', () => {
        for (const status of [undefined, {}, { activeShared: 'ws/a.ts' }, { activeShared: { root: '', path: 'a' } },
            { activeShared: { root: 'ws', path: 3 } }, { activeShared: { root: 'x'.repeat(300), path: '' } }, { activeShared: null }]) {
            assert.equal(parseLeaderLocation(status as Record<string, unknown> | undefined), undefined, JSON.stringify(status));
        }
        for (const line of [0, -3, 1.5, '7', Number.NaN]) {
            assert.equal(parseLeaderLocation({ activeShared: { root: 'ws', path: 'a' }, activeLine: line })?.line, 1, String(line));
        }
    });
});
