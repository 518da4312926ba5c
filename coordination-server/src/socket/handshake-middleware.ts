import {
    describeProtocolMismatch, ErrorCodes, HandshakeAuthSchema, isSupportedProtocolVersion, PROTOCOL_VERSION,
    sharedSchemaCompiler, type ConnectionRefusal, type ErrorCode, type HandshakeAuth
} from '@ensemble/collaboration-common';
import { newRequestId, normalizeInviteCode } from '../rooms/ids';
import type { EnsembleSocket, ServerContext, SocketData } from '../server-context';

type Next = (error?: Error) => void;

/** An Error whose `data` reaches the client in `connect_error`, so it can show a precise message. */
export function refusal(code: ErrorCode, message: string): Error & { data: ConnectionRefusal } {
    return Object.assign(new Error(message), { data: { code, message, serverProtocolVersion: PROTOCOL_VERSION } });
}

/**
 * Admits or refuses a connection before any message flows: checks the
 * protocol version, then either the token (member) or the join request
 * (pending guest). Every refusal says what happened and what to do.
 */
export function handshakeMiddleware(context: ServerContext): (socket: EnsembleSocket, next: Next) => void {
    const validateAuth = sharedSchemaCompiler().compile(HandshakeAuthSchema, 'auth');
    return (socket, next) => {
        admit(context, validateAuth, socket.handshake.auth).then(
            data => {
                socket.data = data;
                next();
            },
            (error: Error & { data?: ConnectionRefusal }) => {
                const code = error.data?.code ?? ErrorCodes.internalError;
                context.metrics.connectionsRefused.inc({ reason: code });
                if (!error.data) {
                    context.logger.error({ err: error }, 'handshake failed');
                }
                next(error.data ? error : refusal(ErrorCodes.internalError, 'The server could not check the connection; try again.'));
            });
    };
}

/** socket.io-client adds these to `auth` when it reconnects with connection state recovery on (its session id and last offset). */
const RECOVERY_FIELDS = ['pid', 'offset'] as const;
const MAX_RECOVERY_FIELD_LENGTH = 64;

/**
 * The auth without socket.io's own recovery fields, which are checked here: a
 * reconnection that socket.io could not recover (offset too old, window
 * over) comes through the handshake again, with them.
 */
function withoutRecoveryFields(auth: unknown): { readonly auth: unknown; readonly problem?: string } {
    if (typeof auth !== 'object' || auth === null || Array.isArray(auth) || !RECOVERY_FIELDS.some(field => field in auth)) {
        return { auth };
    }
    const rest: Record<string, unknown> = { ...auth };
    for (const field of RECOVERY_FIELDS) {
        const value = rest[field];
        if (value !== undefined && (typeof value !== 'string' || value.length > MAX_RECOVERY_FIELD_LENGTH)) {
            return { auth, problem: `auth/${field} must be a string of at most ${MAX_RECOVERY_FIELD_LENGTH} characters` };
        }
        delete rest[field];
    }
    return { auth: rest };
}

async function admit(context: ServerContext, validateAuth: (value: unknown) => string | undefined, received: unknown): Promise<SocketData> {
    const { auth, problem: recoveryProblem } = withoutRecoveryFields(received);
    const version = (auth as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    if (typeof version === 'number' && !isSupportedProtocolVersion(version)) {
        throw refusal(ErrorCodes.protocolMismatch, describeProtocolMismatch(PROTOCOL_VERSION, version));
    }
    const problem = recoveryProblem ?? validateAuth(auth);
    if (problem !== undefined) {
        throw refusal(ErrorCodes.invalidHandshake, `The connection request is invalid (${problem}); is this an Ensemble client?`);
    }
    if (context.lifecycle.shuttingDown) {
        throw refusal(ErrorCodes.serverShuttingDown, 'The server is shutting down; reconnect in a moment.');
    }
    const { token, join } = auth as HandshakeAuth;
    if (token !== undefined && join === undefined) {
        return admitMember(context, token);
    }
    if (join !== undefined && token === undefined) {
        return admitJoinRequest(context, join.inviteCode, join.displayName);
    }
    throw refusal(ErrorCodes.invalidHandshake, 'Send either a token or a join request, not both and not neither.');
}

async function admitMember(context: ServerContext, token: string): Promise<SocketData> {
    const check = await context.tokens.verify(token);
    if (!check.valid) {
        throw check.reason === 'expired'
            ? refusal(ErrorCodes.tokenExpired, 'Your access to the room has expired; ask the host for a new invite.')
            : refusal(ErrorCodes.invalidToken, 'The token is not valid on this server (it may come from another server or an older secret); join again with an invite.');
    }
    const { roomId, peerId } = check.claims;
    const room = await context.registry.getRoom(roomId);
    if (!room) {
        throw refusal(ErrorCodes.roomNotFound, 'The room has ended.');
    }
    if (!await context.registry.getPeer(roomId, peerId)) {
        throw refusal(ErrorCodes.notAMember, 'You are no longer a member of this room (removed by the host, or you left); ask the host for a new invite.');
    }
    return { kind: 'member', roomId, peerId, hostPeerId: room.hostPeerId };
}

async function admitJoinRequest(context: ServerContext, inviteCode: string, displayName: string): Promise<SocketData> {
    const room = await context.registry.findRoomByInvite(normalizeInviteCode(inviteCode));
    if (!room) {
        throw refusal(ErrorCodes.roomNotFound, `No room has the invite code "${inviteCode}": check the code; the room may have ended.`);
    }
    const requestId = newRequestId();
    const requestedAt = context.now();
    const outcome = await context.registry.addJoinRequest(room.id, { requestId, displayName, requestedAt },
        context.options.limits.maxPendingJoinRequests);
    if (outcome === 'full') {
        throw refusal(ErrorCodes.tooManyJoinRequests, 'Too many people are waiting to join this room; try again once the host has answered them.');
    }
    if (outcome === 'no-room') {
        throw refusal(ErrorCodes.roomNotFound, 'The room has ended.');
    }
    return { kind: 'pending', roomId: room.id, requestId, hostPeerId: room.hostPeerId, displayName, requestedAt };
}
