/** What an extension may put under a status key: plain JSON, small (the whole status is bounded, see MAX_PEER_STATUS_BYTES). */
export type StatusValue = string | number | boolean | null | readonly StatusValue[] | { readonly [key: string]: StatusValue };

/** Longest status key. */
export const MAX_STATUS_KEY_LENGTH = 64;

/**
 * Extension keys are namespaced, `publisher.name` (e.g. `acme.buildRunning`),
 * so that two extensions cannot overwrite each other's keys, nor the
 * session's own (`name`, `color`, `activeDocument`, ...).
 */
const STATUS_KEY_PATTERN = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+$/;

/** Why `key` cannot be an extension status key, or undefined when it can. */
export function statusKeyProblem(key: string): string | undefined {
    if (key.length > MAX_STATUS_KEY_LENGTH) {
        return `The status key "${key.slice(0, MAX_STATUS_KEY_LENGTH)}…" is longer than ${MAX_STATUS_KEY_LENGTH} characters.`;
    }
    if (!STATUS_KEY_PATTERN.test(key)) {
        return `The status key "${key}" must be namespaced like "publisher.name" (letters, digits, "_", "-", separated by dots).`;
    }
    return undefined;
}
