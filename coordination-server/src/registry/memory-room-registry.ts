import { canonicalJson, type PeerRole } from '@ensemble/collaboration-common';
import type {
    AddOutcome, CreateRoomOutcome, DeclareOutcome, JoinRequestRecord, MethodRecord, PeerConnection, PeerRecord, RoomRecord,
    RoomRegistry, StatusRecord, SweepFindings, SweepOptions
} from './room-registry';

interface RoomState {
    readonly room: RoomRecord;
    readonly peers: Map<string, PeerRecord>;
    readonly connections: Map<string, PeerConnection>;
    /** When each offline peer went offline (the host's entry drives the grace period). */
    readonly offlineSince: Map<string, number>;
    readonly joinRequests: Map<string, JoinRequestRecord>;
    readonly statuses: Map<string, StatusRecord>;
    readonly methods: Map<string, { readonly record: MethodRecord; readonly canonical: string }>;
}

/** The default registry: one process, rooms in memory, lost on restart. */
export class MemoryRoomRegistry implements RoomRegistry {
    readonly shared = false;
    private readonly rooms = new Map<string, RoomState>();
    private readonly invites = new Map<string, string>();

    async createRoom(room: RoomRecord, host: PeerRecord, maxRooms: number): Promise<CreateRoomOutcome> {
        if (this.rooms.size >= maxRooms) {
            return 'server-full';
        }
        this.rooms.set(room.id, {
            room,
            peers: new Map([[host.id, host]]),
            connections: new Map(),
            // A room whose host never connects ends after the grace period, like one whose host left.
            offlineSince: new Map([[host.id, room.createdAt]]),
            joinRequests: new Map(),
            statuses: new Map(),
            methods: new Map()
        });
        this.invites.set(room.inviteCode, room.id);
        return 'created';
    }

    async getRoom(roomId: string): Promise<RoomRecord | undefined> {
        return this.rooms.get(roomId)?.room;
    }

    async findRoomByInvite(inviteCode: string): Promise<RoomRecord | undefined> {
        const roomId = this.invites.get(inviteCode);
        return roomId === undefined ? undefined : this.rooms.get(roomId)?.room;
    }

    async deleteRoom(roomId: string): Promise<boolean> {
        const state = this.rooms.get(roomId);
        if (!state) {
            return false;
        }
        this.rooms.delete(roomId);
        this.invites.delete(state.room.inviteCode);
        return true;
    }

    async countRooms(): Promise<number> {
        return this.rooms.size;
    }

    async addPeer(roomId: string, peer: PeerRecord, maxPeers: number): Promise<AddOutcome> {
        const state = this.rooms.get(roomId);
        if (!state) {
            return 'no-room';
        }
        if (state.peers.size >= maxPeers) {
            return 'full';
        }
        state.peers.set(peer.id, peer);
        return 'added';
    }

    async getPeer(roomId: string, peerId: string): Promise<PeerRecord | undefined> {
        return this.rooms.get(roomId)?.peers.get(peerId);
    }

    async removePeer(roomId: string, peerId: string): Promise<boolean> {
        const state = this.rooms.get(roomId);
        if (!state?.peers.delete(peerId)) {
            return false;
        }
        state.connections.delete(peerId);
        state.offlineSince.delete(peerId);
        state.statuses.delete(peerId);
        return true;
    }

    async setPeerRole(roomId: string, peerId: string, role: PeerRole): Promise<PeerRecord | undefined> {
        const state = this.rooms.get(roomId);
        const peer = state?.peers.get(peerId);
        if (!state || !peer) {
            return undefined;
        }
        const updated = { ...peer, role };
        state.peers.set(peerId, updated);
        return updated;
    }

    async setConnection(roomId: string, peerId: string, connection: PeerConnection): Promise<void> {
        const state = this.rooms.get(roomId);
        if (state?.peers.has(peerId)) {
            state.connections.set(peerId, connection);
            state.offlineSince.delete(peerId);
        }
    }

    async clearConnection(roomId: string, peerId: string, socketId: string, now: number): Promise<boolean> {
        const state = this.rooms.get(roomId);
        if (!state || state.connections.get(peerId)?.socketId !== socketId) {
            return false;
        }
        state.connections.delete(peerId);
        state.offlineSince.set(peerId, now);
        return true;
    }

