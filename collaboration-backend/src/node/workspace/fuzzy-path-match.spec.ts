import * as assert from 'node:assert/strict';
import { scorePath } from './fuzzy-path-match';

describe('scorePath', () => {
    it('matches characters in order, case-insensitively, and ranks file-name matches above folder matches', () => {
        assert.equal(scorePath('xyz', 'src/index.ts'), undefined);
        assert.equal(scorePath('   ', 'src/index.ts'), undefined);
        const inName = scorePath('index', 'src/index.ts')!;
        const inFolder = scorePath('src', 'src/index.ts')!;
        const scattered = scorePath('sit', 'src/index.ts')!;
        assert.ok(inName > inFolder && inFolder > scattered, `${inName} ${inFolder} ${scattered}`);
        assert.ok(scorePath('INDEX', 'src/index.ts')! > 0);
    });

    it('needs every whitespace-separated part to match', () => {
        assert.ok(scorePath('src index', 'src/index.ts')! > 0);
        assert.equal(scorePath('src nothing', 'src/index.ts'), undefined);
    });
});
