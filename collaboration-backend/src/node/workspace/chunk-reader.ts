import { promises as fs } from 'node:fs';
import { MAX_CHUNK_BYTES, WorkspaceError, type FileChunk, type SharedPath } from '../../common/workspace-sharing-protocol';
import { openedPathOf } from './opened-path';

/**
 * Reads one chunk of a file whose real path was already confined. The file
 * is opened by its real path and, where the platform tells (Linux's
 * /proc/self/fd), the opened file is checked to be that path — a link swapped
 * in after the check is noticed instead of followed.
 */
export async function readChunk(real: string, target: SharedPath, offset: number, length: number): Promise<FileChunk> {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
        throw new WorkspaceError('invalid-request', `Invalid range ${offset}+${length}: offset and length must be non-negative integers.`);
    }
    if (length > MAX_CHUNK_BYTES) {
        throw new WorkspaceError('too-large', `A chunk is at most ${MAX_CHUNK_BYTES} bytes; ${length} were asked.`);
    }
    const handle = await fs.open(real, 'r');
    try {
        const opened = await openedPathOf(handle.fd);
        if (opened !== undefined && opened !== real) {
            throw new WorkspaceError('conflict', `"${target.root}/${target.path}" changed while it was being opened; try again.`);
        }
        const stat = await handle.stat();
        if (stat.isDirectory()) {
            throw new WorkspaceError('is-a-directory', `"${target.root}/${target.path}" is a folder, not a file.`);
        }
        if (!stat.isFile()) {
            throw new WorkspaceError('permission-denied', `"${target.root}/${target.path}" is not a regular file (a device, socket or pipe) and is not served.`);
        }
        const wanted = Math.max(0, Math.min(length, stat.size - offset));
        const buffer = Buffer.allocUnsafe(wanted);
        let filled = 0;
        while (filled < wanted) {
            const { bytesRead } = await handle.read(buffer, filled, wanted - filled, offset + filled);
            if (bytesRead === 0) {
                break; // the file shrank meanwhile: the reader sees it in size/mtime
            }
            filled += bytesRead;
        }
        return { data: buffer.subarray(0, filled), size: stat.size, mtime: stat.mtimeMs };
    } finally {
        await handle.close();
    }
}