    async listOnlinePeers(roomId: string): Promise<PeerRecord[]> {
        const state = this.rooms.get(roomId);
        return state ? [...state.peers.values()].filter(peer => state.connections.has(peer.id)) : [];
    }

    async isOnline(roomId: string, peerId: string): Promise<boolean> {
        return this.rooms.get(roomId)?.connections.has(peerId) ?? false;
    }

    async addJoinRequest(roomId: string, request: JoinRequestRecord, maxPending: number): Promise<AddOutcome> {
        const state = this.rooms.get(roomId);
        if (!state) {
            return 'no-room';
        }
        if (state.joinRequests.size >= maxPending) {
            return 'full';
        }
        state.joinRequests.set(request.requestId, request);
        return 'added';
    }

    async takeJoinRequest(roomId: string, requestId: string): Promise<JoinRequestRecord | undefined> {
        const state = this.rooms.get(roomId);
        const request = state?.joinRequests.get(requestId);
        state?.joinRequests.delete(requestId);
        return request;
    }

    async listJoinRequests(roomId: string): Promise<JoinRequestRecord[]> {
        return [...this.rooms.get(roomId)?.joinRequests.values() ?? []];
    }

    async putStatus(roomId: string, status: StatusRecord): Promise<boolean> {
        const state = this.rooms.get(roomId);
        if (!state?.peers.has(status.peerId)) {
            return false;
        }
        state.statuses.set(status.peerId, status);
        return true;
    }

    async listStatuses(roomId: string): Promise<StatusRecord[]> {
        return [...this.rooms.get(roomId)?.statuses.values() ?? []];
    }

    async declareMethods(roomId: string, methods: readonly MethodRecord[], maxMethods: number): Promise<DeclareOutcome> {
        const state = this.rooms.get(roomId);
        if (!state) {
            return { ok: false, problem: 'the room has ended' };
        }
        const fresh = methods.filter(method => !state.methods.has(method.method));
        for (const method of methods) {
            const existing = state.methods.get(method.method);
            if (existing && existing.canonical !== canonicalJson(method)) {
                return { ok: false, problem: conflictMessage(method.method) };
            }
        }
        if (state.methods.size + fresh.length > maxMethods) {
            return { ok: false, problem: `the room already declares ${state.methods.size} message types (limit ${maxMethods})` };
        }
        fresh.forEach(method => state.methods.set(method.method, { record: method, canonical: canonicalJson(method) }));
        return { ok: true };
    }

    async getMethod(roomId: string, method: string): Promise<MethodRecord | undefined> {
        return this.rooms.get(roomId)?.methods.get(method)?.record;
    }

    async heartbeat(): Promise<void> {
        // One process: nobody to tell.
    }

    async sweep(options: SweepOptions): Promise<SweepFindings> {
        const findings: { -readonly [K in keyof SweepFindings]: Array<SweepFindings[K][number]> } = {
            expiredStatuses: [], staleConnections: [], expiredJoinRequests: [], roomsPastGrace: []
        };
        for (const [roomId, state] of this.rooms) {
            for (const [peerId, status] of state.statuses) {
                if (status.expiresAt <= options.now) {
                    state.statuses.delete(peerId);
                    findings.expiredStatuses.push({ roomId, peerId });
                }
            }
            for (const [requestId, request] of state.joinRequests) {
                if (request.requestedAt + options.joinRequestTimeoutMs <= options.now) {
                    state.joinRequests.delete(requestId);
                    findings.expiredJoinRequests.push({ roomId, hostPeerId: state.room.hostPeerId, request });
                }
            }
            const hostOfflineSince = state.offlineSince.get(state.room.hostPeerId);
            if (!state.connections.has(state.room.hostPeerId) && hostOfflineSince !== undefined
                && hostOfflineSince + options.hostGracePeriodMs <= options.now) {
                findings.roomsPastGrace.push(state.room);
            }
        }
        return findings;
    }

    async close(): Promise<void> {
        this.rooms.clear();
        this.invites.clear();
    }
}

export function conflictMessage(method: string): string {
    return `"${method}" is already declared in this room with a different schema: the peers run different versions of the extension that defines it`;
}
