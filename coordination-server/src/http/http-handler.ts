import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import {
    CREATE_ROOM_PATH, CreateRoomRequestSchema, PROTOCOL_VERSION, sharedSchemaCompiler, type CreateRoomResponse
} from '@ensemble/collaboration-common';
import { newInviteCode, newPeerId, newRoomId } from '../rooms/ids';
import { INVITE_PAGE_PATH, sendInvitePage } from './invite-page';
import type { ServerContext } from '../server-context';

const MAX_BODY_BYTES = 16 * 1024;

/** HTTP endpoints besides socket.io: create a room, health, metrics. */
export function createHttpHandler(context: ServerContext): (request: IncomingMessage, response: ServerResponse) => void {
    const validateCreateRoom = sharedSchemaCompiler().compile(CreateRoomRequestSchema, 'body');
    const startedAt = Date.now();

    return (request, response) => {
        setCorsHeaders(context, request, response);
        const path = (request.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';
        const route = `${request.method} ${path}`;
        const handled = (async () => {
            if (request.method === 'OPTIONS') {
                response.writeHead(204).end();
            } else if (route === `POST ${CREATE_ROOM_PATH}`) {
                await createRoom(context, validateCreateRoom, request, response);
            } else if (route === 'GET /health') {
                sendJson(response, context.lifecycle.shuttingDown ? 503 : 200, {
                    status: context.lifecycle.shuttingDown ? 'shutting-down' : 'ok',
                    protocolVersion: PROTOCOL_VERSION,
                    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
                    sockets: context.io.engine.clientsCount
                });
            } else if (request.method === 'GET' && INVITE_PAGE_PATH.test(path)) {
                sendInvitePage(response, INVITE_PAGE_PATH.exec(path)![1]);
            } else if (route === 'GET /metrics') {
                const body = await context.metrics.registry.metrics();
                response.writeHead(200, { 'content-type': context.metrics.registry.contentType }).end(body);
            } else {
                sendError(response, 404, 'not-found', `No endpoint ${route}; try POST ${CREATE_ROOM_PATH}, GET /health or GET /metrics.`);
            }
        })();
        handled.catch(error => {
            context.logger.error({ err: error, route }, 'HTTP request failed');
            if (!response.headersSent) {
                sendError(response, 500, 'internal-error', 'The server failed to handle the request; try again.');
            } else {
                response.end();
            }
        });
    };
}

async function createRoom(context: ServerContext, validate: (value: unknown) => string | undefined, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { options, registry, tokens, logger } = context;
    if (context.lifecycle.shuttingDown) {
        return sendError(response, 503, 'server-shutting-down', 'The server is shutting down; try again in a moment.');
    }
    const address = normalizeAddress(request.socket.remoteAddress);
    if (options.allowedCreatorAddresses.length > 0 && !options.allowedCreatorAddresses.includes(address)) {
        return sendError(response, 403, 'forbidden', `This server does not let ${address} create rooms; ask its administrator.`);
    }
    if (options.accessTokens.length > 0 && !hasAccessToken(request.headers.authorization, options.accessTokens)) {
        return sendError(response, 401, 'access-token-required',
            'This server needs an access token to create rooms: send "Authorization: Bearer <token>" (configure it in your IDE).');
    }
    const body = await readJsonBody(request);
    if (!body.ok) {
        return sendError(response, body.status, 'invalid-body', body.message);
    }
    const problem = validate(body.value);
    if (problem !== undefined) {
        return sendError(response, 400, 'invalid-body', `The request is invalid: ${problem}.`);
    }
    const { hostName } = body.value as { hostName: string };
    const now = context.now();
    const room = { id: newRoomId(), inviteCode: newInviteCode(), hostPeerId: newPeerId(), createdAt: now };
    const host = { id: room.hostPeerId, name: hostName, role: 'host' as const, joinedAt: now };
    if (await registry.createRoom(room, host, options.limits.maxRooms) === 'server-full') {
        return sendError(response, 503, 'server-full', `The server already hosts ${options.limits.maxRooms} rooms; try again later.`);
    }
    const hostToken = await tokens.sign({ roomId: room.id, peerId: host.id, role: 'host' });
    logger.info({ roomId: room.id }, 'room created');
    const answer: CreateRoomResponse = { roomId: room.id, inviteCode: room.inviteCode, hostPeerId: host.id, hostToken, protocolVersion: PROTOCOL_VERSION };
    sendJson(response, 201, answer);
}

function hasAccessToken(header: string | undefined, accepted: readonly string[]): boolean {
    const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
    if (!match) {
        return false;
    }
    const offered = Buffer.from(match[1].trim());
    return accepted.some(token => {
        const expected = Buffer.from(token);
        return expected.length === offered.length && timingSafeEqual(expected, offered);
    });
}

/** `::ffff:127.0.0.1` (IPv4 seen through an IPv6 socket) compares as `127.0.0.1`. */
function normalizeAddress(address: string | undefined): string {
    return (address ?? '').replace(/^::ffff:/, '');
}

type BodyResult = { ok: true; value: unknown } | { ok: false; status: number; message: string };

function readJsonBody(request: IncomingMessage): Promise<BodyResult> {
    return new Promise(resolve => {
        const chunks: Buffer[] = [];
        let size = 0;
        let tooLarge = false;
        request.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
                tooLarge = true;
            } else {
                chunks.push(chunk);
            }
        });
        request.on('error', () => resolve({ ok: false, status: 400, message: 'The request body could not be read.' }));
        request.on('end', () => {
            if (tooLarge) {
                return resolve({ ok: false, status: 413, message: `The request body is larger than ${MAX_BODY_BYTES} bytes.` });
            }
            try {
                resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
            } catch {
                resolve({ ok: false, status: 400, message: 'The request body is not valid JSON.' });
            }
        });
    });
}

function setCorsHeaders(context: ServerContext, request: IncomingMessage, response: ServerResponse): void {
    const origins = context.options.corsOrigins;
    const origin = request.headers.origin;
    if (origins === '*') {
        response.setHeader('access-control-allow-origin', '*');
    } else if (origin && origins.includes(origin)) {
        response.setHeader('access-control-allow-origin', origin);
        response.setHeader('vary', 'origin');
    }
    response.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    response.setHeader('access-control-allow-headers', 'content-type, authorization');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
    sendJson(response, status, { error: { code, message } });
}
