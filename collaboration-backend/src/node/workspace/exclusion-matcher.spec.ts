import * as assert from 'node:assert/strict';
import { ExclusionMatcher, UPLOAD_TEMP_PREFIX } from './exclusion-matcher';

describe('ExclusionMatcher', () => {
    const defaults = new ExclusionMatcher(['**/.env', '**/.git/**']);

    it('matches the default globs at any depth, case-insensitively', () => {
        for (const path of ['.env', 'a/.env', 'a/b/.ENV', '.git', '.git/config', 'pkg/.git/objects/ab/cd']) {
            assert.equal(defaults.isExcluded(path), true, path);
        }
        for (const path of ['', 'env', '.envrc', 'a/.env.example', 'git', '.github/workflows/ci.yml', 'src/index.ts']) {
            assert.equal(defaults.isExcluded(path), false, path);
        }
    });

    it('excludes what lies under an excluded folder even when the glob names only the folder', () => {
        const matcher = new ExclusionMatcher(['secrets']);
        assert.equal(matcher.isExcluded('secrets/prod/key.pem'), true);
        assert.equal(matcher.isExcluded('other/secrets'), false);
    });

    it('always hides upload temporaries and ignores blank or negated globs', () => {
        const matcher = new ExclusionMatcher(['', '  ', '!**/.env']);
        assert.equal(matcher.isExcluded(`sub/${UPLOAD_TEMP_PREFIX}123`), true);
        assert.equal(matcher.isExcluded('.env'), false);
        assert.equal(matcher.isExcluded('a.txt'), false);
    });

    it('accepts globs written with a leading "./" or "/"', () => {
        const matcher = new ExclusionMatcher(['./build/**', '/dist']);
        assert.equal(matcher.isExcluded('build/out.js'), true);
        assert.equal(matcher.isExcluded('dist/x.js'), true);
    });
});
