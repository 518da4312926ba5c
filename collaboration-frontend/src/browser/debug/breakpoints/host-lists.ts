import { mergeChanges } from './shared-breakpoints';

/**
 * On a guest: per list (a file's breakpoints, the function breakpoints, ...)
 * the host's version and list as last received. The host numbers its
 * changes: a list older than the one applied (the answer to a request,
 * overtaken by a newer broadcast) is not applied over it. And changes this
 * guest told that the host's list does not have yet (on their way) are kept
 * on top of it, so that a quick second change does not flicker back while
 * the host's answer to the first is under way.
 */
export class HostLists<T extends object> {
    private readonly versions = new Map<string, number>();
    private readonly lists = new Map<string, T[]>();

    constructor(private readonly keyOf: (entry: T) => string, private readonly compare: (a: T, b: T) => number) { }

    /**
     * The list to apply here for the host's list `key` as of `version`, given
     * what this guest last told (`told`); undefined when it is not newer than
     * the one applied. Notes it as applied.
     */
    receive(key: string, list: T[], version: number, told: readonly T[]): T[] | undefined {
        if (version <= (this.versions.get(key) ?? -1)) {
            return undefined;
        }
        const mine = mergeChanges(list, this.lists.get(key) ?? [], told, this.keyOf, this.compare);
        this.versions.set(key, version);
        this.lists.set(key, list);
        return mine;
    }
}
