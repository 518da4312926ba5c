import { ErrorCodes, type ErrorCode } from '../protocol/error-codes';

/** Base of every error the session raises; `code` is stable, the message is for people. */
export class SessionError extends Error {
    constructor(readonly code: ErrorCode | string, message: string) {
        super(message);
        this.name = new.target.name;
    }
}

/** The other side (peer or server) answered a request with an error. */
export class RemoteError extends SessionError {
    constructor(code: string, message: string, readonly method: string, readonly origin: string) {
        super(code, message);
    }
}

export class RequestTimeoutError extends SessionError {
    constructor(readonly method: string, readonly timeoutMs: number) {
        super(ErrorCodes.requestTimeout,
            `No answer to "${method}" within ${timeoutMs} ms: the peer may be gone or busy; try again or raise the timeout.`);
    }
}

export class RequestCancelledError extends SessionError {
    constructor(readonly method: string, reason?: unknown) {
        super(ErrorCodes.requestCancelled, `The request "${method}" was cancelled${reason instanceof Error ? `: ${reason.message}` : ''}.`);
    }
}

/** Params (or a result) did not match the message's schema. */
export class InvalidMessageError extends SessionError {
    constructor(message: string) {
        super(ErrorCodes.invalidParams, message);
    }
}

/** The server refused the connection (bad token, room gone, room full, ...). */
export class ConnectionRefusedError extends SessionError { }

/** The client and the server speak incompatible protocol versions. */
export class ProtocolMismatchError extends ConnectionRefusedError {
    constructor(message: string, readonly serverProtocolVersion: number, readonly clientProtocolVersion: number) {
        super(ErrorCodes.protocolMismatch, message);
    }
}

/** The host denied the join request, or it expired, or the room closed meanwhile. */
export class JoinDeniedError extends SessionError {
    constructor(readonly reason: string, message: string) {
        super('join-denied', message);
    }
}

/** The session was closed (by the user, the host, or the server) while something was still pending. */
export class SessionClosedError extends SessionError {
    constructor(message = 'The collaboration session is closed.') {
        super('session-closed', message);
    }
}
