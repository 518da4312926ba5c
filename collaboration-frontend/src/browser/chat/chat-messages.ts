import { defineBroadcast, defineRequest, DisplayNameSchema, PeerIdSchema } from '@ensemble/collaboration-common';
import { Type, type Static } from '@sinclair/typebox';

/**
 * The chat's session messages. The host keeps the history and gives every
 * message its id (the order everyone shows): guests send their text to the
 * host, the host broadcasts the message with the sender's name as the server
 * stamped it, never as the sender claims it.
 */

/** Characters (UTF-16 code units) at most in one message. */
export const MAX_CHAT_MESSAGE_LENGTH = 4000;
/** Messages the host keeps for late joiners (and every window keeps to show). */
export const MAX_CHAT_HISTORY_MESSAGES = 500;
/** Characters of text at most in the kept history, whichever bound comes first. */
export const MAX_CHAT_HISTORY_CHARS = 1_000_000;
/** Bytes (UTF-8 JSON) at most of the messages in one history page: far below the server's 1 MiB message limit. */
export const CHAT_HISTORY_PAGE_BYTES = 256 * 1024;

const strict = { additionalProperties: false } as const;

/**
 * Names one history of the host: a host window that reloads and goes back
 * into its session starts a new one (ids from 1 again), and guests must not
 * take its messages for ones they already have.
 */
export const ChatEpochSchema = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' });

export const ChatMessageSchema = Type.Object({
    epoch: ChatEpochSchema,
    /** Given by the host, from 1, in the order it accepted the messages. */
    id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    authorId: PeerIdSchema,
    authorName: DisplayNameSchema,
    text: Type.String({ minLength: 1, maxLength: MAX_CHAT_MESSAGE_LENGTH }),
    /** When the host accepted it: milliseconds since the epoch, by the host's clock (at most the largest date JavaScript can show). */
    time: Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 })
}, strict);
export type ChatMessage = Static<typeof ChatMessageSchema>;

/** Names one post of a guest, so that sending it again (after a timeout) cannot post it twice. */
export const ChatPostIdSchema = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' });

/**
 * Guest → host: post a message; the answer is the message as everyone gets
 * it. A post whose `postId` the host has seen from this guest is answered
 * with the message it made then, not posted again.
 */
export const PostChatMessage = defineRequest('chat/post',
    Type.Object({ text: Type.String({ minLength: 1, maxLength: MAX_CHAT_MESSAGE_LENGTH }), postId: Type.Optional(ChatPostIdSchema) }, strict),
    Type.Object({ message: ChatMessageSchema }, strict));

/** Host → everyone: a message was posted. Only the host's broadcasts count. */
export const ChatMessagePosted = defineBroadcast('chat/posted', Type.Object({ message: ChatMessageSchema }, strict));

/** Guest → host: the messages after `after` (0: from the oldest kept), a page at a time. */
export const GetChatHistory = defineRequest('chat/history',
    Type.Object({ after: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }) }, strict),
    Type.Object({
        epoch: ChatEpochSchema,
        messages: Type.Array(ChatMessageSchema, { maxItems: MAX_CHAT_HISTORY_MESSAGES }),
        /** True when more messages follow: ask again after the last one. */
        more: Type.Boolean()
    }, strict));
