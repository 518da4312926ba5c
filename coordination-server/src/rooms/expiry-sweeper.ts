import { JoinDenied, JoinRequestClosed, PeerLeft, StatusExpired } from '@ensemble/collaboration-common';
import type { ServerContext } from '../server-context';
import { notifyJoinRequester, notifyPeer, notifyRoom } from './notify';
import { joinChannel } from './room-channels';
import { closeRoom, describeHostTimeout } from './room-lifecycle';

/**
 * Periodically expires what has a lifetime: statuses not renewed, join
 * requests not answered, connections through dead processes, and rooms whose
 * host stayed away past the grace period. Also heart-beats this process.
 */
export class ExpirySweeper {
    private timer: ReturnType<typeof setInterval> | undefined;
    private running = false;

    constructor(private readonly context: ServerContext) { }

    start(): void {
        const interval = this.context.options.sweepIntervalMs;
        this.timer = setInterval(() => { void this.sweepOnce(); }, interval);
        this.timer.unref();
        void this.context.registry.heartbeat(this.context.serverId, heartbeatTtl(interval));
    }

    stop(): void {
        clearInterval(this.timer);
        this.timer = undefined;
    }

    async sweepOnce(): Promise<void> {
        if (this.running) {
            return;
        }
        this.running = true;
        const { registry, options, io, serverId, logger } = this.context;
        try {
            await registry.heartbeat(serverId, heartbeatTtl(options.sweepIntervalMs));
            const now = this.context.now();
            const findings = await registry.sweep({ now, hostGracePeriodMs: options.hostGracePeriodMs, joinRequestTimeoutMs: options.joinRequestTimeoutMs });
            for (const { roomId, peerId } of findings.expiredStatuses) {
                notifyRoom(io, roomId, StatusExpired, { peerId });
            }
            for (const { roomId, peerId, isHost } of findings.staleConnections) {
                notifyRoom(io, roomId, PeerLeft, isHost
                    ? { peerId, reason: 'disconnected', hostGraceEndsAt: now + options.hostGracePeriodMs }
                    : { peerId, reason: 'disconnected' });
            }
            for (const { roomId, hostPeerId, request } of findings.expiredJoinRequests) {
                notifyJoinRequester(io, request.requestId, JoinDenied, { reason: 'expired', message: 'The host did not answer in time; ask again later.' });
                io.in(joinChannel(request.requestId)).disconnectSockets(true);
                notifyPeer(io, roomId, hostPeerId, JoinRequestClosed, { requestId: request.requestId, outcome: 'expired' });
            }
            for (const room of findings.roomsPastGrace) {
                await closeRoom(this.context, room.id, 'host-timeout', describeHostTimeout(options.hostGracePeriodMs));
            }
        } catch (error) {
            logger.error({ err: error }, 'expiry sweep failed; retrying at the next interval');
        } finally {
            this.running = false;
        }
    }
}

/** A process that misses three sweeps in a row is considered gone. */
function heartbeatTtl(intervalMs: number): number {
    return Math.max(3 * intervalMs, 3000);
}
