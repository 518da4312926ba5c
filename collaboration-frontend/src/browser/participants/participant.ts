import type { PeerInfo, PeerRole, PeerStatusEntry } from '@ensemble/collaboration-common';
import { defaultPeerColor } from './peer-colors';

/** A peer as the views show it: who, which permission, where it is, whom it follows. */
export interface Participant {
    readonly peerId: string;
    readonly name: string;
    readonly role: PeerRole;
    readonly color: string;
    readonly isSelf: boolean;
    /** Workspace-relative path of the file the peer has in front, when it publishes one. */
    readonly activeDocument?: string;
    /** Peer id the peer follows, when it follows someone. */
    readonly following?: string;
}

/** Status keys this package reads; other extensions may add more. */
export const StatusKeys = {
    name: 'name',
    color: 'color',
    activeDocument: 'activeDocument',
    following: 'following'
} as const;

/**
 * The participants of a room from the session's peers and statuses: the
 * host first, then you, then the others by name. A peer without a (live)
 * status still shows, with its default colour and no file.
 */
export function toParticipants(peers: Iterable<PeerInfo>, statuses: ReadonlyMap<string, PeerStatusEntry>, selfId: string | undefined): Participant[] {
    const participants = [...peers].map(peer => {
        const status = statuses.get(peer.id)?.status;
        const color = stringKey(status, StatusKeys.color);
        const activeDocument = stringKey(status, StatusKeys.activeDocument);
        const following = stringKey(status, StatusKeys.following);
        return {
            peerId: peer.id,
            name: peer.name,
            role: peer.role,
            color: color && isCssColor(color) ? color : defaultPeerColor(peer.id),
            isSelf: peer.id === selfId,
            ...(activeDocument ? { activeDocument } : {}),
            ...(following ? { following } : {})
        };
    });
    const rank = (participant: Participant): number => participant.role === 'host' ? 0 : participant.isSelf ? 1 : 2;
    return participants.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.peerId.localeCompare(b.peerId));
}

function stringKey(status: Readonly<Record<string, unknown>> | undefined, key: string): string | undefined {
    const value = status?.[key];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Only `#rgb`/`#rrggbb` colours reach a style attribute: a status is peer input. */
function isCssColor(value: string): boolean {
    return /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(value);
}
