import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import 'reflect-metadata';
import { DEFAULT_EXCLUDED_GLOBS } from '../../common/workspace-sharing-protocol';
import { HostWorkspaceServiceImpl } from './host-workspace-service-impl';
import { codeOf, ok, readWrite, type TempWorkspace } from './testing/temp-workspace';
import { closeSharedWorkspace, openSharedWorkspace } from './testing/shared-workspace';

describe('HostWorkspaceService: excluded globs are never served', () => {
    let temp: TempWorkspace;
    let service: HostWorkspaceServiceImpl;
    const at = (path: string): { root: string; path: string } => ({ root: 'ws', path });

    beforeEach(async () => {
        ({ temp, service } = await openSharedWorkspace(DEFAULT_EXCLUDED_GLOBS));
    });
    afterEach(() => closeSharedWorkspace({ temp, service }));

    for (const path of ['.env', 'sub/.env', '.ENV', '.git', '.git/config', 'sub/.git/hooks/pre-commit', 'link-to-env']) {
        it(`refuses to read, stat or list "${path}"`, async () => {
            assert.equal(codeOf(await service.stat(readWrite, at(path))), 'excluded');
            assert.equal(codeOf(await service.readChunk(readWrite, at(path), 0, 100)), 'excluded');
            assert.equal(codeOf(await service.readDirectory(readWrite, at(path))), 'excluded');
        });
    }

    it('answers "excluded" whether or not the file exists, so the answer reveals nothing', async () => {
        assert.equal(codeOf(await service.stat(readWrite, at('nothing-here/.env'))), 'excluded');
        assert.equal(codeOf(await service.stat(readWrite, at('.env'))), 'excluded');
    });

    it('hides excluded entries from directory listings', async () => {
        const root = ok(await service.readDirectory(readWrite, at(''))).map(entry => entry.name);
        const sub = ok(await service.readDirectory(readWrite, at('sub'))).map(entry => entry.name);
        assert.ok(!root.includes('.env') && !root.includes('.git') && !root.includes('link-to-env'), root.join());
        assert.deepEqual(sub.sort(), ['b.txt', 'deeper']);
    });

    it('refuses to write, create, rename onto or away from excluded paths, and leaves them untouched', async () => {
        assert.equal(codeOf(await service.writeFile(readWrite, at('.env'), Buffer.from('PWNED'), { create: true, overwrite: true })), 'excluded');
        assert.equal(codeOf(await service.writeFile(readWrite, at('link-to-env'), Buffer.from('PWNED'), { create: true, overwrite: true })), 'excluded');
        assert.equal(codeOf(await service.writeFile(readWrite, at('new/.env'), Buffer.from('x'), { create: true, overwrite: false })), 'excluded');
        assert.equal(codeOf(await service.createFolder(readWrite, at('.git/hooks'))), 'excluded');
        assert.equal(codeOf(await service.rename(readWrite, at('a.txt'), at('.git/hooks/pre-commit'), { overwrite: true })), 'excluded');
        assert.equal(codeOf(await service.rename(readWrite, at('a.txt'), at('.env'), { overwrite: true })), 'excluded');
        assert.equal(codeOf(await service.rename(readWrite, at('.env'), at('visible.txt'), { overwrite: false })), 'excluded');
        assert.equal(codeOf(await service.delete(readWrite, at('.env'), { recursive: false })), 'excluded');
        assert.equal(await fs.readFile(nodePath.join(temp.ws, '.env'), 'utf8'), 'SECRET=1\n');
        assert.equal(await fs.readFile(nodePath.join(temp.ws, 'a.txt'), 'utf8'), 'alpha\n');
        await assert.rejects(fs.access(nodePath.join(temp.ws, '.git', 'hooks')));
    });

    it('refuses to delete a folder that contains excluded files, and deletes it once it does not', async () => {
        const result = await service.delete(readWrite, at('sub'), { recursive: true });
        assert.equal(codeOf(result), 'excluded');
        assert.match(result.ok ? '' : result.error.message, /only the host can delete it/);
        await fs.access(nodePath.join(temp.ws, 'sub', '.env'));
        await fs.rm(nodePath.join(temp.ws, 'sub', '.env'));
        ok(await service.delete(readWrite, at('sub'), { recursive: true }));
        await assert.rejects(fs.access(nodePath.join(temp.ws, 'sub')));
    });

    it('uses the globs the host configures instead of the defaults', async () => {
        await fs.writeFile(nodePath.join(temp.ws, 'server.key'), 'KEY');
        ok(await service.setSharedRoots([{ name: 'ws', uri: temp.wsUri }], { excludedGlobs: ['**/*.key'] }));
        assert.equal(codeOf(await service.stat(readWrite, at('server.key'))), 'excluded');
        assert.equal(Buffer.from(ok(await service.readChunk(readWrite, at('.env'), 0, 100)).data).toString(), 'SECRET=1\n');
    });

    it('never finds excluded files in "Go to File"', async () => {
        const found = ok(await service.findFiles(readWrite, 'env', { limit: 100 })).map(file => file.path);
        assert.deepEqual(found, []);
        const all = ok(await service.findFiles(readWrite, 't', { limit: 100 })).map(file => file.path).sort();
        assert.deepEqual(all, ['a.txt', 'sub/b.txt', 'sub/deeper/c.txt']);
    });

    it('also skips the globs a guest passes to "Go to File" (search.exclude)', async () => {
        const found = ok(await service.findFiles(readWrite, 'txt', { limit: 100, excludedGlobs: ['**/deeper'] })).map(file => file.path).sort();
        assert.deepEqual(found, ['a.txt', 'sub/b.txt']);
    });
});
