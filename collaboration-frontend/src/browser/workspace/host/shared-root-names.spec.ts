import * as assert from 'node:assert/strict';
import URI from '@theia/core/lib/common/uri';
import { nameWorkspaceRoots } from './shared-root-names';

describe('nameWorkspaceRoots', () => {
    it('uses each folder\'s name, made unique regardless of case', () => {
        const roots = ['file:///home/a/app', 'file:///home/b/app', 'file:///home/c/App', 'file:///home/docs'].map(uri => new URI(uri));
        assert.deepEqual([...nameWorkspaceRoots(roots).values()], ['app', 'app (2)', 'App (3)', 'docs']);
    });

    it('gives the file-system root a usable name', () => {
        assert.deepEqual([...nameWorkspaceRoots([new URI('file:///')]).values()], ['folder']);
    });

    it('keeps names stable whatever is shared: names are given over all workspace folders', () => {
        const roots = ['file:///x/app', 'file:///y/app'].map(uri => new URI(uri));
        assert.equal(nameWorkspaceRoots(roots).get('file:///y/app'), 'app (2)');
    });
});
