import { Type, type Static } from '@sinclair/typebox';
import { PeerIdSchema, TopicNameSchema, MethodNameSchema } from './envelope';
import { defineNotification, defineRequest } from './message-definitions';
import { DisplayNameSchema, GuestRoleSchema, PeerInfoSchema, PeerRoleSchema, PeerStatusEntrySchema, PeerStatusSchema } from './peer';

/**
 * The messages between a peer and the server itself: requests to
 * `{ type: 'server' }` and the notifications the server sends with origin
 * `server`. They are ordinary message definitions, validated like any other.
 */

const strict = { additionalProperties: false } as const;
const Empty = Type.Object({}, strict);

export const JoinRequestInfoSchema = Type.Object({
    requestId: Type.String({ minLength: 1, maxLength: 64 }),
    displayName: DisplayNameSchema,
    /** Milliseconds since the epoch. */
    requestedAt: Type.Number()
}, strict);
export type JoinRequestInfo = Static<typeof JoinRequestInfoSchema>;

export const MessageDeclarationSchema = Type.Object({
    kind: Type.Union([Type.Literal('broadcast'), Type.Literal('request'), Type.Literal('notification')]),
    method: MethodNameSchema,
    params: Type.Unknown(),
    result: Type.Optional(Type.Unknown())
}, strict);
/** A message definition as it travels to the server. */
export type MessageDeclaration = Static<typeof MessageDeclarationSchema>;

// ---- requests a peer sends to the server ---------------------------------------------

/** Tells the server (and so every peer) the schema of messages this peer sends or handles. */
export const DeclareMessages = defineRequest('room/declare-messages',
    Type.Object({ messages: Type.Array(MessageDeclarationSchema, { minItems: 1, maxItems: 256 }) }, strict), Empty);

/** Receive the broadcasts published to a topic (one topic per open document). */
export const SubscribeTopic = defineRequest('room/subscribe', Type.Object({ topic: TopicNameSchema }, strict), Empty);
export const UnsubscribeTopic = defineRequest('room/unsubscribe', Type.Object({ topic: TopicNameSchema }, strict), Empty);

/** Sets (and renews) the sender's status; it expires unless renewed before `expiresAt`. */
export const SetStatus = defineRequest('room/set-status', Type.Object({ status: PeerStatusSchema }, strict),
    Type.Object({ expiresAt: Type.Number() }, strict));

export const JoinDecisionSchema = Type.Union([GuestRoleSchema, Type.Literal('deny')]);
export type JoinDecision = Static<typeof JoinDecisionSchema>;

/** Host only: admit a waiting guest as read-write or read-only, or deny it. */
export const AnswerJoinRequest = defineRequest('room/answer-join-request', Type.Object({
    requestId: Type.String({ minLength: 1, maxLength: 64 }),
    decision: JoinDecisionSchema,
    reason: Type.Optional(Type.String({ maxLength: 500 }))
}, strict), Type.Object({ peer: Type.Optional(PeerInfoSchema) }, strict));

/** Host only: change a guest's permission. */
export const SetPeerRole = defineRequest('room/set-role', Type.Object({ peerId: PeerIdSchema, role: GuestRoleSchema }, strict), Empty);

/** Host only: remove a guest from the room; its token stops working. */
export const RemovePeer = defineRequest('room/remove-peer', Type.Object({
    peerId: PeerIdSchema,
    reason: Type.Optional(Type.String({ maxLength: 500 }))
}, strict), Empty);

/** Host only: end the room for everyone. */
export const EndRoom = defineRequest('room/end', Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, strict), Empty);

/** A guest leaves for good (a dropped connection is not leaving: the guest may come back). */
export const LeaveRoom = defineRequest('room/leave', Empty, Empty);

// ---- notifications the server sends -------------------------------------------------

/** First message on every admitted connection: who you are and who is here. */
export const Welcome = defineNotification('room/welcome', Type.Object({
    roomId: Type.String(),
    peerId: PeerIdSchema,
    role: PeerRoleSchema,
    hostPeerId: PeerIdSchema,
    /** A fresh token for reconnecting; replaces the one used to connect. */
    token: Type.String(),
    /** Connected peers, the receiver included. */
    peers: Type.Array(PeerInfoSchema),
    statuses: Type.Array(PeerStatusEntrySchema),
    /** Pending join requests; only the host gets them. */
    joinRequests: Type.Array(JoinRequestInfoSchema),
    /** Whether the host is connected right now. */
    hostOnline: Type.Boolean()
}, strict));

