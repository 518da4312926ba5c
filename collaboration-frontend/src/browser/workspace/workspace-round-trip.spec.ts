import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import '@theia/core/shared/reflect-metadata';
import type { CollaborationSession } from '@ensemble/collaboration-common';
import { HostWorkspaceServiceImpl } from '@ensemble/collaboration-backend/lib/node/workspace/host-workspace-service-impl';
import { createTempWorkspace, type TempWorkspace } from '@ensemble/collaboration-backend/lib/node/workspace/testing/temp-workspace';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { eventually, hostRoom, joinAs, type HostedRoom } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { DisposableCollection } from '@theia/core/lib/common/disposable';
import URI from '@theia/core/lib/common/uri';
import { FileChangeType, FilePermission, FileSystemProviderCapabilities, FileSystemProviderErrorCode, FileType, type FileChange } from '@theia/filesystem/lib/common/files';
import { FilesChanged, FindFiles, GetSharedRoots } from '../../common/workspace-messages';
import { toEnsembleUri } from './ensemble-uri';
import { HostFileSystemProvider, type TransferProgress } from './guest/host-file-system-provider';
import { HostRequests } from './guest/host-requests';
import { broadcastFileChanges } from './host/file-change-relay';
import { registerHostRequestHandlers } from './host/host-request-handlers';
import { TransferPacer } from './transfer-pacer';

const MB = 1024 * 1024;

/**
 * The guest's file-system provider against the host's request handlers,
 * through a real coordination server, with the host backend's real
 * HostWorkspaceService on a temp dir. No mocks: what a guest sees is what
 * the host's disk holds.
 */
