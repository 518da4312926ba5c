import { defineBroadcast, defineRequest } from '@ensemble/collaboration-common';
import { WORKSPACE_ERROR_CODES } from '@ensemble/collaboration-backend/lib/common/workspace-errors';
import { MAX_RELATIVE_PATH_LENGTH, MAX_SEGMENT_LENGTH } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import { Type, type TSchema } from '@sinclair/typebox';
import { base64Length } from './base64';

/**
 * The session messages of workspace sharing, between the host's frontend
 * (which relays to its backend) and the guests' file-system providers.
 * Every request answers with a result (`ok: true` + value, or `ok: false` +
 * a typed error) so the error code survives the relay. Sizes are bounded so
 * that no message comes near the server's 1 MiB limit: files travel in
 * chunks, long listings in pages.
 */

/** Bytes of file content per message (base64 makes it ~700 KB on the wire). */
export const WIRE_CHUNK_BYTES = 512 * 1024;
/** Directory entries per page of `workspace/read-directory`. */
export const DIRECTORY_PAGE_SIZE = 2000;
/** Results at most per `workspace/find-files`. */
export const MAX_FIND_RESULTS = 500;
/** Changes at most per `workspace/files-changed` broadcast. */
export const MAX_CHANGES_PER_BROADCAST = 1000;

const strict = { additionalProperties: false } as const;

export const RootNameSchema = Type.String({ minLength: 1, maxLength: MAX_SEGMENT_LENGTH });
export const SharedPathSchema = Type.Object({
    root: RootNameSchema,
    /** Relative to the root, `/`-separated; `''` is the root. */
    path: Type.String({ maxLength: MAX_RELATIVE_PATH_LENGTH })
}, strict);

const Base64ChunkSchema = Type.String({ maxLength: base64Length(WIRE_CHUNK_BYTES) });
const ByteCountSchema = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export const WorkspaceErrorSchema = Type.Object({
    code: Type.Union(WORKSPACE_ERROR_CODES.map(code => Type.Literal(code))),
    message: Type.String({ maxLength: 4096 })
}, strict);

/** `{ ok: true, value }` or `{ ok: false, error }`: the shape of WorkspaceResult on the wire. */
function resultOf<T extends TSchema>(value: T) {
    return Type.Union([
        Type.Object({ ok: Type.Literal(true), value }, strict),
        Type.Object({ ok: Type.Literal(false), error: WorkspaceErrorSchema }, strict)
    ]);
}
/** For operations without a value: `{ ok: true }` or the error. */
const DoneResult = Type.Union([
    Type.Object({ ok: Type.Literal(true) }, strict),
    Type.Object({ ok: Type.Literal(false), error: WorkspaceErrorSchema }, strict)
]);

export const EntryTypeSchema = Type.Union([Type.Literal('file'), Type.Literal('directory'), Type.Literal('other')]);
export const EntryStatSchema = Type.Object({
    type: EntryTypeSchema,
    symlink: Type.Boolean(),
    size: ByteCountSchema,
    mtime: Type.Number(),
    ctime: Type.Number()
}, strict);

export const SharedRootInfoSchema = Type.Object({ name: RootNameSchema }, strict);

// ---- requests (guest → host) -------------------------------------------------------------------

/** The folders the host shares, in its order. */
export const GetSharedRoots = defineRequest('workspace/roots', Type.Object({}, strict),
    Type.Object({ roots: Type.Array(SharedRootInfoSchema, { maxItems: 100 }) }, strict));

export const StatEntry = defineRequest('workspace/stat', Type.Object({ target: SharedPathSchema }, strict), resultOf(EntryStatSchema));

export const ReadDirectory = defineRequest('workspace/read-directory',
    Type.Object({ target: SharedPathSchema, start: Type.Optional(ByteCountSchema) }, strict),
    resultOf(Type.Object({
        entries: Type.Array(Type.Object({ name: RootNameSchema, type: EntryTypeSchema, symlink: Type.Boolean() }, strict), { maxItems: DIRECTORY_PAGE_SIZE }),
        /** Present when more entries follow: ask again with `start: next`. */
        next: Type.Optional(ByteCountSchema)
    }, strict)));

