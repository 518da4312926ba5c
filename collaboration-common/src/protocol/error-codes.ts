/**
 * Stable error codes on the wire (`WireError.code`) and in connection
 * refusals. Programs branch on the code; people read the message next to it.
 */
export const ErrorCodes = {
    /** The envelope does not have the envelope's shape or breaks its rules. */
    invalidEnvelope: 'invalid-envelope',
    /** The params (or a response's result) do not match the method's schema. */
    invalidParams: 'invalid-params',
    /** Nobody declared this method in the room (see `room/declare-messages`). */
    unknownMethod: 'unknown-method',
    /** A method declaration conflicts with an earlier one or is not a usable schema. */
    invalidDeclaration: 'invalid-declaration',
    /** The client put an origin on its envelope; only the server stamps origins. */
    forgedOrigin: 'forged-origin',
    messageTooLarge: 'message-too-large',
    rateLimited: 'rate-limited',
    /** Sent just before the server disconnects a socket that kept breaking the rules. */
    tooManyViolations: 'too-many-violations',
    /** The peer is waiting for the host's approval and may not send messages yet. */
    notAdmitted: 'not-admitted',
    /** Only the host may do this. */
    forbidden: 'forbidden',
    peerNotConnected: 'peer-not-connected',
    peerNotFound: 'peer-not-found',
    joinRequestNotFound: 'join-request-not-found',
    tooManyTopics: 'too-many-topics',
    /** The receiving peer has no handler for the request's method. */
    noHandler: 'no-handler',
    /** The receiving peer's handler threw; the message is the handler's. */
    handlerFailed: 'handler-failed',
    requestTimeout: 'request-timeout',
    requestCancelled: 'request-cancelled',
    internalError: 'internal-error',

    // Connection refusals (socket.io `connect_error`, `error.data.code`).
    protocolMismatch: 'protocol-mismatch',
    invalidHandshake: 'invalid-handshake',
    invalidToken: 'invalid-token',
    tokenExpired: 'token-expired',
    roomNotFound: 'room-not-found',
    roomFull: 'room-full',
    tooManyJoinRequests: 'too-many-join-requests',
    notAMember: 'not-a-member',
    serverShuttingDown: 'server-shutting-down'
} as const;
export type ErrorCode = typeof ErrorCodes[keyof typeof ErrorCodes];

/** What the server attaches to a refused connection (`connect_error` → `error.data`). */
export interface ConnectionRefusal {
    readonly code: ErrorCode;
    readonly message: string;
    readonly serverProtocolVersion: number;
}
