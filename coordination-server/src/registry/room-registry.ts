import type { JoinRequestInfo, JsonSchema, PeerRole, PeerStatus } from '@ensemble/collaboration-common';

export interface RoomRecord {
    readonly id: string;
    readonly inviteCode: string;
    readonly hostPeerId: string;
    readonly createdAt: number;
}

export interface PeerRecord {
    readonly id: string;
    readonly name: string;
    readonly role: PeerRole;
    readonly joinedAt: number;
}

/** Which server process and socket a peer is connected through right now. */
export interface PeerConnection {
    readonly serverId: string;
    readonly socketId: string;
}

export type JoinRequestRecord = JoinRequestInfo;

export interface StatusRecord {
    readonly peerId: string;
    readonly status: PeerStatus;
    readonly expiresAt: number;
}

/** A message type declared in a room; `canonical` is its canonical JSON, to compare declarations. */
export interface MethodRecord {
    readonly kind: 'broadcast' | 'request' | 'notification';
    readonly method: string;
    readonly params: JsonSchema | boolean;
    readonly result?: JsonSchema | boolean;
}

export interface SweepOptions {
    readonly now: number;
    readonly hostGracePeriodMs: number;
    readonly joinRequestTimeoutMs: number;
}

/**
 * What a sweep found. Everything listed was removed by this very call, so that
 * when several processes sweep, exactly one announces each expiry.
 */
export interface SweepFindings {
    readonly expiredStatuses: ReadonlyArray<{ readonly roomId: string; readonly peerId: string }>;
    /** Connections through server processes that stopped heart-beating (crashed or killed). */
    readonly staleConnections: ReadonlyArray<{ readonly roomId: string; readonly peerId: string; readonly isHost: boolean }>;
    readonly expiredJoinRequests: ReadonlyArray<{ readonly roomId: string; readonly hostPeerId: string; readonly request: JoinRequestRecord }>;
    /** Rooms whose host has been away longer than the grace period; not removed yet (use `deleteRoom`). */
    readonly roomsPastGrace: readonly RoomRecord[];
}

export type CreateRoomOutcome = 'created' | 'server-full';
export type AddOutcome = 'added' | 'full' | 'no-room';
export type DeclareOutcome = { readonly ok: true } | { readonly ok: false; readonly problem: string };

/**
 * Where rooms live: the in-memory registry for one process (default), or the
 * Redis registry shared by several processes. The server never stores
 * document contents here, only who is in which room.
 */
export interface RoomRegistry {
    /** True when several server processes share this registry. */
    readonly shared: boolean;

    createRoom(room: RoomRecord, host: PeerRecord, maxRooms: number): Promise<CreateRoomOutcome>;
    getRoom(roomId: string): Promise<RoomRecord | undefined>;
    findRoomByInvite(inviteCode: string): Promise<RoomRecord | undefined>;
    /** Returns true if this call removed the room (only that caller announces the end). */
    deleteRoom(roomId: string): Promise<boolean>;
    countRooms(): Promise<number>;

    addPeer(roomId: string, peer: PeerRecord, maxPeers: number): Promise<AddOutcome>;
    getPeer(roomId: string, peerId: string): Promise<PeerRecord | undefined>;
    /** Returns true if this call removed the peer. */
    removePeer(roomId: string, peerId: string): Promise<boolean>;
    setPeerRole(roomId: string, peerId: string, role: PeerRole): Promise<PeerRecord | undefined>;

    setConnection(roomId: string, peerId: string, connection: PeerConnection): Promise<void>;
    /** Clears the peer's connection if it still is `socketId`; returns true if it did (the peer is now offline). */
    clearConnection(roomId: string, peerId: string, socketId: string, now: number): Promise<boolean>;
    listOnlinePeers(roomId: string): Promise<PeerRecord[]>;
    isOnline(roomId: string, peerId: string): Promise<boolean>;

    addJoinRequest(roomId: string, request: JoinRequestRecord, maxPending: number): Promise<AddOutcome>;
    /** Removes and returns the request; undefined if it is gone (answered, withdrawn, expired). */
    takeJoinRequest(roomId: string, requestId: string): Promise<JoinRequestRecord | undefined>;
    listJoinRequests(roomId: string): Promise<JoinRequestRecord[]>;

    putStatus(roomId: string, status: StatusRecord): Promise<boolean>;
    listStatuses(roomId: string): Promise<StatusRecord[]>;

    declareMethods(roomId: string, methods: readonly MethodRecord[], maxMethods: number): Promise<DeclareOutcome>;
    getMethod(roomId: string, method: string): Promise<MethodRecord | undefined>;

    /** Tells the other processes this one is alive (no-op in memory). */
    heartbeat(serverId: string, ttlMs: number): Promise<void>;
    sweep(options: SweepOptions): Promise<SweepFindings>;
    close(): Promise<void>;
}
