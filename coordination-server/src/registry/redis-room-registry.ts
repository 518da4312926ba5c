import type { Redis } from 'ioredis';
import { canonicalJson, type PeerRole } from '@ensemble/collaboration-common';
import { conflictMessage } from './memory-room-registry';
import type {
    AddOutcome, CreateRoomOutcome, DeclareOutcome, JoinRequestRecord, MethodRecord, PeerConnection, PeerRecord, RoomRecord,
    RoomRegistry, StatusRecord, SweepFindings, SweepOptions
} from './room-registry';

/*
 * Layout: one hash per room (`<prefix>room:<id>`) whose fields are
 *   meta            the RoomRecord
 *   peer:<id>       a PeerRecord          conn:<id>   its PeerConnection   off:<id>  offline since (ms)
 *   join:<id>       a JoinRequestRecord   status:<id> a StatusRecord       method:<name>  canonical MethodRecord
 * plus the set `<prefix>rooms`, `<prefix>invite:<code>` -> room id and one
 * heartbeat key per live server process. Deleting the hash ends the room;
 * every write goes through a script that first checks `meta`, so a late write
 * never resurrects a deleted room as a stray hash.
 */

const CREATE_ROOM = `
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'meta', ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7])
redis.call('SET', KEYS[3], ARGV[1])
return 1`;

/** HSET field value ... only if the room exists. */
const SET_IF_ROOM = `
if redis.call('HEXISTS', KEYS[1], 'meta') == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1`;

/** Adds ARGV[2]=ARGV[3] unless the room is gone (-1) or already has ARGV[4] fields starting with ARGV[1] (0). */
const ADD_CAPPED = `
if redis.call('HEXISTS', KEYS[1], 'meta') == 0 then return -1 end
local prefix = ARGV[1]
local count = 0
for _, key in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(key, 1, #prefix) == prefix then count = count + 1 end
end
if count >= tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1`;

/** Clears conn:<peer> if it still names socket ARGV[2]; records when the peer went offline. */
const CLEAR_CONNECTION = `
local current = redis.call('HGET', KEYS[1], 'conn:' .. ARGV[1])
if not current then return 0 end
if cjson.decode(current).socketId ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], 'conn:' .. ARGV[1])
redis.call('HSET', KEYS[1], 'off:' .. ARGV[1], ARGV[3])
return 1`;

/** Declares methods (pairs of field, canonical record); returns '' or the conflicting field, or '#full'. */
const DECLARE = `
if redis.call('HEXISTS', KEYS[1], 'meta') == 0 then return '#gone' end
local fresh = 0
for i = 1, #ARGV - 1, 2 do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  if current and current ~= ARGV[i + 1] then return ARGV[i] end
  if not current then fresh = fresh + 1 end
end
local count = 0
for _, key in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(key, 1, 7) == 'method:' then count = count + 1 end
end
if count + fresh > tonumber(ARGV[#ARGV]) then return '#full' end
for i = 1, #ARGV - 1, 2 do redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) end
return ''`;

type RoomFields = Record<string, string>;

/** Rooms shared by every server process that uses the same Redis (and key prefix). */
export class RedisRoomRegistry implements RoomRegistry {
    readonly shared = true;

    constructor(private readonly redis: Redis, private readonly prefix: string) { }

    private roomKey(roomId: string): string { return `${this.prefix}room:${roomId}`; }
    private get roomsKey(): string { return `${this.prefix}rooms`; }
    private inviteKey(code: string): string { return `${this.prefix}invite:${code}`; }
    private serverKey(serverId: string): string { return `${this.prefix}server:${serverId}`; }

    private async setIfRoom(roomId: string, ...fieldsAndValues: string[]): Promise<boolean> {
        return await this.redis.eval(SET_IF_ROOM, 1, this.roomKey(roomId), ...fieldsAndValues) === 1;
    }

    async createRoom(room: RoomRecord, host: PeerRecord, maxRooms: number): Promise<CreateRoomOutcome> {
        const created = await this.redis.eval(CREATE_ROOM, 3, this.roomsKey, this.roomKey(room.id), this.inviteKey(room.inviteCode),
            room.id, String(maxRooms), JSON.stringify(room), `peer:${host.id}`, JSON.stringify(host), `off:${host.id}`, String(room.createdAt));
        return created === 1 ? 'created' : 'server-full';
    }

    async getRoom(roomId: string): Promise<RoomRecord | undefined> {
        return parse<RoomRecord>(await this.redis.hget(this.roomKey(roomId), 'meta'));
    }

    async findRoomByInvite(inviteCode: string): Promise<RoomRecord | undefined> {
        const roomId = await this.redis.get(this.inviteKey(inviteCode));
        return roomId === null ? undefined : this.getRoom(roomId);
    }

