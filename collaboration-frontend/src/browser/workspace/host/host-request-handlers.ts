import type { CollaborationSession } from '@ensemble/collaboration-common';
import {
    failure, WorkspaceError, type HostWorkspaceService, type Requester, type WorkspaceResult
} from '@ensemble/collaboration-backend/lib/common/workspace-sharing-protocol';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { decodeBase64, encodeBase64 } from '../../../common/base64';
import {
    AbortUpload, BeginUpload, CommitUpload, CreateFolder, DeleteEntry, DIRECTORY_PAGE_SIZE, FindFiles, GetSharedRoots, MAX_FIND_RESULTS,
    ReadChunk, ReadDirectory, RenameEntry, StatEntry, UploadChunk, WriteFile
} from '../../../common/workspace-messages';
import type { TransferPacer } from '../transfer-pacer';

/** The backend calls the handlers make; the RPC proxy, or the service itself in tests. */
export type HostWorkspaceBackend = Omit<HostWorkspaceService, 'setClient' | 'getClient' | 'dispose' | 'setSharedRoots'>;

export interface HostRequestHandlerOptions {
    readonly backend: HostWorkspaceBackend;
    /** Paces the file bytes this host sends (read chunks) under the server's rate limit. */
    readonly pacer: TransferPacer;
    /** The names of the folders shared right now, in order. */
    readonly sharedRootNames: () => readonly string[];
}

/** Roughly how many characters of JSON one find result may take before the answer is cut short. */
const FIND_RESULTS_BUDGET = 512 * 1024;

/**
 * Answers the guests' workspace requests by calling the host's backend. Who
 * asks, and with which permission, comes from the session's peer list (kept
 * by the server), never from the message: a guest cannot claim to be
 * read-write. The backend enforces confinement, exclusions and permissions.
 */
export function registerHostRequestHandlers(session: CollaborationSession, options: HostRequestHandlerOptions): Disposable {
    const { backend, pacer } = options;
    const requesterOf = (origin: string): Requester => {
        const peer = session.peers.get(origin);
        if (!peer) {
            throw new WorkspaceError('permission-denied', 'The host does not know you as a participant (any more); rejoin the session.');
        }
        return { peerId: peer.id, role: peer.role };
    };
    /** A handler whose requester is resolved first; an unknown peer gets a typed refusal. */
    const guarded = <R>(run: (requester: Requester) => Promise<R>) => (origin: string): Promise<R | WorkspaceResult<never>> => {
        let requester: Requester;
        try {
            requester = requesterOf(origin);
        } catch (error) {
            return Promise.resolve(failure((error as WorkspaceError).toData()));
        }
        return run(requester);
    };
    const done = (result: WorkspaceResult<void>): { ok: true } | WorkspaceResult<never> => result.ok ? { ok: true } : result;

    return new DisposableCollection(
        session.onRequest(GetSharedRoots, () => ({ roots: options.sharedRootNames().map(name => ({ name })) })),

        session.onRequest(StatEntry, ({ target }, { origin }) => guarded(requester => backend.stat(requester, target))(origin)),

        session.onRequest(ReadDirectory, ({ target, start }, { origin }) => guarded(async requester => {
            const result = await backend.readDirectory(requester, target);
            if (!result.ok) {
                return result;
            }
            // Pages keep a huge folder's listing under the message size limit.
            const from = start ?? 0;
            const entries = result.value.slice(from, from + DIRECTORY_PAGE_SIZE).map(({ name, type, symlink }) => ({ name, type, symlink }));
            const next = from + DIRECTORY_PAGE_SIZE < result.value.length ? from + DIRECTORY_PAGE_SIZE : undefined;
            return { ok: true as const, value: next === undefined ? { entries } : { entries, next } };
        })(origin)),

        session.onRequest(ReadChunk, ({ target, offset, length }, { origin }) => guarded(async requester => {
            const result = await backend.readChunk(requester, target, offset, length);
            if (!result.ok) {
                return result;
            }
            const { data, size, mtime } = result.value;
            await pacer.take(data.byteLength);
            return { ok: true as const, value: { data: encodeBase64(data), size, mtime } };
        })(origin)),

        session.onRequest(WriteFile, ({ target, data, create, overwrite }, { origin }) => guarded(async requester => {
            const bytes = decodeOrFail(data);
            return bytes.ok ? backend.writeFile(requester, target, bytes.value, { create, overwrite }) : bytes;
        })(origin)),

        session.onRequest(BeginUpload, ({ target, size, create, overwrite }, { origin }) => guarded(async requester => {
            const result = await backend.beginUpload(requester, target, { size, create, overwrite });
            return result.ok ? { ok: true as const, value: { uploadId: result.value } } : result;
        })(origin)),

        session.onRequest(UploadChunk, ({ uploadId, offset, data }, { origin }) => guarded(async requester => {
            const bytes = decodeOrFail(data);
            if (!bytes.ok) {
                return bytes;
            }
            const result = await backend.uploadChunk(requester, uploadId, offset, bytes.value);
            return result.ok ? { ok: true as const, value: { received: result.value } } : result;
        })(origin)),

        session.onRequest(CommitUpload, ({ uploadId }, { origin }) => guarded(requester => backend.commitUpload(requester, uploadId))(origin)),

        session.onRequest(AbortUpload, ({ uploadId }, { origin }) => guarded(async requester => done(await backend.abortUpload(requester, uploadId)))(origin)),

        session.onRequest(CreateFolder, ({ target }, { origin }) => guarded(async requester => done(await backend.createFolder(requester, target)))(origin)),

        session.onRequest(DeleteEntry, ({ target, recursive }, { origin }) =>
            guarded(async requester => done(await backend.delete(requester, target, { recursive })))(origin)),

        session.onRequest(RenameEntry, ({ from, to, overwrite }, { origin }) =>
            guarded(async requester => done(await backend.rename(requester, from, to, { overwrite })))(origin)),

        session.onRequest(FindFiles, ({ query, limit, excludes }, { origin }) => guarded(async requester => {
            const result = await backend.findFiles(requester, query, { limit: Math.min(limit, MAX_FIND_RESULTS), excludedGlobs: excludes ?? [] });
            if (!result.ok) {
                return result;
            }
            let budget = FIND_RESULTS_BUDGET;
            const files = result.value.filter(file => (budget -= file.root.length + file.path.length + 32) > 0).map(({ root, path }) => ({ root, path }));
            return { ok: true as const, value: { files } };
        })(origin)),

        session.onPeerLeft(({ peerId, reason }) => {
            // A guest that only dropped may come back and resume; one that left or was removed will not.
            if (reason !== 'disconnected') {
                void backend.abortUploadsOf(peerId);
            }
        })
    );
}

function decodeOrFail(data: string): WorkspaceResult<Uint8Array> {
    try {
        return { ok: true, value: decodeBase64(data) };
    } catch {
        return failure({ code: 'invalid-request', message: 'The file data sent to the host is not valid base64.' });
    }
}