describe('workspace sharing: guest provider ↔ session ↔ host handlers ↔ host backend', function () {
    this.timeout(300_000);
    let server: RunningCoordinationServer;
    let temp: TempWorkspace;
    let backend: HostWorkspaceServiceImpl;
    let room: HostedRoom;
    const toDispose = new DisposableCollection();

    before(async () => { server = await startTestServer(); });
    after(() => server.close());

    beforeEach(async () => {
        temp = await createTempWorkspace();
        backend = new HostWorkspaceServiceImpl();
        const shared = await backend.setSharedRoots([{ name: 'ws', uri: temp.wsUri }], { excludedGlobs: ['**/.env', '**/.git/**'] });
        assert.ok(shared.ok);
        room = await hostRoom(server.url, 'Hana');
        backend.setClient({ onDidChangeFiles: changes => broadcastFileChanges(room.host, changes) });
        toDispose.push(registerHostRequestHandlers(room.host, { backend, pacer: new TransferPacer(), sharedRootNames: () => backend.sharedRootNames }));
    });
    afterEach(async () => {
        toDispose.dispose();
        room.host.dispose();
        backend.dispose();
        await temp.remove();
    });

    async function joinGuest(name: string, role: 'read-write' | 'read-only' = 'read-write'): Promise<{ guest: CollaborationSession; provider: HostFileSystemProvider; changes: FileChange[] }> {
        const changes: FileChange[] = [];
        let provider: HostFileSystemProvider | undefined;
        const guest = await joinAs(server.url, room, name, role, session => {
            session.onBroadcast(FilesChanged, ({ changes: batch }) => provider?.applyChanges(batch));
        });
        provider = new HostFileSystemProvider(guest, room.roomId);
        provider.onDidChangeFile(batch => changes.push(...batch));
        toDispose.push(provider);
        toDispose.push({ dispose: () => guest.dispose() });
        await eventually(() => room.host.peers.has(guest.peerId!), 'the host sees the guest');
        return { guest, provider, changes };
    }
    const uri = (path: string): URI => toEnsembleUri(room.roomId, { root: 'ws', path });
    const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

    it('lists the shared roots and the host tree, without excluded entries', async () => {
        const { guest, provider } = await joinGuest('Gus');
        assert.deepEqual(await new HostRequests(guest).send(GetSharedRoots, {}), { roots: [{ name: 'ws' }] });
        const root = (await provider.readdir(uri(''))).map(([name, type]) => `${name}:${type}`).sort();
        assert.deepEqual(root, [`a.txt:${FileType.File}`, `link-inside:${FileType.File | FileType.SymbolicLink}`, `sub:${FileType.Directory}`]);
        const sub = (await provider.readdir(uri('sub'))).map(([name]) => name).sort();
        assert.deepEqual(sub, ['b.txt', 'deeper']);
        const stat = await provider.stat(uri('a.txt'));
        assert.deepEqual([stat.type, stat.size], [FileType.File, 6]);
        assert.equal((await provider.stat(uri(''))).type, FileType.Directory);
    });

    it('reports excluded, escaping and missing files with Theia\'s error codes and the host\'s sentence', async () => {
        const { provider } = await joinGuest('Gus');
        await assert.rejects(provider.readFile(uri('.env')), (error: Error & { code?: string }) =>
            error.code === FileSystemProviderErrorCode.NoPermissions && /excluded from sharing/.test(error.message));
        await assert.rejects(provider.stat(uri('link-outside')), (error: Error & { code?: string }) =>
            error.code === FileSystemProviderErrorCode.NoPermissions && /outside the shared folder/.test(error.message));
        await assert.rejects(provider.stat(uri('nothing.txt')), (error: Error & { code?: string }) => error.code === FileSystemProviderErrorCode.FileNotFound);
        await assert.rejects(provider.stat(toEnsembleUri(room.roomId, { root: 'other', path: '' })), (error: Error & { code?: string }) =>
            error.code === FileSystemProviderErrorCode.FileNotFound && /does not share a folder named "other"/.test(error.message));
        await assert.rejects(provider.stat(new URI('ensemble://another-room/ws/a.txt')), /not a file of this collaboration session/);
    });

    it('reads, writes, creates, renames and deletes on the host\'s disk', async () => {
        const { provider } = await joinGuest('Gus');
        assert.equal(text(await provider.readFile(uri('a.txt'))), 'alpha\n');
        await provider.writeFile(uri('a.txt'), Buffer.from('edited by Gus\n'), { create: true, overwrite: true });
        assert.equal(await fs.readFile(nodePath.join(temp.ws, 'a.txt'), 'utf8'), 'edited by Gus\n');
        await provider.mkdir(uri('notes'));
        await provider.writeFile(uri('notes/todo.md'), Buffer.from('# todo\n'), { create: true, overwrite: false });
        await assert.rejects(provider.writeFile(uri('notes/todo.md'), Buffer.from('x'), { create: true, overwrite: false }),
            (error: Error & { code?: string }) => error.code === FileSystemProviderErrorCode.FileExists);
        await provider.rename(uri('notes/todo.md'), uri('notes/done.md'), { overwrite: false });
        assert.equal(await fs.readFile(nodePath.join(temp.ws, 'notes', 'done.md'), 'utf8'), '# todo\n');
        await provider.delete(uri('notes'), { recursive: true, useTrash: false });
        await assert.rejects(fs.access(nodePath.join(temp.ws, 'notes')));
    });

    it('streams a file in ranges, as Theia\'s file service asks for it', async () => {
        const { provider } = await joinGuest('Gus');
        const bytes = randomBytes(2 * MB + 333);
        await fs.writeFile(nodePath.join(temp.ws, 'range.bin'), bytes);
        const received: Uint8Array[] = [];
        const stream = provider.readFileStream(uri('range.bin'), { position: 1000, length: MB }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) });
        await new Promise<void>((resolve, reject) => {
            stream.on('data', data => received.push(data));
            stream.on('error', reject);
            stream.on('end', resolve);
        });
        assert.ok(Buffer.concat(received).equals(bytes.subarray(1000, 1000 + MB)));
    });

    it('pages a folder with more entries than one message carries', async () => {
        const { provider } = await joinGuest('Gus');
        const many = nodePath.join(temp.ws, 'many');
        await fs.mkdir(many);
        await Promise.all([...Array(4500).keys()].map(index => fs.writeFile(nodePath.join(many, `file-${index}.txt`), '')));
        const entries = await provider.readdir(uri('many'));
        assert.equal(entries.length, 4500);
        assert.equal(new Set(entries.map(([name]) => name)).size, 4500);
    });

    it('tells guests about changes on the host\'s disk, never about excluded files', async () => {
        const { provider, changes } = await joinGuest('Gus');
        assert.ok(provider);
        // The watcher becomes live shortly after sharing; write until the first change arrives.
        for (let attempt = 0; attempt < 200 && !changes.some(change => change.resource.path.base.startsWith('marker-')); attempt++) {
            await fs.writeFile(nodePath.join(temp.ws, `marker-${attempt}.txt`), '');
            await new Promise(resolve => setTimeout(resolve, 50));
        }
        await fs.writeFile(nodePath.join(temp.ws, '.env'), 'SECRET=2');
        await fs.writeFile(nodePath.join(temp.ws, 'sub', 'from-host.txt'), 'hi');
        await eventually(() => changes.some(change => change.resource.toString() === uri('sub/from-host.txt').toString() && change.type === FileChangeType.ADDED),
            'the guest hears of sub/from-host.txt', 10_000);
        assert.deepEqual(changes.filter(change => change.resource.path.base === '.env'), []);
    });

    it('refuses a read-only guest\'s writes at the host, with a message that says why', async () => {
        const { provider } = await joinGuest('Rita', 'read-only');
        // The provider does not know it is read-only here: the host must refuse on its own.
        await assert.rejects(provider.writeFile(uri('a.txt'), Buffer.from('vandalised'), { create: true, overwrite: true }),
            (error: Error & { code?: string }) => error.code === FileSystemProviderErrorCode.NoPermissions && /read-only guest/.test(error.message));
        await assert.rejects(provider.delete(uri('a.txt'), { recursive: false, useTrash: false }), /read-only guest/);
        await assert.rejects(provider.rename(uri('a.txt'), uri('b.txt'), { overwrite: false }), /read-only guest/);
        await assert.rejects(provider.mkdir(uri('new')), /read-only guest/);
        await assert.rejects(provider.writeFile(uri('big.bin'), randomBytes(MB), { create: true, overwrite: true }), /read-only guest/);
        assert.equal(await fs.readFile(nodePath.join(temp.ws, 'a.txt'), 'utf8'), 'alpha\n');
        assert.equal(text(await provider.readFile(uri('a.txt'))), 'alpha\n');
    });

    it('follows a role change: the host refuses once the guest is made read-only, and a read-only provider says so itself', async () => {
        const { guest, provider } = await joinGuest('Gus');
        await provider.writeFile(uri('a.txt'), Buffer.from('one'), { create: true, overwrite: true });
        await room.host.setPeerRole(guest.peerId!, 'read-only');
        await eventually(() => room.host.peers.get(guest.peerId!)?.role === 'read-only', 'the host knows the new role');
        await assert.rejects(provider.writeFile(uri('a.txt'), Buffer.from('two'), { create: true, overwrite: true }), /read-only guest/);
        provider.setReadOnly(true);
        assert.ok(provider.capabilities & FileSystemProviderCapabilities.Readonly);
        assert.match(provider.readOnlyMessage?.value ?? '', /read-only/);
        assert.equal((await provider.stat(uri('a.txt'))).permissions, FilePermission.Readonly);
        await assert.rejects(provider.writeFile(uri('a.txt'), Buffer.from('three'), { create: true, overwrite: true }),
            (error: Error & { code?: string }) => error.code === FileSystemProviderErrorCode.NoPermissions);
        assert.equal(await fs.readFile(nodePath.join(temp.ws, 'a.txt'), 'utf8'), 'one');
    });

    it('finds host files for "Go to File"', async () => {
        const { guest } = await joinGuest('Gus');
        const found = await new HostRequests(guest).call(FindFiles, { query: 'b.txt', limit: 10 });
        assert.deepEqual(found.files[0], { root: 'ws', path: 'sub/b.txt' });
        const secrets = await new HostRequests(guest).call(FindFiles, { query: 'env', limit: 10 });
        assert.deepEqual(secrets.files, []);
    });

    it('moves a binary file and a 100 MB file both ways in chunks, with progress', async () => {
        const { provider } = await joinGuest('Gus');
        const progress: TransferProgress[] = [];
        provider.onTransferProgress(event => progress.push(event));

        const binary = Buffer.concat([Buffer.from([...Array(256).keys()]), randomBytes(700 * 1024)]);
        await provider.writeFile(uri('binary.bin'), binary, { create: true, overwrite: false });
        assert.ok((await fs.readFile(nodePath.join(temp.ws, 'binary.bin'))).equals(binary));
        assert.ok(Buffer.from(await provider.readFile(uri('binary.bin'))).equals(binary));

        const size = 100 * MB;
        const handle = await fs.open(nodePath.join(temp.ws, 'big.bin'), 'w');
        const block = randomBytes(MB);
        const hostHash = createHash('sha256');
        for (let index = 0; index < 100; index++) {
            block.writeUInt32LE(index, 0);
            hostHash.update(block);
            await handle.write(block);
        }
        await handle.close();
        const expected = hostHash.digest('hex');

        progress.length = 0;
        const downloaded = await provider.readFile(uri('big.bin'));
        assert.equal(downloaded.byteLength, size);
        assert.equal(createHash('sha256').update(downloaded).digest('hex'), expected);
        const downloads = progress.filter(event => event.direction === 'download');
        assert.equal(downloads.length, 200, 'one progress event per 512 KiB chunk');
        assert.ok(downloads.every((event, index) => event.total === size && (index === 0 || event.done > downloads[index - 1].done)));
        assert.equal(downloads[downloads.length - 1].done, size);

        progress.length = 0;
        await provider.writeFile(uri('big-copy.bin'), downloaded, { create: true, overwrite: false });
        const onDisk = createHash('sha256').update(await fs.readFile(nodePath.join(temp.ws, 'big-copy.bin'))).digest('hex');
        assert.equal(onDisk, expected);
        const uploads = progress.filter(event => event.direction === 'upload');
        assert.equal(uploads.length, 200);
        assert.equal(uploads[uploads.length - 1].done, size);
    });
});