export const PeerJoined = defineNotification('room/peer-joined', Type.Object({ peer: PeerInfoSchema }, strict));

export const PeerLeftReasonSchema = Type.Union([Type.Literal('disconnected'), Type.Literal('left'), Type.Literal('removed')]);
export type PeerLeftReason = Static<typeof PeerLeftReasonSchema>;
export const PeerLeft = defineNotification('room/peer-left', Type.Object({
    peerId: PeerIdSchema,
    reason: PeerLeftReasonSchema,
    /** When the host dropped: the room ends at this time unless the host comes back. */
    hostGraceEndsAt: Type.Optional(Type.Number())
}, strict));

export const PeerRoleChanged = defineNotification('room/peer-role-changed', Type.Object({ peerId: PeerIdSchema, role: PeerRoleSchema }, strict));

/** A replacement token (e.g. after a role change), so a reconnect keeps the new role. */
export const TokenRenewed = defineNotification('room/token-renewed', Type.Object({ token: Type.String() }, strict));

export const StatusChanged = defineNotification('room/status-changed', PeerStatusEntrySchema);
export const StatusExpired = defineNotification('room/status-expired', Type.Object({ peerId: PeerIdSchema }, strict));

/** To the host: a guest asks to join. */
export const JoinRequested = defineNotification('room/join-requested', Type.Object({ request: JoinRequestInfoSchema }, strict));

export const JoinRequestOutcomeSchema = Type.Union([
    Type.Literal('accepted'), Type.Literal('denied'), Type.Literal('withdrawn'), Type.Literal('expired')
]);
/** To the host: a join request is no longer pending. */
export const JoinRequestClosed = defineNotification('room/join-request-closed', Type.Object({
    requestId: Type.String(),
    outcome: JoinRequestOutcomeSchema
}, strict));

/** To a waiting guest: admitted; reconnect with this token. */
export const JoinAccepted = defineNotification('room/join-accepted', Type.Object({
    token: Type.String(), peerId: PeerIdSchema, role: GuestRoleSchema
}, strict));

/** To a waiting guest: not admitted. */
export const JoinDenied = defineNotification('room/join-denied', Type.Object({
    reason: Type.Union([Type.Literal('denied'), Type.Literal('expired'), Type.Literal('room-closed'), Type.Literal('room-full')]),
    message: Type.String()
}, strict));

export const RoomClosedReasonSchema = Type.Union([
    Type.Literal('ended-by-host'), Type.Literal('host-timeout'), Type.Literal('removed'), Type.Literal('server-shutdown')
]);
export type RoomClosedReason = Static<typeof RoomClosedReasonSchema>;
/** The room is over for the receiver (ended, host gone too long, or the receiver was removed). */
export const RoomClosed = defineNotification('room/closed', Type.Object({
    reason: RoomClosedReasonSchema,
    message: Type.String()
}, strict));

/** The server dropped one of the receiver's envelopes (or refuses to go on); says why. */
export const ServerError = defineNotification('server/error', Type.Object({
    code: Type.String(),
    message: Type.String(),
    method: Type.Optional(Type.String()),
    id: Type.Optional(Type.Number())
}, strict));

// ---- between peers, handled by the session itself ------------------------------------

/** The sender of a request gave up on it (timeout or AbortSignal): the handler's signal aborts. */
export const CancelRequest = defineNotification('ensemble/cancel-request', Type.Object({ id: Type.Integer({ minimum: 0 }) }, strict));

/** Requests the server answers itself. */
export const SERVER_REQUESTS = [
    DeclareMessages, SubscribeTopic, UnsubscribeTopic, SetStatus, AnswerJoinRequest, SetPeerRole, RemovePeer, EndRoom, LeaveRoom
] as const;

/** Notifications the server sends (the session validates them like any message). */
export const SERVER_NOTIFICATIONS = [
    Welcome, PeerJoined, PeerLeft, PeerRoleChanged, TokenRenewed, StatusChanged, StatusExpired, JoinRequested,
    JoinRequestClosed, JoinAccepted, JoinDenied, RoomClosed, ServerError
] as const;

/** Peer-to-peer messages every room knows without a declaration. */
export const BUILT_IN_PEER_MESSAGES = [CancelRequest] as const;
