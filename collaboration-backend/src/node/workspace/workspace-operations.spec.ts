import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import 'reflect-metadata';
import { HostWorkspaceServiceImpl } from './host-workspace-service-impl';
import { codeOf, ok, readWrite, type TempWorkspace } from './testing/temp-workspace';
import { closeSharedWorkspace, openSharedWorkspace } from './testing/shared-workspace';

describe('HostWorkspaceService: file operations for read-write guests', () => {
    let temp: TempWorkspace;
    let service: HostWorkspaceServiceImpl;
    const at = (path: string): { root: string; path: string } => ({ root: 'ws', path });
    const onDisk = (path: string): string => nodePath.join(temp.ws, path);

    beforeEach(async () => {
        ({ temp, service } = await openSharedWorkspace(['**/.env', '**/.git/**']));
    });
    afterEach(() => closeSharedWorkspace({ temp, service }));

    it('stats files and folders', async () => {
        const file = ok(await service.stat(readWrite, at('a.txt')));
        assert.deepEqual([file.type, file.size, file.symlink], ['file', 6, false]);
        assert.ok(file.mtime > 0);
        assert.equal(ok(await service.stat(readWrite, at(''))).type, 'directory');
        assert.equal(codeOf(await service.stat(readWrite, at('missing.txt'))), 'not-found');
        assert.equal(codeOf(await service.readDirectory(readWrite, at('a.txt'))), 'not-a-directory');
        assert.equal(codeOf(await service.readChunk(readWrite, at('sub'), 0, 1)), 'is-a-directory');
    });

    it('writes files atomically with create/overwrite semantics and keeps the file mode', async () => {
        await fs.chmod(onDisk('a.txt'), 0o640);
        ok(await service.writeFile(readWrite, at('a.txt'), Buffer.from('changed'), { create: false, overwrite: true }));
        assert.equal(await fs.readFile(onDisk('a.txt'), 'utf8'), 'changed');
        assert.equal((await fs.stat(onDisk('a.txt'))).mode & 0o777, 0o640);
        assert.equal(codeOf(await service.writeFile(readWrite, at('a.txt'), Buffer.from('x'), { create: true, overwrite: false })), 'already-exists');
        assert.equal(codeOf(await service.writeFile(readWrite, at('missing.txt'), Buffer.from('x'), { create: false, overwrite: true })), 'not-found');
        assert.equal(codeOf(await service.writeFile(readWrite, at('no/such/folder.txt'), Buffer.from('x'), { create: true, overwrite: true })), 'not-found');
        assert.equal(codeOf(await service.writeFile(readWrite, at('a.txt/child'), Buffer.from('x'), { create: true, overwrite: true })), 'not-a-directory');
        assert.equal(codeOf(await service.writeFile(readWrite, at('sub'), Buffer.from('x'), { create: true, overwrite: true })), 'is-a-directory');
        const created = ok(await service.writeFile(readWrite, at('sub/new.txt'), Buffer.from(''), { create: true, overwrite: false }));
        assert.equal(created.size, 0);
        assert.equal(await fs.readFile(onDisk('sub/new.txt'), 'utf8'), '');
        assert.deepEqual((await fs.readdir(temp.ws, { recursive: true })).map(String).filter(name => name.includes('.ensemble-upload-')), []);
    });

    it('creates folders, one level at a time', async () => {
        ok(await service.createFolder(readWrite, at('new-folder')));
        assert.ok((await fs.stat(onDisk('new-folder'))).isDirectory());
        assert.equal(codeOf(await service.createFolder(readWrite, at('new-folder'))), 'already-exists');
        assert.equal(codeOf(await service.createFolder(readWrite, at('x/y'))), 'not-found');
    });

    it('deletes files, empty folders, and folders recursively when asked', async () => {
        ok(await service.delete(readWrite, at('a.txt'), { recursive: false }));
        await assert.rejects(fs.access(onDisk('a.txt')));
        assert.equal(codeOf(await service.delete(readWrite, at('sub/deeper'), { recursive: false })), 'not-empty');
        ok(await service.delete(readWrite, at('sub/deeper'), { recursive: true }));
        await assert.rejects(fs.access(onDisk('sub/deeper')));
        assert.equal(codeOf(await service.delete(readWrite, at('missing'), { recursive: true })), 'not-found');
    });

    it('deletes a link that stays inside as a link, leaving its target', async () => {
        ok(await service.delete(readWrite, at('link-inside'), { recursive: false }));
        assert.equal(await fs.readFile(onDisk('a.txt'), 'utf8'), 'alpha\n');
    });

    it('renames files and folders, with and without overwrite', async () => {
        ok(await service.rename(readWrite, at('a.txt'), at('sub/a-moved.txt'), { overwrite: false }));
        assert.equal(await fs.readFile(onDisk('sub/a-moved.txt'), 'utf8'), 'alpha\n');
        assert.equal(codeOf(await service.rename(readWrite, at('sub/a-moved.txt'), at('sub/b.txt'), { overwrite: false })), 'already-exists');
        ok(await service.rename(readWrite, at('sub/a-moved.txt'), at('sub/b.txt'), { overwrite: true }));
        assert.equal(await fs.readFile(onDisk('sub/b.txt'), 'utf8'), 'alpha\n');
        ok(await service.rename(readWrite, at('sub/deeper'), at('deeper-moved'), { overwrite: false }));
        assert.equal(await fs.readFile(onDisk('deeper-moved/c.txt'), 'utf8'), 'gamma\n');
        assert.equal(codeOf(await service.rename(readWrite, at('deeper-moved'), at('deeper-moved/inside'), { overwrite: false })), 'invalid-path');
        assert.equal(codeOf(await service.rename(readWrite, at('missing'), at('x'), { overwrite: false })), 'not-found');
        assert.equal(codeOf(await service.rename(readWrite, at('sub/b.txt'), at('no/such/dir.txt'), { overwrite: false })), 'not-found');
    });

    it('moves between two shared roots', async () => {
        const second = nodePath.join(temp.base, 'second');
        await fs.mkdir(second);
        ok(await service.setSharedRoots([{ name: 'ws', uri: temp.wsUri }, { name: 'second', uri: `file://${second}` }], { excludedGlobs: [] }));
        ok(await service.rename(readWrite, at('a.txt'), { root: 'second', path: 'a.txt' }, { overwrite: false }));
        assert.equal(await fs.readFile(nodePath.join(second, 'a.txt'), 'utf8'), 'alpha\n');
    });

    it('finds files by fuzzy query, best matches first, within the limit', async () => {
        await fs.writeFile(onDisk('sub/deeper/component.tsx'), '');
        await fs.writeFile(onDisk('sub/compiler.ts'), '');
        const found = ok(await service.findFiles(readWrite, 'comp', { limit: 10 })).map(file => file.path);
        assert.deepEqual(found, ['sub/compiler.ts', 'sub/deeper/component.tsx']);
        assert.deepEqual(ok(await service.findFiles(readWrite, 'cmpnt', { limit: 10 })).map(file => file.path), ['sub/deeper/component.tsx']);
        assert.equal(ok(await service.findFiles(readWrite, 't', { limit: 2 })).length, 2);
    });

    it('removes the temporary files of uploads when the connection ends', async () => {
        const uploadId = ok(await service.beginUpload(readWrite, at('half.bin'), { create: true, overwrite: false, size: 10 }));
        ok(await service.uploadChunk(readWrite, uploadId, 0, Buffer.from('12345')));
        assert.equal((await fs.readdir(temp.ws)).filter(name => name.startsWith('.ensemble-upload-')).length, 1);
        assert.ok(!ok(await service.readDirectory(readWrite, at(''))).some(entry => entry.name.startsWith('.ensemble-upload-')), 'hidden from guests');
        service.dispose();
        // dispose is fire-and-forget for RPC; a new instance shows the disk state once the removal ran.
        await waitUntil(async () => (await fs.readdir(temp.ws)).every(name => !name.startsWith('.ensemble-upload-')));
        await assert.rejects(fs.access(onDisk('half.bin')));
    });
});

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
    for (let attempt = 0; attempt < 500; attempt++) {
        if (await condition()) {
            return;
        }
        await new Promise(resolve => setTimeout(resolve, 10));
    }
    throw new Error('condition never held');
}
