import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import 'reflect-metadata';
import { MAX_CHUNK_BYTES } from '../../common/workspace-sharing-protocol';
import { HostWorkspaceServiceImpl } from './host-workspace-service-impl';
import { codeOf, ok, readWrite, type TempWorkspace } from './testing/temp-workspace';
import { closeSharedWorkspace, openSharedWorkspace } from './testing/shared-workspace';

const MB = 1024 * 1024;

describe('HostWorkspaceService: chunked reads and uploads', function () {
    this.timeout(300_000);
    let temp: TempWorkspace;
    let service: HostWorkspaceServiceImpl;
    const at = (path: string): { root: string; path: string } => ({ root: 'ws', path });
    const onDisk = (path: string): string => nodePath.join(temp.ws, path);

    beforeEach(async () => {
        ({ temp, service } = await openSharedWorkspace(['**/.env']));
    });
    afterEach(() => closeSharedWorkspace({ temp, service }));

    /** Reads a shared file chunk by chunk into a hash; returns the hash and the largest chunk seen. */
    async function readAllHashed(path: string, chunkBytes: number): Promise<{ sha256: string; bytes: number; chunks: number }> {
        const hash = createHash('sha256');
        let offset = 0;
        let chunks = 0;
        for (;;) {
            const chunk = ok(await service.readChunk(readWrite, at(path), offset, chunkBytes));
            hash.update(chunk.data);
            offset += chunk.data.byteLength;
            chunks++;
            if (chunk.data.byteLength < chunkBytes || offset >= chunk.size) {
                return { sha256: hash.digest('hex'), bytes: offset, chunks };
            }
        }
    }

    async function sha256Of(file: string): Promise<string> {
        const hash = createHash('sha256');
        for await (const data of createReadStream(file)) {
            hash.update(data as Buffer);
        }
        return hash.digest('hex');
    }

    /** Uploads a local file through the chunk API, reading it as a stream (never whole in memory). */
    async function uploadFrom(source: string, path: string, size: number): Promise<number> {
        const uploadId = ok(await service.beginUpload(readWrite, at(path), { create: true, overwrite: true, size }));
        let offset = 0;
        let peakExternal = 0;
        for await (const data of createReadStream(source, { highWaterMark: MAX_CHUNK_BYTES })) {
            ok(await service.uploadChunk(readWrite, uploadId, offset, data as Buffer));
            offset += (data as Buffer).byteLength;
            peakExternal = Math.max(peakExternal, process.memoryUsage().arrayBuffers);
        }
        ok(await service.commitUpload(readWrite, uploadId));
        return peakExternal;
    }

    it('round-trips a binary file with every byte value, in chunks that do not divide its size', async () => {
        const bytes = Buffer.concat([Buffer.from([...Array(256).keys()]), randomBytes(3 * MB + 12345)]);
        await fs.writeFile(onDisk('binary.bin'), bytes);
        const read = await readAllHashed('binary.bin', 256 * 1024 + 7);
        assert.equal(read.bytes, bytes.byteLength);
        assert.equal(read.sha256, createHash('sha256').update(bytes).digest('hex'));

        await uploadFrom(onDisk('binary.bin'), 'copy.bin', bytes.byteLength);
        assert.ok((await fs.readFile(onDisk('copy.bin'))).equals(bytes));
    });

    it('reads past the end as an empty chunk, and refuses chunks larger than the maximum', async () => {
        const chunk = ok(await service.readChunk(readWrite, at('a.txt'), 1000, 10));
        assert.deepEqual([chunk.data.byteLength, chunk.size], [0, 6]);
        assert.equal(codeOf(await service.readChunk(readWrite, at('a.txt'), 0, MAX_CHUNK_BYTES + 1)), 'too-large');
        assert.equal(codeOf(await service.readChunk(readWrite, at('a.txt'), -1, 10)), 'invalid-request');
    });

    it('moves a 100 MB file both ways in chunks with bounded memory', async () => {
        const size = 100 * MB;
        const source = nodePath.join(temp.base, 'source-100mb.bin');
        // Generated in 1 MiB blocks, so the test itself never holds the file either.
        const handle = await fs.open(source, 'w');
        const block = randomBytes(MB);
        for (let index = 0; index < 100; index++) {
            block.writeUInt32LE(index, 0);
            await handle.write(block);
        }
        await handle.close();
        const expected = await sha256Of(source);

        const peakUpload = await uploadFrom(source, 'big.bin', size);
        assert.equal((await fs.stat(onDisk('big.bin'))).size, size);
        assert.equal(await sha256Of(onDisk('big.bin')), expected);

        const before = process.memoryUsage().arrayBuffers;
        const read = await readAllHashed('big.bin', 512 * 1024);
        assert.deepEqual([read.bytes, read.chunks, read.sha256], [size, 200, expected]);
        // Neither direction buffers the file: far less than 100 MB is ever held outside the heap.
        assert.ok(peakUpload < 48 * MB, `upload held ${Math.round(peakUpload / MB)} MB`);
        assert.ok(process.memoryUsage().arrayBuffers - before < 48 * MB);
    });

    it('accepts chunks only in order, commits only complete uploads, and keeps uploads private to their peer', async () => {
        const uploadId = ok(await service.beginUpload(readWrite, at('ordered.bin'), { create: true, overwrite: false, size: 6 }));
        assert.equal(codeOf(await service.uploadChunk(readWrite, uploadId, 3, Buffer.from('def'))), 'conflict');
        ok(await service.uploadChunk(readWrite, uploadId, 0, Buffer.from('abc')));
        assert.equal(codeOf(await service.commitUpload(readWrite, uploadId)), 'conflict');
        const intruder = { peerId: 'someone-else', role: 'read-write' } as const;
        assert.equal(codeOf(await service.uploadChunk(intruder, uploadId, 3, Buffer.from('XYZ'))), 'not-found');
        assert.equal(codeOf(await service.commitUpload(intruder, uploadId)), 'not-found');
        assert.equal(codeOf(await service.uploadChunk(readWrite, uploadId, 3, Buffer.from('defg'))), 'too-large');
        ok(await service.uploadChunk(readWrite, uploadId, 3, Buffer.from('def')));
        ok(await service.commitUpload(readWrite, uploadId));
        assert.equal(await fs.readFile(onDisk('ordered.bin'), 'utf8'), 'abcdef');
        assert.equal(codeOf(await service.commitUpload(readWrite, uploadId)), 'not-found');
    });

    it('leaves the old content in place until the commit, and aborting keeps it', async () => {
        const uploadId = ok(await service.beginUpload(readWrite, at('a.txt'), { create: false, overwrite: true, size: 3 }));
        ok(await service.uploadChunk(readWrite, uploadId, 0, Buffer.from('new')));
        assert.equal(await fs.readFile(onDisk('a.txt'), 'utf8'), 'alpha\n');
        ok(await service.abortUpload(readWrite, uploadId));
        assert.equal(await fs.readFile(onDisk('a.txt'), 'utf8'), 'alpha\n');
        assert.deepEqual((await fs.readdir(temp.ws)).filter(name => name.startsWith('.ensemble-upload-')), []);
    });

    it('refuses uploads above the size limit before writing anything', async () => {
        const small = new HostWorkspaceServiceImpl({ maxFileBytes: 10 });
        try {
            ok(await small.setSharedRoots([{ name: 'ws', uri: temp.wsUri }], { excludedGlobs: [] }));
            assert.equal(codeOf(await small.beginUpload(readWrite, at('big.bin'), { create: true, overwrite: false, size: 11 })), 'too-large');
            assert.equal(codeOf(await small.writeFile(readWrite, at('big.bin'), Buffer.alloc(11), { create: true, overwrite: false })), 'too-large');
        } finally {
            small.dispose();
        }
    });

    it('notices when the file is replaced during an upload and does not clobber it', async () => {
        const uploadId = ok(await service.beginUpload(readWrite, at('sub/new.txt'), { create: true, overwrite: false, size: 2 }));
        ok(await service.uploadChunk(readWrite, uploadId, 0, Buffer.from('hi')));
        await fs.writeFile(onDisk('sub/new.txt'), 'host wrote this');
        assert.equal(codeOf(await service.commitUpload(readWrite, uploadId)), 'already-exists');
        assert.equal(await fs.readFile(onDisk('sub/new.txt'), 'utf8'), 'host wrote this');
        assert.deepEqual((await fs.readdir(onDisk('sub'))).filter(name => name.startsWith('.ensemble-upload-')), []);
    });
});
