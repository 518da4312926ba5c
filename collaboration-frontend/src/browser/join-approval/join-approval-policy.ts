import type { GuestRole } from '@ensemble/collaboration-common';

export type AutoAcceptSetting = 'off' | 'read-only' | 'read-write';

export interface JoinApprovalSettings {
    /** `collaboration.autoAccept` */
    readonly autoAccept: AutoAcceptSetting;
    /** `collaboration.allowList`: display names admitted read-write without asking. */
    readonly allowList: readonly string[];
}

/** What to do with a join request: admit it at once with a permission, or ask the host. */
export type ApprovalDecision =
    | { readonly kind: 'accept'; readonly role: GuestRole; readonly because: 'allow-list' | 'auto-accept' }
    | { readonly kind: 'ask' };

/**
 * The host's standing rules for join requests. The allow-list wins over
 * auto-accept (it grants read-write, auto-accept may grant only read-only).
 * Names compare trimmed and case-insensitively. Note: a display name is what
 * the guest typed, not a verified identity; the preference says so.
 */
export function decideJoinRequest(displayName: string, settings: JoinApprovalSettings): ApprovalDecision {
    const name = normalizeName(displayName);
    if (name.length > 0 && settings.allowList.some(allowed => normalizeName(allowed) === name)) {
        return { kind: 'accept', role: 'read-write', because: 'allow-list' };
    }
    if (settings.autoAccept === 'read-only' || settings.autoAccept === 'read-write') {
        return { kind: 'accept', role: settings.autoAccept, because: 'auto-accept' };
    }
    return { kind: 'ask' };
}

function normalizeName(name: string): string {
    return name.trim().toLocaleLowerCase();
}
