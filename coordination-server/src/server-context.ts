import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { ResolvedOptions } from './config/server-options';
import type { ServerMetrics } from './metrics/server-metrics';
import type { RoomRegistry } from './registry/room-registry';
import type { TokenService } from './auth/token-service';
import type { MethodCatalog } from './socket/method-catalog';

/** A socket admitted to a room (it connected with a valid token). */
export interface MemberSocketData {
    readonly kind: 'member';
    readonly roomId: string;
    readonly peerId: string;
    readonly hostPeerId: string;
}

/** A socket waiting for the host to answer its join request; it may not send anything. */
export interface PendingSocketData {
    readonly kind: 'pending';
    readonly roomId: string;
    readonly requestId: string;
    readonly hostPeerId: string;
    readonly displayName: string;
    readonly requestedAt: number;
}

export type SocketData = MemberSocketData | PendingSocketData;

/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyEvents = Record<string, (...args: any[]) => void>;
export type EnsembleServer = Server<AnyEvents, AnyEvents, AnyEvents, SocketData>;
export type EnsembleSocket = Socket<AnyEvents, AnyEvents, AnyEvents, SocketData>;

/** Everything the request handlers, the relay and the sweeper share. */
export interface ServerContext {
    readonly io: EnsembleServer;
    readonly registry: RoomRegistry;
    readonly tokens: TokenService;
    readonly options: ResolvedOptions;
    readonly metrics: ServerMetrics;
    readonly logger: Logger;
    readonly catalog: MethodCatalog;
    /** Identifies this process among those sharing a registry. */
    readonly serverId: string;
    readonly now: () => number;
    readonly lifecycle: { shuttingDown: boolean };
}
