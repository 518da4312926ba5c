import { defineBroadcast, defineNotification, defineRequest } from '@ensemble/collaboration-common';
import { Type } from '@sinclair/typebox';
import { SharedPathSchema } from '../../common/workspace-messages';

/**
 * The session messages of editor sync. The host holds each shared
 * document's authority; guests send their operations to the host
 * (`editor/op`), the host publishes every applied operation on the
 * document's topic (`editor/applied`), so only the peers that have the
 * document open get it. Snapshots travel in chunks so that no message comes
 * near the server's 1 MiB limit; an operation too big for one message is not
 * published at all, the guests then catch up from a (chunked) snapshot.
 */

/** UTF-16 code units of document text per message (JSON may escape a control character to 6 bytes: at most ~768 KB). */
export const SNAPSHOT_CHUNK_CHARS = 128 * 1024;
/** Operations above this many characters of text are not broadcast: receivers catch up from a snapshot instead. */
export const MAX_BROADCAST_OP_CHARS = 128 * 1024;

const strict = { additionalProperties: false } as const;

/** The document's key: `editor/<hash of its shared path>`, also the topic its operations are published on. */
export const DocKeySchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^editor/[0-9a-z]+$' });
const Revision = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Seq = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const ClientId = Type.String({ minLength: 1, maxLength: 128 });
export const EolSchema = Type.Union([Type.Literal('\n'), Type.Literal('\r\n')]);
const Chunk = Type.String({ maxLength: SNAPSHOT_CHUNK_CHARS });
const SnapshotId = Type.String({ minLength: 1, maxLength: 64 });

/** A text operation on the wire; the OT core checks it fully before use, this only bounds its shape. */
export const OpSchema = Type.Array(Type.Union([
    Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    Type.String({ minLength: 1 }),
    Type.Object({ d: Type.Union([Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), Type.String({ minLength: 1 })]) }, strict)
]), { maxItems: 200_000 });

const AppliedOpSchema = Type.Object({ revision: Revision, op: OpSchema, clientId: ClientId, seq: Seq }, strict);

/** The first part of a snapshot; the rest is read with `editor/read-snapshot`. */
const SnapshotHead = {
    revision: Revision,
    eol: EolSchema,
    /** Length of the whole text in UTF-16 code units. */
    length: Revision,
    /** The text's first chunk. */
    text: Chunk,
    /** Present when more text follows: read it with `editor/read-snapshot`. */
    snapshotId: Type.Optional(SnapshotId)
};

/** Guest → host: open a shared file for editing (subscribe to its topic first, then ask). */
export const OpenDocument = defineRequest('editor/open',
    Type.Object({ doc: DocKeySchema, target: SharedPathSchema, clientId: ClientId }, strict),
    Type.Object(SnapshotHead, strict));

/** Guest → host: the next chunk of a snapshot (`offset` in code units). */
export const ReadSnapshot = defineRequest('editor/read-snapshot',
    Type.Object({ snapshotId: SnapshotId, offset: Revision }, strict),
    Type.Object({ text: Chunk }, strict));

/** Guest → host: an edit (the OT core's ClientOp). Its acknowledgement is the `editor/applied` broadcast. */
export const SubmitOp = defineRequest('editor/op',
    Type.Object({ doc: DocKeySchema, clientId: ClientId, seq: Seq, revision: Revision, op: OpSchema }, strict),
    Type.Object({
        status: Type.Union([Type.Literal('applied'), Type.Literal('duplicate'), Type.Literal('resync'), Type.Literal('refused'), Type.Literal('not-open')]),
        reason: Type.Optional(Type.String({ maxLength: 1024 }))
    }, strict));

/** Text characters (see op-parts' wireSize) in one `editor/op` or `editor/op-part` message. */
export const MAX_SUBMIT_OP_CHARS = 128 * 1024;

/**
 * Guest → host: one piece (`index` of `count`, in order) of an operation too
 * big for one message (a huge paste). The host joins the pieces and applies
 * the whole operation when the last one arrives: until then it answers
 * `partial`, then as `editor/op` does.
 */
export const SubmitOpPart = defineRequest('editor/op-part',
    Type.Object({
        doc: DocKeySchema, clientId: ClientId, seq: Seq, revision: Revision,
        index: Type.Integer({ minimum: 0, maximum: 100_000 }), count: Type.Integer({ minimum: 2, maximum: 100_001 }), op: OpSchema
    }, strict),
    Type.Object({
        status: Type.Union([Type.Literal('partial'), Type.Literal('applied'), Type.Literal('duplicate'), Type.Literal('resync'), Type.Literal('refused'), Type.Literal('not-open')]),
        reason: Type.Optional(Type.String({ maxLength: 1024 }))
    }, strict));

/** Host → the document's topic: an operation the host applied (the author takes its own as the acknowledgement). */
export const OpApplied = defineBroadcast('editor/applied',
    Type.Object({
        doc: DocKeySchema, revision: Revision, op: OpSchema, clientId: ClientId, seq: Seq,
        /** Set when this operation changed the document's line endings (the whole text). */
        eol: Type.Optional(EolSchema)
    }, strict));

/** Guest → host: what was missed since `revision` (operations), or a snapshot (asked for with `snapshot`, or when the log is too short). */
export const CatchUpDocument = defineRequest('editor/catch-up',
    Type.Object({ doc: DocKeySchema, clientId: ClientId, revision: Revision, snapshot: Type.Optional(Type.Boolean()) }, strict),
    Type.Union([
        Type.Object({ type: Type.Literal('ops'), ops: Type.Array(AppliedOpSchema, { maxItems: 10_000 }), eol: EolSchema }, strict),
        Type.Object({ type: Type.Literal('snapshot'), ...SnapshotHead, lastSeq: Revision, reason: Type.String({ maxLength: 1024 }) }, strict)
    ]));

/** Host → the document's topic, when edits pause: a hash of the text at a revision, so that a peer that drifted notices. */
export const DocumentChecksum = defineBroadcast('editor/checksum',
    Type.Object({ doc: DocKeySchema, revision: Revision, length: Revision, hash: Type.String({ maxLength: 32 }) }, strict));

/** Guest → host: save the document (the host writes its model to disk). */
export const SaveDocument = defineRequest('editor/save',
    Type.Object({ doc: DocKeySchema }, strict),
    Type.Object({ saved: Type.Boolean(), message: Type.Optional(Type.String({ maxLength: 1024 })) }, strict));

/** Guest → host: this guest closed the document. */
export const CloseDocument = defineNotification('editor/close', Type.Object({ doc: DocKeySchema, clientId: ClientId }, strict));

export type Eol = '\n' | '\r\n';
