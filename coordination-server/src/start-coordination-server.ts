import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { Server } from 'socket.io';
import { RoomClosed } from '@ensemble/collaboration-common';
import { boundedRecoveryAdapter } from './adapter/bounded-recovery-adapter';
import { resolveJwtSecret } from './auth/jwt-secret';
import { TokenService } from './auth/token-service';
import { resolveOptions, type CoordinationServerOptions } from './config/server-options';
import { createHttpHandler } from './http/http-handler';
import { ServerMetrics } from './metrics/server-metrics';
import { MemoryRoomRegistry } from './registry/memory-room-registry';
import { RedisRoomRegistry } from './registry/redis-room-registry';
import type { RoomRegistry } from './registry/room-registry';
import { ExpirySweeper } from './rooms/expiry-sweeper';
import { notifyRoom } from './rooms/notify';
import { handleConnection } from './socket/connection-handler';
import { EnvelopeRouter } from './socket/envelope-router';
import { handshakeMiddleware } from './socket/handshake-middleware';
import { MethodCatalog } from './socket/method-catalog';
import type { EnsembleServer, ServerContext } from './server-context';

/** `maxLen` default of @socket.io/redis-streams-adapter. */
const REDIS_STREAM_MIN_LENGTH = 10_000;

export interface RunningCoordinationServer {
    /** Base URL clients use, e.g. `http://127.0.0.1:8100`. */
    readonly url: string;
    readonly port: number;
    readonly host: string;
    /** Stops accepting connections, disconnects everyone and releases Redis. Idempotent. */
    close(): Promise<void>;
}

/** Starts a coordination server in this process (the CLI, the Theia backend and the tests all use this). */
export async function startCoordinationServer(userOptions: CoordinationServerOptions = {}): Promise<RunningCoordinationServer> {
    const options = resolveOptions(userOptions);
    const logger = options.logger ?? pino({ level: options.logLevel, base: { service: 'ensemble-coordination-server' } });
    const redis = options.redisUrl ? await connectRedis(options.redisUrl, logger) : undefined;
    try {
        const secret = await resolveJwtSecret(options.jwtSecret, redis, options.redisKeyPrefix, logger);
        const tokens = await TokenService.create(secret, options.tokenTtlSeconds);
        const registry: RoomRegistry = redis ? new RedisRoomRegistry(redis, options.redisKeyPrefix) : new MemoryRoomRegistry();

        const recovery = options.connectionRecoveryMs > 0;
        let handleHttp: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => response.writeHead(503).end();
        const httpServer = createServer((request, response) => handleHttp(request, response));
        const io: EnsembleServer = new Server(httpServer, {
            transports: ['websocket'],
            serveClient: false,
            // Above our own limit (which answers with an error), so only absurd frames are cut by engine.io itself.
            maxHttpBufferSize: options.limits.maxMessageBytes * 2 + 4096,
            ...(recovery ? { connectionStateRecovery: { maxDisconnectionDuration: options.connectionRecoveryMs, skipMiddlewares: true } } : {}),
            cors: { origin: options.corsOrigins === '*' ? '*' : [...options.corsOrigins] },
            ...(redis
                ? {
                    adapter: createAdapter(redis, {
                        streamName: `${options.redisKeyPrefix}socket.io`, sessionKeyPrefix: `${options.redisKeyPrefix}sio:session:`,
                        // The stream also carries the traffic between processes: never shorter than the adapter's default.
                        maxLen: Math.max(REDIS_STREAM_MIN_LENGTH, options.connectionRecoveryMaxPackets)
                    })
                }
                : recovery
                    ? {
                        // socket.io's own in-memory adapter keeps every packet for the whole window; this one is bounded.
                        adapter: boundedRecoveryAdapter({
                            maxDisconnectionMs: options.connectionRecoveryMs,
                            maxPackets: options.connectionRecoveryMaxPackets,
                            maxBytes: options.connectionRecoveryMaxBytes
                        })
                    }
                    : {})
        });
        const metrics = new ServerMetrics(() => io.engine.clientsCount, () => registry.countRooms());
        const context: ServerContext = {
            io, registry, tokens, options, metrics, logger,
            catalog: new MethodCatalog(registry, options.limits),
            serverId: randomBytes(8).toString('hex'),
            now: () => Date.now(),
            lifecycle: { shuttingDown: false }
        };
        handleHttp = createHttpHandler(context);
        const router = new EnvelopeRouter(context);
        io.use(handshakeMiddleware(context));
        io.on('connection', socket => handleConnection(context, router, socket));

        await listen(httpServer, options.port, options.host);
        const port = (httpServer.address() as AddressInfo).port;
        const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
        const sweeper = new ExpirySweeper(context);
        sweeper.start();
        logger.info({ url, redis: redis !== undefined, serverId: context.serverId }, 'coordination server listening');

        let closing: Promise<void> | undefined;
        const close = (): Promise<void> => closing ??= (async () => {
            context.lifecycle.shuttingDown = true;
            sweeper.stop();
            if (!registry.shared) {
                // Rooms live in this process only: tell everyone why they end.
                for (const roomId of [...io.sockets.adapter.rooms.keys()].filter(name => name.startsWith('r:'))) {
                    notifyRoom(io, roomId.slice(2), RoomClosed, { reason: 'server-shutdown', message: 'The coordination server is shutting down.' });
                }
            }
            await new Promise<void>(resolve => io.close(() => resolve()));
            await registry.close();
            if (redis) {
                await redis.quit().catch(() => redis.disconnect());
            }
            logger.info('coordination server stopped');
        })();
        return { url, port, host: options.host, close };
    } catch (error) {
        redis?.disconnect();
        throw error;
    }
}

async function connectRedis(url: string, logger: Logger): Promise<Redis> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    redis.on('error', error => logger.warn({ err: error }, 'Redis connection problem'));
    try {
        await redis.connect();
        await redis.ping();
    } catch (error) {
        redis.disconnect();
        throw new Error(`Cannot connect to Redis at ${url} (${error instanceof Error ? error.message : String(error)}); check REDIS_URL or unset it to run as a single process.`);
    }
    return redis;
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE'
            ? new Error(`Port ${port} on ${host} is already in use; choose another with --port (0 picks a free one).`)
            : error));
        server.listen(port, host, () => resolve());
    });
}