    async deleteRoom(roomId: string): Promise<boolean> {
        const room = await this.getRoom(roomId);
        const removed = await this.redis.del(this.roomKey(roomId));
        await this.redis.srem(this.roomsKey, roomId);
        if (room) {
            await this.redis.del(this.inviteKey(room.inviteCode));
        }
        return removed === 1;
    }

    async countRooms(): Promise<number> {
        return this.redis.scard(this.roomsKey);
    }

    async addPeer(roomId: string, peer: PeerRecord, maxPeers: number): Promise<AddOutcome> {
        return addOutcome(await this.redis.eval(ADD_CAPPED, 1, this.roomKey(roomId), 'peer:', `peer:${peer.id}`, JSON.stringify(peer), String(maxPeers)));
    }

    async getPeer(roomId: string, peerId: string): Promise<PeerRecord | undefined> {
        return parse<PeerRecord>(await this.redis.hget(this.roomKey(roomId), `peer:${peerId}`));
    }

    async removePeer(roomId: string, peerId: string): Promise<boolean> {
        const removed = await this.redis.hdel(this.roomKey(roomId), `peer:${peerId}`);
        await this.redis.hdel(this.roomKey(roomId), `conn:${peerId}`, `off:${peerId}`, `status:${peerId}`);
        return removed === 1;
    }

    async setPeerRole(roomId: string, peerId: string, role: PeerRole): Promise<PeerRecord | undefined> {
        const peer = await this.getPeer(roomId, peerId);
        if (!peer) {
            return undefined;
        }
        const updated = { ...peer, role };
        return await this.setIfRoom(roomId, `peer:${peerId}`, JSON.stringify(updated)) ? updated : undefined;
    }

    async setConnection(roomId: string, peerId: string, connection: PeerConnection): Promise<void> {
        await this.setIfRoom(roomId, `conn:${peerId}`, JSON.stringify(connection));
        await this.redis.hdel(this.roomKey(roomId), `off:${peerId}`);
    }

    async clearConnection(roomId: string, peerId: string, socketId: string, now: number): Promise<boolean> {
        return await this.redis.eval(CLEAR_CONNECTION, 1, this.roomKey(roomId), peerId, socketId, String(now)) === 1;
    }

    async listOnlinePeers(roomId: string): Promise<PeerRecord[]> {
        const fields = await this.redis.hgetall(this.roomKey(roomId));
        return valuesWithPrefix<PeerRecord>(fields, 'peer:').filter(peer => fields[`conn:${peer.id}`] !== undefined);
    }

    async isOnline(roomId: string, peerId: string): Promise<boolean> {
        return await this.redis.hexists(this.roomKey(roomId), `conn:${peerId}`) === 1;
    }

    async addJoinRequest(roomId: string, request: JoinRequestRecord, maxPending: number): Promise<AddOutcome> {
        return addOutcome(await this.redis.eval(ADD_CAPPED, 1, this.roomKey(roomId), 'join:', `join:${request.requestId}`,
            JSON.stringify(request), String(maxPending)));
    }

    async takeJoinRequest(roomId: string, requestId: string): Promise<JoinRequestRecord | undefined> {
        const results = await this.redis.multi()
            .hget(this.roomKey(roomId), `join:${requestId}`)
            .hdel(this.roomKey(roomId), `join:${requestId}`)
            .exec();
        const [[, value], [, deleted]] = results as [[unknown, string | null], [unknown, number]];
        return deleted === 1 ? parse<JoinRequestRecord>(value) : undefined;
    }

    async listJoinRequests(roomId: string): Promise<JoinRequestRecord[]> {
        return valuesWithPrefix<JoinRequestRecord>(await this.redis.hgetall(this.roomKey(roomId)), 'join:');
    }

    async putStatus(roomId: string, status: StatusRecord): Promise<boolean> {
        return this.setIfRoom(roomId, `status:${status.peerId}`, JSON.stringify(status));
    }

    async listStatuses(roomId: string): Promise<StatusRecord[]> {
        return valuesWithPrefix<StatusRecord>(await this.redis.hgetall(this.roomKey(roomId)), 'status:');
    }

    async declareMethods(roomId: string, methods: readonly MethodRecord[], maxMethods: number): Promise<DeclareOutcome> {
        const args = methods.flatMap(method => [`method:${method.method}`, canonicalJson(method)]);
        const outcome = await this.redis.eval(DECLARE, 1, this.roomKey(roomId), ...args, String(maxMethods)) as string;
        if (outcome === '') {
            return { ok: true };
        }
        if (outcome === '#gone') {
            return { ok: false, problem: 'the room has ended' };
        }
        if (outcome === '#full') {
            return { ok: false, problem: `the room would declare more than ${maxMethods} message types` };
        }
        return { ok: false, problem: conflictMessage(outcome.slice('method:'.length)) };
    }

