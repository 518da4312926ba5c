import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import 'reflect-metadata';
import { HostWorkspaceServiceImpl } from './host-workspace-service-impl';
import { codeOf, ok, readWrite, type TempWorkspace } from './testing/temp-workspace';
import { closeSharedWorkspace, openSharedWorkspace } from './testing/shared-workspace';

describe('HostWorkspaceService: every request stays inside the shared roots', () => {
    let temp: TempWorkspace;
    let service: HostWorkspaceServiceImpl;
    const at = (path: string): { root: string; path: string } => ({ root: 'ws', path });

    beforeEach(async () => {
        ({ temp, service } = await openSharedWorkspace(['**/.env', '**/.git/**']));
    });
    afterEach(() => closeSharedWorkspace({ temp, service }));

    const badPaths: Array<[string, string]> = [
        ['..', 'climbing to the parent'],
        ['../outside/secret.txt', 'climbing into a sibling'],
        ['sub/../../outside/secret.txt', 'climbing from a subfolder'],
        ['sub/./b.txt', 'a "." segment'],
        ['/etc/passwd', 'an absolute POSIX path'],
        ['//server/share/file', 'a UNC-like path'],
        ['C:/Windows/win.ini', 'a drive letter'],
        ['sub\\b.txt', 'a backslash'],
        ['a.txt\u0000.png', 'a NUL byte'],
        ['sub//b.txt', 'an empty segment'],
        ['sub/', 'a trailing slash'],
        ['x'.repeat(5000), 'an overlong path']
    ];
    for (const [path, what] of badPaths) {
        it(`refuses ${what} as invalid-path, for reads and writes`, async () => {
            assert.equal(codeOf(await service.stat(readWrite, at(path))), 'invalid-path');
            assert.equal(codeOf(await service.readChunk(readWrite, at(path), 0, 10)), 'invalid-path');
            assert.equal(codeOf(await service.readDirectory(readWrite, at(path))), 'invalid-path');
            assert.equal(codeOf(await service.writeFile(readWrite, at(path), Buffer.from('x'), { create: true, overwrite: true })), 'invalid-path');
            assert.equal(codeOf(await service.createFolder(readWrite, at(path))), 'invalid-path');
            assert.equal(codeOf(await service.delete(readWrite, at(path), { recursive: true })), 'invalid-path');
            assert.equal(codeOf(await service.rename(readWrite, at('a.txt'), at(path), { overwrite: true })), 'invalid-path');
        });
    }

    it('serves a link that stays inside the root', async () => {
        const chunk = ok(await service.readChunk(readWrite, at('link-inside'), 0, 100));
        assert.equal(Buffer.from(chunk.data).toString(), 'alpha\n');
        const stat = ok(await service.stat(readWrite, at('link-inside')));
        assert.deepEqual([stat.type, stat.symlink], ['file', true]);
    });

    it('never serves a link whose real path escapes the root: stat, read, list, write, create, delete, rename', async () => {
        assert.equal(codeOf(await service.stat(readWrite, at('link-outside'))), 'outside-workspace');
        assert.equal(codeOf(await service.readChunk(readWrite, at('link-outside'), 0, 100)), 'outside-workspace');
        assert.equal(codeOf(await service.readDirectory(readWrite, at('link-dir-outside'))), 'outside-workspace');
        assert.equal(codeOf(await service.readChunk(readWrite, at('link-dir-outside/secret.txt'), 0, 100)), 'outside-workspace');
        assert.equal(codeOf(await service.writeFile(readWrite, at('link-dir-outside/planted.txt'), Buffer.from('x'), { create: true, overwrite: false })), 'outside-workspace');
        assert.equal(codeOf(await service.writeFile(readWrite, at('link-outside'), Buffer.from('overwritten'), { create: true, overwrite: true })), 'outside-workspace');
        assert.equal(codeOf(await service.createFolder(readWrite, at('link-dir-outside/new-folder'))), 'outside-workspace');
        assert.equal(codeOf(await service.beginUpload(readWrite, at('link-dir-outside/big.bin'), { create: true, overwrite: false, size: 10 })), 'outside-workspace');
        assert.equal(codeOf(await service.rename(readWrite, at('a.txt'), at('link-dir-outside/a.txt'), { overwrite: false })), 'outside-workspace');
        assert.equal(codeOf(await service.rename(readWrite, at('link-dir-outside/secret.txt'), at('stolen.txt'), { overwrite: false })), 'outside-workspace');
        assert.equal(codeOf(await service.delete(readWrite, at('link-dir-outside/secret.txt'), { recursive: false })), 'outside-workspace');
        assert.equal(codeOf(await service.delete(readWrite, at('link-outside'), { recursive: false })), 'outside-workspace');
        // Nothing outside was touched.
        assert.deepEqual((await fs.readdir(temp.outside)).sort(), ['secret.txt']);
        assert.equal(await fs.readFile(nodePath.join(temp.outside, 'secret.txt'), 'utf8'), 'outside secret\n');
        assert.equal(await fs.readFile(nodePath.join(temp.ws, 'a.txt'), 'utf8'), 'alpha\n');
    });

    it('does not list escaping, dangling or excluded links, and lists links that stay inside', async () => {
        const names = ok(await service.readDirectory(readWrite, at(''))).map(entry => `${entry.name}:${entry.type}${entry.symlink ? ':link' : ''}`).sort();
        assert.deepEqual(names, ['a.txt:file', 'link-inside:file:link', 'sub:directory']);
    });

    it('reports a dangling link as not found', async () => {
        assert.equal(codeOf(await service.stat(readWrite, at('link-dangling'))), 'not-found');
        assert.equal(codeOf(await service.readChunk(readWrite, at('link-dangling'), 0, 1)), 'not-found');
    });

    it('refuses a root that was never shared, whatever the path', async () => {
        assert.equal(codeOf(await service.stat(readWrite, { root: 'outside', path: 'secret.txt' })), 'not-shared');
        assert.equal(codeOf(await service.stat(readWrite, { root: '..', path: '' })), 'not-shared');
    });

    it('stops serving a root once it is no longer shared', async () => {
        ok(await service.setSharedRoots([], { excludedGlobs: [] }));
        assert.equal(codeOf(await service.stat(readWrite, at('a.txt'))), 'not-shared');
    });

    it('resolves the root itself through a link, and still confines to its real path', async () => {
        const linkedRoot = nodePath.join(temp.base, 'linked-root');
        await fs.symlink(temp.ws, linkedRoot);
        ok(await service.setSharedRoots([{ name: 'linked', uri: `file://${linkedRoot}` }], { excludedGlobs: ['**/.env'] }));
        assert.equal(Buffer.from(ok(await service.readChunk(readWrite, { root: 'linked', path: 'a.txt' }, 0, 10)).data).toString(), 'alpha\n');
        assert.equal(codeOf(await service.stat(readWrite, { root: 'linked', path: 'link-outside' })), 'outside-workspace');
    });

    it('refuses to delete or move the shared folder itself', async () => {
        assert.equal(codeOf(await service.delete(readWrite, at(''), { recursive: true })), 'permission-denied');
        assert.equal(codeOf(await service.rename(readWrite, at(''), at('moved'), { overwrite: false })), 'permission-denied');
        assert.equal(codeOf(await service.writeFile(readWrite, at(''), Buffer.from('x'), { create: true, overwrite: true })), 'permission-denied');
        await fs.access(nodePath.join(temp.ws, 'a.txt'));
    });

    it('refuses invalid or duplicate root names as a whole', async () => {
        assert.equal(codeOf(await service.setSharedRoots([{ name: '..', uri: temp.wsUri }], { excludedGlobs: [] })), 'invalid-path');
        assert.equal(codeOf(await service.setSharedRoots([{ name: 'a/b', uri: temp.wsUri }], { excludedGlobs: [] })), 'invalid-path');
        assert.equal(codeOf(await service.setSharedRoots([{ name: 'x', uri: temp.wsUri }, { name: 'x', uri: temp.wsUri }], { excludedGlobs: [] })), 'invalid-path');
        assert.equal(codeOf(await service.setSharedRoots([{ name: 'x', uri: 'http://example.com/' }], { excludedGlobs: [] })), 'invalid-path');
        assert.equal(codeOf(await service.setSharedRoots([{ name: 'x', uri: `file://${temp.ws}/a.txt` }], { excludedGlobs: [] })), 'not-a-directory');
        // The earlier share is untouched by a refused one.
        ok(await service.stat(readWrite, at('a.txt')));
    });
});
