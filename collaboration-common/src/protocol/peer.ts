import { Type, type Static } from '@sinclair/typebox';
import { PeerIdSchema } from './envelope';

export const GuestRoleSchema = Type.Union([Type.Literal('read-write'), Type.Literal('read-only')]);
/** What the host granted a guest. The host enforces it; the server records and relays it. */
export type GuestRole = Static<typeof GuestRoleSchema>;

export const PeerRoleSchema = Type.Union([Type.Literal('host'), GuestRoleSchema]);
export type PeerRole = Static<typeof PeerRoleSchema>;

export const DisplayNameSchema = Type.String({ minLength: 1, maxLength: 64 });

export const PeerInfoSchema = Type.Object({
    id: PeerIdSchema,
    name: DisplayNameSchema,
    role: PeerRoleSchema
}, { additionalProperties: false });
export type PeerInfo = Static<typeof PeerInfoSchema>;

/** Keys at most in one peer's status: extensions share it, so each should use a few. */
export const MAX_PEER_STATUS_KEYS = 64;
/**
 * Bytes at most of one peer's status as UTF-8 JSON. Every change goes to
 * every peer, and a joiner's welcome carries all statuses: a status is for
 * small facts (a flag, a file, a line), not for payloads.
 */
export const MAX_PEER_STATUS_BYTES = 16 * 1024;

/**
 * A peer's status in a room: its name and colour, and any keys other
 * extensions add (active document, cursor, following, `publisher.key`
 * entries of other extensions, ...). It is relayed to the room and expires
 * when its owner stops renewing it. At most MAX_PEER_STATUS_KEYS keys and
 * MAX_PEER_STATUS_BYTES bytes (see peerStatusProblem).
 */
export const PeerStatusSchema = Type.Object({
    name: Type.Optional(Type.String({ maxLength: 64 })),
    color: Type.Optional(Type.String({ maxLength: 32 }))
}, { additionalProperties: true, maxProperties: MAX_PEER_STATUS_KEYS });
export type PeerStatus = Static<typeof PeerStatusSchema> & { readonly [key: string]: unknown };

export const PeerStatusEntrySchema = Type.Object({
    peerId: PeerIdSchema,
    status: PeerStatusSchema,
    /** Milliseconds since the epoch, by the server's clock. */
    expiresAt: Type.Number()
}, { additionalProperties: false });
export type PeerStatusEntry = Static<typeof PeerStatusEntrySchema>;

/** UTF-8 bytes of a value as JSON. */
export function jsonByteLength(value: unknown): number {
    return new TextEncoder().encode(JSON.stringify(value) ?? '').length;
}

/** Why a status cannot be published (too many keys, too large), or undefined when it can. */
export function peerStatusProblem(status: Readonly<Record<string, unknown>>): string | undefined {
    const keys = Object.keys(status).length;
    if (keys > MAX_PEER_STATUS_KEYS) {
        return `The status has ${keys} keys, at most ${MAX_PEER_STATUS_KEYS} are allowed.`;
    }
    const bytes = jsonByteLength(status);
    if (bytes > MAX_PEER_STATUS_BYTES) {
        return `The status takes ${bytes} bytes, at most ${MAX_PEER_STATUS_BYTES} are allowed: keep status values small.`;
    }
    return undefined;
}