    async getMethod(roomId: string, method: string): Promise<MethodRecord | undefined> {
        return parse<MethodRecord>(await this.redis.hget(this.roomKey(roomId), `method:${method}`));
    }

    async heartbeat(serverId: string, ttlMs: number): Promise<void> {
        await this.redis.set(this.serverKey(serverId), '1', 'PX', ttlMs);
    }

    /*
     * Every process sweeps every room. That is O(rooms) Redis reads per sweep
     * and process: fine for the hundreds to low thousands of rooms one
     * deployment holds; deduplication comes from HDEL's return value.
     */
    async sweep(options: SweepOptions): Promise<SweepFindings> {
        const findings: { -readonly [K in keyof SweepFindings]: Array<SweepFindings[K][number]> } = {
            expiredStatuses: [], staleConnections: [], expiredJoinRequests: [], roomsPastGrace: []
        };
        const roomIds = await this.redis.smembers(this.roomsKey);
        if (roomIds.length === 0) {
            return findings;
        }
        const pipeline = this.redis.pipeline();
        roomIds.forEach(roomId => pipeline.hgetall(this.roomKey(roomId)));
        const rooms = (await pipeline.exec() ?? []).map(([, fields]) => fields as RoomFields);
        const liveServers = await this.liveServers(rooms);
        for (let index = 0; index < roomIds.length; index++) {
            const roomId = roomIds[index];
            const fields = rooms[index];
            const room = parse<RoomRecord>(fields?.meta);
            if (!room) {
                await this.redis.srem(this.roomsKey, roomId);
                continue;
            }
            const key = this.roomKey(roomId);
            for (const status of valuesWithPrefix<StatusRecord>(fields, 'status:')) {
                if (status.expiresAt <= options.now && await this.redis.hdel(key, `status:${status.peerId}`) === 1) {
                    findings.expiredStatuses.push({ roomId, peerId: status.peerId });
                }
            }
            for (const request of valuesWithPrefix<JoinRequestRecord>(fields, 'join:')) {
                if (request.requestedAt + options.joinRequestTimeoutMs <= options.now
                    && await this.redis.hdel(key, `join:${request.requestId}`) === 1) {
                    findings.expiredJoinRequests.push({ roomId, hostPeerId: room.hostPeerId, request });
                }
            }
            let hostConnected = false;
            for (const [field, value] of Object.entries(fields)) {
                if (!field.startsWith('conn:')) {
                    continue;
                }
                const peerId = field.slice('conn:'.length);
                const connection = parse<PeerConnection>(value);
                if (connection && !liveServers.has(connection.serverId)) {
                    if (await this.clearConnection(roomId, peerId, connection.socketId, options.now)) {
                        findings.staleConnections.push({ roomId, peerId, isHost: peerId === room.hostPeerId });
                    }
                } else if (peerId === room.hostPeerId) {
                    hostConnected = true;
                }
            }
            const hostOfflineSince = Number(fields[`off:${room.hostPeerId}`] ?? options.now);
            if (!hostConnected && hostOfflineSince + options.hostGracePeriodMs <= options.now) {
                findings.roomsPastGrace.push(room);
            }
        }
        return findings;
    }

    private async liveServers(rooms: readonly RoomFields[]): Promise<Set<string>> {
        const serverIds = new Set<string>();
        for (const fields of rooms) {
            for (const [field, value] of Object.entries(fields ?? {})) {
                if (field.startsWith('conn:')) {
                    const connection = parse<PeerConnection>(value);
                    if (connection) {
                        serverIds.add(connection.serverId);
                    }
                }
            }
        }
        const ids = [...serverIds];
        if (ids.length === 0) {
            return new Set();
        }
        const alive = await this.redis.mget(ids.map(id => this.serverKey(id)));
        return new Set(ids.filter((_, index) => alive[index] !== null));
    }

    async close(): Promise<void> {
        // The Redis connection belongs to the server, which closes it.
    }
}

function parse<T>(value: unknown): T | undefined {
    if (typeof value !== 'string') {
        return undefined;
    }
    try {
        return JSON.parse(value) as T;
    } catch {
        return undefined;
    }
}

function valuesWithPrefix<T>(fields: RoomFields | undefined, prefix: string): T[] {
    const values: T[] = [];
    for (const [field, value] of Object.entries(fields ?? {})) {
        if (field.startsWith(prefix)) {
            const parsed = parse<T>(value);
            if (parsed !== undefined) {
                values.push(parsed);
            }
        }
    }
    return values;
}

function addOutcome(result: unknown): AddOutcome {
    return result === 1 ? 'added' : result === 0 ? 'full' : 'no-room';
}
