import * as assert from 'node:assert/strict';
import { baseName, checkRelativePath, childPath, parentPath, pathSegments } from './workspace-path';

describe('workspace paths', () => {
    it('accepts relative paths and the root', () => {
        for (const path of ['', 'a', 'a/b.txt', '.env', '...', 'a..b', 'name with spaces/ünïcode.ts']) {
            assert.equal(checkRelativePath(path), undefined, path);
        }
    });

    it('refuses what could climb, be absolute or be read differently by the host', () => {
        for (const path of ['..', 'a/..', '../a', 'a/../b', '.', './a', '/a', '//a', 'C:/a', 'c:', 'a\\b', 'a\u0000', 'a//b', 'a/', 'x'.repeat(256)]) {
            assert.notEqual(checkRelativePath(path), undefined, JSON.stringify(path));
        }
    });

    it('splits and joins', () => {
        assert.deepEqual(pathSegments(''), []);
        assert.deepEqual(pathSegments('a/b'), ['a', 'b']);
        assert.equal(childPath('', 'a'), 'a');
        assert.equal(childPath('a', 'b'), 'a/b');
        assert.equal(parentPath('a/b/c'), 'a/b');
        assert.equal(parentPath('a'), '');
        assert.equal(baseName('a/b/c.txt'), 'c.txt');
    });
});
