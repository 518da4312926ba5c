import {
    RemoteError, RequestCancelledError, RequestTimeoutError, SessionClosedError, SessionError,
    type CollaborationSession, type Request
} from '@ensemble/collaboration-common';
import type { WorkspaceErrorCode, WorkspaceErrorData } from '@ensemble/collaboration-backend/lib/common/workspace-errors';
import { createFileSystemProviderError, FileSystemProviderErrorCode, type FileSystemProviderError } from '@theia/filesystem/lib/common/files';

/** What a workspace request answers on the wire. */
export type WireResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WorkspaceErrorData };
export type WireDone = { readonly ok: true } | { readonly ok: false; readonly error: WorkspaceErrorData };

const PROVIDER_CODES: Record<WorkspaceErrorCode, FileSystemProviderErrorCode> = {
    'not-found': FileSystemProviderErrorCode.FileNotFound,
    'not-shared': FileSystemProviderErrorCode.FileNotFound,
    'already-exists': FileSystemProviderErrorCode.FileExists,
    'not-a-directory': FileSystemProviderErrorCode.FileNotADirectory,
    'is-a-directory': FileSystemProviderErrorCode.FileIsADirectory,
    'permission-denied': FileSystemProviderErrorCode.NoPermissions,
    'excluded': FileSystemProviderErrorCode.NoPermissions,
    'outside-workspace': FileSystemProviderErrorCode.NoPermissions,
    'too-large': FileSystemProviderErrorCode.FileTooLarge,
    'not-empty': FileSystemProviderErrorCode.Unknown,
    'invalid-path': FileSystemProviderErrorCode.Unknown,
    'invalid-request': FileSystemProviderErrorCode.Unknown,
    'conflict': FileSystemProviderErrorCode.Unknown,
    'unavailable': FileSystemProviderErrorCode.Unavailable
};

/** A file-system error Theia understands (not found, exists, no permission, ...) carrying the host's sentence. */
export function toProviderError(error: WorkspaceErrorData): FileSystemProviderError {
    const providerError = createFileSystemProviderError(error.message, PROVIDER_CODES[error.code] ?? FileSystemProviderErrorCode.Unknown);
    (providerError as FileSystemProviderError & { workspaceCode?: WorkspaceErrorCode }).workspaceCode = error.code;
    return providerError;
}

/** The WorkspaceErrorCode a provider error came from, if it came from the host. */
export function workspaceCodeOf(error: unknown): WorkspaceErrorCode | undefined {
    return (error as { workspaceCode?: WorkspaceErrorCode } | undefined)?.workspaceCode;
}

/** Why the host could not be asked at all: gone, not answering, the session over. */
export function toUnavailableError(error: unknown, method: string): FileSystemProviderError {
    let message: string;
    if (error instanceof SessionClosedError) {
        message = 'The collaboration session is over; the host\'s files are no longer available.';
    } else if (error instanceof RequestTimeoutError) {
        message = 'The host did not answer in time (it may be busy or disconnected); try again.';
    } else if (error instanceof RequestCancelledError) {
        message = 'The request to the host was cancelled.';
    } else if (error instanceof RemoteError || error instanceof SessionError) {
        message = `The host could not answer "${method}": ${error.message}`;
    } else {
        message = `The host could not answer "${method}": ${error instanceof Error ? error.message : String(error)}`;
    }
    return createFileSystemProviderError(message, FileSystemProviderErrorCode.Unavailable);
}

export interface CallOptions {
    /** Asks again once if the host does not answer in time (only for requests that change nothing). */
    readonly retryOnTimeout?: boolean;
    readonly signal?: AbortSignal;
}

/**
 * Sends workspace requests to the host and turns every failure into a
 * FileSystemProviderError: a refusal keeps the host's code and sentence, a
 * transport problem becomes Unavailable with what to do.
 */
export class HostRequests {
    constructor(private readonly session: CollaborationSession, private readonly timeoutMs?: number) { }

    async call<P, T>(definition: Request<P, WireResult<T>>, params: P, options?: CallOptions): Promise<T> {
        const result = await this.send(definition, params, options);
        if (!result.ok) {
            throw toProviderError(result.error);
        }
        return result.value;
    }

    async callDone<P>(definition: Request<P, WireDone>, params: P, options?: CallOptions): Promise<void> {
        const result = await this.send(definition, params, options);
        if (!result.ok) {
            throw toProviderError(result.error);
        }
    }

    async send<P, R>(definition: Request<P, R>, params: P, options: CallOptions = {}): Promise<R> {
        const requestOptions = { ...(this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {}), ...(options.signal ? { signal: options.signal } : {}) };
        try {
            return await this.session.sendRequest(definition, params, { type: 'host' }, requestOptions);
        } catch (error) {
            if (options.retryOnTimeout && error instanceof RequestTimeoutError) {
                try {
                    return await this.session.sendRequest(definition, params, { type: 'host' }, requestOptions);
                } catch (again) {
                    throw toUnavailableError(again, definition.method);
                }
            }
            throw toUnavailableError(error, definition.method);
        }
    }
}
