import { CollaborationSession, createRoom, type Event, type GuestRole, type SessionOptions } from '@ensemble/collaboration-common';

/** Resolves with the next event, or rejects after `timeoutMs` naming what was awaited (tests never hang silently). */
export function nextEvent<T>(event: Event<T>, what: string, timeoutMs = 5000, filter: (value: T) => boolean = () => true): Promise<T> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            subscription.dispose();
            reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        const subscription = event(value => {
            if (filter(value)) {
                clearTimeout(timer);
                subscription.dispose();
                resolve(value);
            }
        });
    });
}

export function delay(ms: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, ms));
}

/** Polls until `condition` holds; for states reached through several messages. */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
        }
        await delay(10);
    }
}

export interface HostedRoom {
    readonly host: CollaborationSession;
    readonly roomId: string;
    readonly inviteCode: string;
    readonly hostToken: string;
}

export async function hostRoom(serverUrl: string, hostName = 'Host', options: Partial<SessionOptions> = {}): Promise<HostedRoom> {
    const room = await createRoom({ serverUrl, hostName });
    const host = new CollaborationSession({ serverUrl, ...options });
    await host.connect(room.hostToken);
    return { host, roomId: room.roomId, inviteCode: room.inviteCode, hostToken: room.hostToken };
}

/**
 * A guest asks to join and the host answers with `decision` as soon as the
 * request arrives. `prepare` runs before joining (register handlers there).
 */
export async function joinAs(serverUrl: string, room: HostedRoom, name: string, decision: GuestRole = 'read-write',
    prepare: (guest: CollaborationSession) => void = () => undefined, options: Partial<SessionOptions> = {}): Promise<CollaborationSession> {
    const guest = new CollaborationSession({ serverUrl, ...options });
    prepare(guest);
    const answered = nextEvent(room.host.onJoinRequest, `the join request of ${name}`, 5000, request => request.displayName === name)
        .then(request => room.host.answerJoinRequest(request.requestId, decision));
    await Promise.all([guest.join({ inviteCode: room.inviteCode, displayName: name }), answered]);
    return guest;
}
