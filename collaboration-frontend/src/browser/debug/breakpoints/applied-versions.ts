/**
 * On a guest: the version of the host's list it applied last, per list (a
 * file's breakpoints, the function breakpoints, ...). The host numbers its
 * changes, and a list older than the one applied (the answer to a request,
 * overtaken by a newer broadcast) must not be applied over it.
 */
export class AppliedVersions {
    private readonly versions = new Map<string, number>();

    /** Whether the host's list `key` as of `version` is newer than the one applied last; if it is, notes it as applied. */
    isNews(key: string, version: number): boolean {
        if (version <= (this.versions.get(key) ?? -1)) {
            return false;
        }
        this.versions.set(key, version);
        return true;
    }
}
