/**
 * The version of Ensemble's wire protocol. Bump it whenever an envelope, a
 * handshake field or a built-in room message changes incompatibly; the server
 * refuses clients that speak another version instead of misreading them.
 */
export const PROTOCOL_VERSION = 1;

/** The oldest client protocol this code still understands (the server accepts [min, current]). */
export const MIN_SUPPORTED_PROTOCOL_VERSION = 1;

export function isSupportedProtocolVersion(clientVersion: number): boolean {
    return Number.isInteger(clientVersion)
        && clientVersion >= MIN_SUPPORTED_PROTOCOL_VERSION
        && clientVersion <= PROTOCOL_VERSION;
}

/** The sentence a refused client shows its user: which side is behind and what to update. */
export function describeProtocolMismatch(serverVersion: number, clientVersion: number): string {
    const whatToUpdate = clientVersion > serverVersion
        ? 'update the coordination server (@ensemble/coordination-server) or connect to a newer one'
        : 'update Ensemble in your IDE';
    return `The server speaks Ensemble protocol ${serverVersion}, this client speaks protocol ${clientVersion}: ${whatToUpdate}.`;
}
