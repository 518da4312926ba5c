import { Type, type Static } from '@sinclair/typebox';
import { PeerIdSchema } from './envelope';
import { DisplayNameSchema } from './peer';

/** `POST /rooms`: create a room. Send `Authorization: Bearer <access token>` when the server requires one. */
export const CREATE_ROOM_PATH = '/rooms';

export const CreateRoomRequestSchema = Type.Object({
    hostName: DisplayNameSchema
}, { additionalProperties: false });
export type CreateRoomRequest = Static<typeof CreateRoomRequestSchema>;

export const CreateRoomResponseSchema = Type.Object({
    roomId: Type.String(),
    /** Short code guests type (or receive in a link) to ask to join. */
    inviteCode: Type.String(),
    hostPeerId: PeerIdSchema,
    /** Connect with this token as the host; it also lets the host come back after a drop. */
    hostToken: Type.String(),
    protocolVersion: Type.Integer()
}, { additionalProperties: false });
export type CreateRoomResponse = Static<typeof CreateRoomResponseSchema>;

/** Body of every HTTP error answer. */
export const HttpErrorSchema = Type.Object({
    error: Type.Object({ code: Type.String(), message: Type.String() })
});
export type HttpError = Static<typeof HttpErrorSchema>;
