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

/**
 * A peer's status in a room: its name and colour, and any keys other
 * extensions add (active document, cursor, following, ...). It is relayed to
 * the room and expires when its owner stops renewing it.
 */
export const PeerStatusSchema = Type.Object({
    name: Type.Optional(Type.String({ maxLength: 64 })),
    color: Type.Optional(Type.String({ maxLength: 32 }))
}, { additionalProperties: true });
export type PeerStatus = Static<typeof PeerStatusSchema> & { readonly [key: string]: unknown };

export const PeerStatusEntrySchema = Type.Object({
    peerId: PeerIdSchema,
    status: PeerStatusSchema,
    /** Milliseconds since the epoch, by the server's clock. */
    expiresAt: Type.Number()
}, { additionalProperties: false });
export type PeerStatusEntry = Static<typeof PeerStatusEntrySchema>;
