import { CREATE_ROOM_PATH, CreateRoomResponseSchema, type CreateRoomResponse, type HttpError } from '../protocol/http-api';
import { sharedSchemaCompiler } from '../protocol/schema-validator';
import { SessionError } from './session-errors';

export interface CreateRoomOptions {
    /** Base URL of the coordination server, e.g. `https://collab.example.org` (a trailing slash is fine). */
    readonly serverUrl: string;
    readonly hostName: string;
    /** The server's access token, when it restricts who may create rooms. */
    readonly accessToken?: string;
    readonly signal?: AbortSignal;
}

/** Joins a base URL and a path without ever producing `//` (a known pitfall with self-hosted servers). */
export function joinUrl(base: string, path: string): string {
    return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}

/** Creates a room over HTTP; the host then connects a session with the returned `hostToken`. */
export async function createRoom(options: CreateRoomOptions): Promise<CreateRoomResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.accessToken) {
        headers.authorization = `Bearer ${options.accessToken}`;
    }
    let response: Response;
    try {
        response = await fetch(joinUrl(options.serverUrl, CREATE_ROOM_PATH), {
            method: 'POST', headers, body: JSON.stringify({ hostName: options.hostName }), signal: options.signal
        });
    } catch (error) {
        throw new SessionError('server-unreachable',
            `Cannot reach the coordination server at ${options.serverUrl} (${error instanceof Error ? error.message : String(error)}); check the URL and that the server runs.`);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
        const error = (body as Partial<HttpError> | undefined)?.error;
        throw new SessionError(error?.code ?? `http-${response.status}`,
            error?.message ?? `The coordination server answered ${response.status} ${response.statusText} when creating a room.`);
    }
    const problem = sharedSchemaCompiler().compile(CreateRoomResponseSchema, 'response')(body);
    if (problem !== undefined) {
        throw new SessionError('invalid-response', `The coordination server sent an unexpected answer (${problem}); is it an Ensemble server of a matching version?`);
    }
    return body as CreateRoomResponse;
}
