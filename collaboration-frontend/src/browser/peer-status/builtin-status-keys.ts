/** The status keys Ensemble itself publishes through PeerStatusService, and how the views name them. */
export const BuiltInStatusKeys = {
    /** `true` while the peer types a chat message (cleared when it stops or sends). */
    chatTyping: 'ensemble.chat.typing',
    /** `true` while the peer's window is hidden (another tab, minimised). */
    away: 'ensemble.away',
    /** `true` while a command runs in one of the peer's terminals. */
    terminalRunning: 'ensemble.terminal.running',
    /** `true` while the peer has a debug session. */
    debugging: 'ensemble.debugging'
} as const;

/** What a peer is doing, by its status, in words for the views ("typing in chat", "away", ...); a status is peer input, so only `true` counts. */
export function describeActivities(status: Readonly<Record<string, unknown>> | undefined): string[] {
    const activities: string[] = [];
    if (status?.[BuiltInStatusKeys.chatTyping] === true) {
        activities.push('typing in chat');
    }
    if (status?.[BuiltInStatusKeys.debugging] === true) {
        activities.push('debugging');
    }
    if (status?.[BuiltInStatusKeys.terminalRunning] === true) {
        activities.push('running a command in a terminal');
    }
    if (status?.[BuiltInStatusKeys.away] === true) {
        activities.push('away');
    }
    return activities;
}
