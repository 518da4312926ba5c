import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import 'reflect-metadata';
import type { Requester } from '../../common/workspace-sharing-protocol';
import { HostWorkspaceServiceImpl } from './host-workspace-service-impl';
import { codeOf, ok, readOnly, readWrite, type TempWorkspace } from './testing/temp-workspace';
import { closeSharedWorkspace, openSharedWorkspace } from './testing/shared-workspace';

describe('HostWorkspaceService: read-only guests cannot change anything', () => {
    let temp: TempWorkspace;
    let service: HostWorkspaceServiceImpl;
    const at = (path: string): { root: string; path: string } => ({ root: 'ws', path });

    beforeEach(async () => {
        ({ temp, service } = await openSharedWorkspace(['**/.env']));
    });
    afterEach(() => closeSharedWorkspace({ temp, service }));

    async function snapshot(): Promise<string[]> {
        const entries = await fs.readdir(temp.ws, { recursive: true });
        return entries.map(String).sort();
    }

    it('refuses every kind of change with a message that says why, and leaves the disk as it was', async () => {
        const before = await snapshot();
        const refusals = [
            await service.writeFile(readOnly, at('a.txt'), Buffer.from('changed'), { create: true, overwrite: true }),
            await service.writeFile(readOnly, at('new.txt'), Buffer.from('new'), { create: true, overwrite: false }),
            await service.beginUpload(readOnly, at('big.bin'), { create: true, overwrite: false, size: 5 }),
            await service.createFolder(readOnly, at('folder')),
            await service.delete(readOnly, at('a.txt'), { recursive: false }),
            await service.delete(readOnly, at('sub'), { recursive: true }),
            await service.rename(readOnly, at('a.txt'), at('renamed.txt'), { overwrite: false })
        ];
        for (const result of refusals) {
            assert.equal(codeOf(result), 'permission-denied');
            assert.match(result.ok ? '' : result.error.message, /read-only guest.*ask the host for read-write access/);
        }
        assert.deepEqual(await snapshot(), before);
        assert.equal(await fs.readFile(nodePath.join(temp.ws, 'a.txt'), 'utf8'), 'alpha\n');
    });

    it('lets read-only guests read', async () => {
        assert.equal(Buffer.from(ok(await service.readChunk(readOnly, at('a.txt'), 0, 100)).data).toString(), 'alpha\n');
        assert.ok(ok(await service.readDirectory(readOnly, at('sub'))).length > 0);
        assert.ok(ok(await service.findFiles(readOnly, 'b', { limit: 10 })).length > 0);
    });

    it('refuses the rest of an upload once the guest was made read-only, and removes its temporary file', async () => {
        const uploadId = ok(await service.beginUpload(readWrite, at('big.bin'), { create: true, overwrite: false, size: 6 }));
        ok(await service.uploadChunk(readWrite, uploadId, 0, Buffer.from('abc')));
        const demoted: Requester = { ...readWrite, role: 'read-only' };
        assert.equal(codeOf(await service.uploadChunk(demoted, uploadId, 3, Buffer.from('def'))), 'permission-denied');
        assert.equal(codeOf(await service.commitUpload(demoted, uploadId)), 'permission-denied');
        await assert.rejects(fs.access(nodePath.join(temp.ws, 'big.bin')));
        assert.deepEqual((await fs.readdir(temp.ws)).filter(name => name.startsWith('.ensemble-upload-')), []);
    });

    it('refuses a peer without a known role', async () => {
        const stranger = { peerId: 'x', role: 'admin' } as unknown as Requester;
        assert.equal(codeOf(await service.createFolder(stranger, at('folder'))), 'permission-denied');
    });
});
