import type { Logger } from 'pino';

/** Limits that protect the server and the other rooms from one misbehaving client. All configurable. */
export interface ServerLimits {
    /** Largest envelope accepted (bytes on the wire); larger ones get an error reply. Default 1 MiB. */
    readonly maxMessageBytes: number;
    /** Per socket: sustained messages per second, and the burst allowed above it. */
    readonly messagesPerSecond: number;
    readonly messageBurst: number;
    /** Per socket: sustained bytes per second, and the burst allowed above it. */
    readonly bytesPerSecond: number;
    readonly byteBurst: number;
    /** Rule violations (invalid, oversized, rate-limited, ...) within `violationWindowMs` before the socket is disconnected. */
    readonly maxViolations: number;
    readonly violationWindowMs: number;
    readonly maxRooms: number;
    /** Members of a room, the host included. */
    readonly maxPeersPerRoom: number;
    readonly maxPendingJoinRequests: number;
    readonly maxTopicsPerSocket: number;
    readonly maxDeclaredMethodsPerRoom: number;
    /** Largest schema (JSON characters) a peer may declare for one message. */
    readonly maxSchemaBytes: number;
}

export interface CoordinationServerOptions {
    /** TCP port; 0 picks a free one. Default 8100. */
    readonly port?: number;
    /** Interface to listen on. Default 127.0.0.1 (use 0.0.0.0 to accept other machines). */
    readonly host?: string;
    /** Secret for signing tokens (at least 32 characters). Default: random at start (shared through Redis when clustered). */
    readonly jwtSecret?: string;
    /** Lifetime of the tokens the server issues, in seconds. Default 24 h. */
    readonly tokenTtlSeconds?: number;
    /** With it, several processes share rooms through Redis. Without it, one process keeps rooms in memory. */
    readonly redisUrl?: string;
    /** Prefix of every Redis key, so several deployments can share one Redis. Default `ensemble:`. */
    readonly redisKeyPrefix?: string;
    /** If non-empty, creating a room needs `Authorization: Bearer <one of these>`. */
    readonly accessTokens?: readonly string[];
    /** If non-empty, only these client addresses may create rooms (exact IPs, e.g. `127.0.0.1`, `::1`). */
    readonly allowedCreatorAddresses?: readonly string[];
    /** Origins allowed for browser clients (CORS). Default `*`: tokens, not cookies, protect the API. */
    readonly corsOrigins?: readonly string[] | '*';
    /** How long a room waits for its host to come back (ms). Default 60 000. */
    readonly hostGracePeriodMs?: number;
    /** How long a status lives after its last renewal (ms). Default 30 000. */
    readonly statusTtlMs?: number;
    /** How long a join request waits for the host's answer (ms). Default 5 min. */
    readonly joinRequestTimeoutMs?: number;
    /** How often expiries (statuses, host grace, join requests) are checked (ms). Default 1 000. */
    readonly sweepIntervalMs?: number;
    /** socket.io connection state recovery window (ms); 0 turns recovery off. Default 2 min. */
    readonly connectionRecoveryMs?: number;
    /**
     * Packets kept for connection state recovery, all rooms together (single process: a ring buffer; with Redis:
     * the stream's MAXLEN, never below the adapter's default of 10 000). A client that missed more is not recovered
     * and resyncs. Default 10 000.
     */
    readonly connectionRecoveryMaxPackets?: number;
    /** Bytes of packets kept for connection state recovery (single process only). Default 8 MiB. */
    readonly connectionRecoveryMaxBytes?: number;
    readonly limits?: Partial<ServerLimits>;
    /** pino level: fatal, error, warn, info, debug, trace, silent. Default info. */
    readonly logLevel?: string;
    /** Use this logger instead of creating one (embedding in the Theia backend). */
    readonly logger?: Logger;
}

export const DEFAULT_PORT = 8100;

export const DEFAULT_LIMITS: ServerLimits = {
    maxMessageBytes: 1024 * 1024,
    messagesPerSecond: 500,
    messageBurst: 1000,
    bytesPerSecond: 8 * 1024 * 1024,
    byteBurst: 16 * 1024 * 1024,
    maxViolations: 100,
    violationWindowMs: 10_000,
    maxRooms: 1000,
    maxPeersPerRoom: 50,
    maxPendingJoinRequests: 20,
    maxTopicsPerSocket: 1000,
    maxDeclaredMethodsPerRoom: 1000,
    maxSchemaBytes: 64 * 1024
};

export type ResolvedOptions = Required<Omit<CoordinationServerOptions, 'jwtSecret' | 'redisUrl' | 'logger' | 'limits'>>
    & Pick<CoordinationServerOptions, 'jwtSecret' | 'redisUrl' | 'logger'>
    & { readonly limits: ServerLimits };

export function resolveOptions(options: CoordinationServerOptions): ResolvedOptions {
    return {
        port: options.port ?? DEFAULT_PORT,
        host: options.host ?? '127.0.0.1',
        jwtSecret: options.jwtSecret,
        tokenTtlSeconds: options.tokenTtlSeconds ?? 24 * 60 * 60,
        redisUrl: options.redisUrl,
        redisKeyPrefix: options.redisKeyPrefix ?? 'ensemble:',
        accessTokens: options.accessTokens ?? [],
        allowedCreatorAddresses: options.allowedCreatorAddresses ?? [],
        corsOrigins: options.corsOrigins ?? '*',
        hostGracePeriodMs: options.hostGracePeriodMs ?? 60_000,
        statusTtlMs: options.statusTtlMs ?? 30_000,
        joinRequestTimeoutMs: options.joinRequestTimeoutMs ?? 5 * 60_000,
        sweepIntervalMs: options.sweepIntervalMs ?? 1_000,
        connectionRecoveryMs: options.connectionRecoveryMs ?? 2 * 60_000,
        connectionRecoveryMaxPackets: options.connectionRecoveryMaxPackets ?? 10_000,
        connectionRecoveryMaxBytes: options.connectionRecoveryMaxBytes ?? 8 * 1024 * 1024,
        limits: { ...DEFAULT_LIMITS, ...options.limits },
        logLevel: options.logLevel ?? 'info',
        logger: options.logger
    };
}
