import { inject, injectable } from '@theia/core/shared/inversify';
import { readTabStorage, removeFromTabStorage, writeTabStorage } from './tab-storage';

/** Where the record lives: the tab's sessionStorage in the app (it survives a reload of this tab, and no other tab reads it). */
export const SessionResumeStorage = Symbol('SessionResumeStorage');
export type SessionResumeStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** What a reloaded window needs to come back into its session as the same peer. */
export interface SessionResumeRecord {
    readonly serverUrl: string;
    /** The latest token: the server admits its holder again without asking the host. */
    readonly token: string;
    readonly isHost: boolean;
    readonly displayName: string;
    /** Host: the invite, so that "Copy Invite Link" keeps working. */
    readonly invite?: { readonly code: string; readonly link: string; readonly serverUrl: string };
}

const KEY = 'ensemble.session-resume';
/** A token is good for this long at most anyway; an older record is not worth trying. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps this window's place in a running session across a reload. The record
 * is written while a session runs and removed when it ends for any reason
 * other than the window going away, so only a reload finds one.
 */
@injectable()
export class SessionResumeStore {
    @inject(SessionResumeStorage) protected readonly storage!: SessionResumeStorage;

    save(record: SessionResumeRecord): void {
        // Storage full or disabled: a reload then simply ends the session, as without this store.
        writeTabStorage(this.storage, KEY, JSON.stringify({ ...record, savedAt: Date.now() }));
    }

    /** The record, if there is a usable one; a malformed or stale one is removed. */
    load(): SessionResumeRecord | undefined {
        const raw = readTabStorage(this.storage, KEY);
        if (raw === undefined) {
            return undefined;
        }
        const record = parseRecord(raw);
        if (!record) {
            this.clear();
        }
        return record;
    }

    clear(): void {
        removeFromTabStorage(this.storage, KEY);
    }
}

function parseRecord(raw: string): SessionResumeRecord | undefined {
    let value: unknown;
    try {
        value = JSON.parse(raw);
    } catch {
        return undefined;
    }
    if (typeof value !== 'object' || value === null) {
        return undefined;
    }
    const record = value as Record<string, unknown>;
    const isText = (field: unknown): field is string => typeof field === 'string' && field.length > 0 && field.length <= 8192;
    if (!isText(record.serverUrl) || !isText(record.token) || typeof record.isHost !== 'boolean' || !isText(record.displayName)
        || typeof record.savedAt !== 'number' || Date.now() - record.savedAt > MAX_AGE_MS) {
        return undefined;
    }
    const invite = record.invite as Record<string, unknown> | undefined;
    const validInvite = invite !== undefined && isText(invite.code) && isText(invite.link) && isText(invite.serverUrl)
        ? { code: invite.code, link: invite.link, serverUrl: invite.serverUrl }
        : undefined;
    return {
        serverUrl: record.serverUrl, token: record.token, isHost: record.isHost, displayName: record.displayName,
        ...(validInvite ? { invite: validInvite } : {})
    };
}
