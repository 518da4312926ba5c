import { Type, type Static } from '@sinclair/typebox';
import { DisplayNameSchema } from './peer';

/**
 * What a client sends in socket.io's `auth` when it connects: its protocol
 * version, and either a token (host, admitted guest, reconnect) or a request
 * to join by invite code.
 */
export const HandshakeAuthSchema = Type.Object({
    protocolVersion: Type.Integer({ minimum: 0 }),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    join: Type.Optional(Type.Object({
        inviteCode: Type.String({ minLength: 1, maxLength: 128 }),
        displayName: DisplayNameSchema
    }, { additionalProperties: false }))
}, { additionalProperties: false });
export type HandshakeAuth = Static<typeof HandshakeAuthSchema>;
