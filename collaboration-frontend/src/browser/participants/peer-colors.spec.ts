import * as assert from 'node:assert/strict';
import { assignPeerColors, defaultPeerColor, hashString, pickPeerColor, PEER_COLORS } from './peer-colors';

describe('peer colours', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `peer-${i}-${(i * 7919).toString(36)}`);

    it('is deterministic', () => {
        assert.equal(hashString('abc'), hashString('abc'));
        assert.equal(defaultPeerColor('p1'), defaultPeerColor('p1'));
        assert.deepEqual(assignPeerColors(ids.slice(0, 5)), assignPeerColors(ids.slice(0, 5)));
        assert.equal(pickPeerColor('p1', ['#e6194b']), pickPeerColor('p1', ['#E6194B']));
    });

    it('gives distinct colours while the room has no more peers than the palette', () => {
        for (let start = 0; start + PEER_COLORS.length <= ids.length; start += 7) {
            const colors = [...assignPeerColors(ids.slice(start, start + PEER_COLORS.length)).values()];
            assert.equal(new Set(colors).size, PEER_COLORS.length);
        }
    });

    it('avoids colours in use, and prefers the peer\'s own default when free', () => {
        const id = ids[3];
        assert.equal(pickPeerColor(id, []), defaultPeerColor(id));
        const taken = [defaultPeerColor(id)];
        const picked = pickPeerColor(id, taken);
        assert.notEqual(picked, taken[0]);
        assert.ok(PEER_COLORS.includes(picked));
    });

    it('still answers (with a shared colour) when every colour is taken', () => {
        assert.ok(PEER_COLORS.includes(pickPeerColor('late', PEER_COLORS)));
    });

    it('spreads default colours over the palette', () => {
        const used = new Set(ids.map(defaultPeerColor));
        assert.ok(used.size >= PEER_COLORS.length / 2, `only ${used.size} colours used by 40 ids`);
    });
});