export const ReadChunk = defineRequest('workspace/read-chunk',
    Type.Object({ target: SharedPathSchema, offset: ByteCountSchema, length: Type.Integer({ minimum: 0, maximum: WIRE_CHUNK_BYTES }) }, strict),
    resultOf(Type.Object({
        data: Base64ChunkSchema,
        /** The whole file's size and mtime at this read: a changing file is noticed. */
        size: ByteCountSchema,
        mtime: Type.Number()
    }, strict)));

const WriteFlags = { create: Type.Boolean(), overwrite: Type.Boolean() };

/** A whole file that fits in one chunk, written atomically. */
export const WriteFile = defineRequest('workspace/write-file',
    Type.Object({ target: SharedPathSchema, data: Base64ChunkSchema, ...WriteFlags }, strict),
    resultOf(EntryStatSchema));

export const BeginUpload = defineRequest('workspace/upload-begin',
    Type.Object({ target: SharedPathSchema, size: ByteCountSchema, ...WriteFlags }, strict),
    resultOf(Type.Object({ uploadId: Type.String({ minLength: 1, maxLength: 64 }) }, strict)));

export const UploadChunk = defineRequest('workspace/upload-chunk',
    Type.Object({ uploadId: Type.String({ minLength: 1, maxLength: 64 }), offset: ByteCountSchema, data: Base64ChunkSchema }, strict),
    resultOf(Type.Object({ received: ByteCountSchema }, strict)));

export const CommitUpload = defineRequest('workspace/upload-commit',
    Type.Object({ uploadId: Type.String({ minLength: 1, maxLength: 64 }) }, strict), resultOf(EntryStatSchema));

export const AbortUpload = defineRequest('workspace/upload-abort',
    Type.Object({ uploadId: Type.String({ minLength: 1, maxLength: 64 }) }, strict), DoneResult);

export const CreateFolder = defineRequest('workspace/create-folder', Type.Object({ target: SharedPathSchema }, strict), DoneResult);

export const DeleteEntry = defineRequest('workspace/delete',
    Type.Object({ target: SharedPathSchema, recursive: Type.Boolean() }, strict), DoneResult);

export const RenameEntry = defineRequest('workspace/rename',
    Type.Object({ from: SharedPathSchema, to: SharedPathSchema, overwrite: Type.Boolean() }, strict), DoneResult);

/** For the guests' "Go to File": files whose path fuzzy-matches `query`. */
export const FindFiles = defineRequest('workspace/find-files',
    Type.Object({
        query: Type.String({ minLength: 1, maxLength: 256 }),
        limit: Type.Integer({ minimum: 1, maximum: MAX_FIND_RESULTS }),
        /** The guest's own exclusions (its `search.exclude`), on top of the host's. */
        excludes: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 100 }))
    }, strict),
    resultOf(Type.Object({ files: Type.Array(SharedPathSchema, { maxItems: MAX_FIND_RESULTS }) }, strict)));

// ---- broadcasts (host → guests) ------------------------------------------------------------------

/** The host shares a different set of folders (it stopped sharing one, shared one again, or changed its workspace). */
export const SharedRootsChanged = defineBroadcast('workspace/roots-changed',
    Type.Object({ roots: Type.Array(SharedRootInfoSchema, { maxItems: 100 }) }, strict));

export const FilesChanged = defineBroadcast('workspace/files-changed',
    Type.Object({
        changes: Type.Array(Type.Object({
            root: RootNameSchema,
            path: Type.String({ maxLength: MAX_RELATIVE_PATH_LENGTH }),
            type: Type.Union([Type.Literal('added'), Type.Literal('updated'), Type.Literal('deleted')])
        }, strict), { maxItems: MAX_CHANGES_PER_BROADCAST })
    }, strict));

/** Every workspace request, for handlers that register them all. */
export const WORKSPACE_REQUESTS = [
    GetSharedRoots, StatEntry, ReadDirectory, ReadChunk, WriteFile, BeginUpload, UploadChunk, CommitUpload, AbortUpload,
    CreateFolder, DeleteEntry, RenameEntry, FindFiles
] as const;
