import type { SessionResumeStorage } from './session-resume-store';

/*
 * The tab's session storage may be full or disabled (private modes, policies):
 * what is kept there for a reload is a convenience, so these never throw.
 */

/** The value of `key`, or undefined when there is none or the storage cannot be read. */
export function readTabStorage(storage: SessionResumeStorage, key: string): string | undefined {
    try {
        return storage.getItem(key) ?? undefined;
    } catch {
        return undefined;
    }
}

/** Stores `value` under `key`; false when the storage is full or disabled (what was stored before stays). */
export function writeTabStorage(storage: SessionResumeStorage, key: string, value: string): boolean {
    try {
        storage.setItem(key, value);
        return true;
    } catch {
        return false;
    }
}

export function removeFromTabStorage(storage: SessionResumeStorage, key: string): void {
    try {
        storage.removeItem(key);
    } catch {
        // Disabled storage holds nothing to remove.
    }
}
