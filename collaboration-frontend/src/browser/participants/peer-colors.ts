/**
 * Peer colours. Each peer picks its own colour when it connects — the first
 * palette entry, starting at a place derived from its peer id, that no other
 * peer in the room publishes — and publishes it in its status, so everyone
 * shows the same colour for it. Deterministic (same id and same room, same
 * colour) and distinct while the room has fewer peers than the palette.
 */
export const PEER_COLORS: readonly string[] = [
    '#e6194b', // red
    '#3cb44b', // green
    '#4363d8', // blue
    '#f58231', // orange
    '#911eb4', // purple
    '#42d4f4', // cyan
    '#f032e6', // magenta
    '#bfef45', // lime
    '#469990', // teal
    '#9a6324', // brown
    '#dcbeff', // lavender
    '#ffe119' // yellow
];

/** FNV-1a over the UTF-16 code units: small, stable across platforms and runs. */
export function hashString(text: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
}

/** The colour a peer shows before (or without) publishing one. */
export function defaultPeerColor(peerId: string): string {
    return PEER_COLORS[hashString(peerId) % PEER_COLORS.length];
}

/** The colour a peer should take, given the colours other peers already use (compared case-insensitively). */
export function pickPeerColor(peerId: string, taken: Iterable<string>): string {
    const used = new Set([...taken].map(color => color.toLowerCase()));
    const start = hashString(peerId) % PEER_COLORS.length;
    for (let offset = 0; offset < PEER_COLORS.length; offset++) {
        const candidate = PEER_COLORS[(start + offset) % PEER_COLORS.length];
        if (!used.has(candidate.toLowerCase())) {
            return candidate;
        }
    }
    return PEER_COLORS[start]; // more peers than colours: share one
}

/** Colours for peers in the order they arrive, each picking among those left; what a room converges to. */
export function assignPeerColors(peerIdsInArrivalOrder: readonly string[]): Map<string, string> {
    const colors = new Map<string, string>();
    for (const peerId of peerIdsInArrivalOrder) {
        colors.set(peerId, pickPeerColor(peerId, colors.values()));
    }
    return colors;
}
