import type { Dirent } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { childPath } from '../../common/workspace-sharing-protocol';

export interface WalkEntry {
    /** Path relative to where the walk started's root (`/`-separated). */
    readonly path: string;
    readonly absolute: string;
    readonly dirent: Dirent;
}

export interface WalkOptions {
    /** Entries to skip, with everything under them. */
    readonly skip: (path: string, dirent: Dirent) => boolean;
    /** Stop after visiting this many entries (a bound on work for huge trees). */
    readonly maxEntries: number;
    readonly signal?: AbortSignal;
}

/**
 * Visits a folder breadth-first without following symbolic links (so it
 * cannot loop, nor leave the tree). Folders that cannot be read are skipped.
 * `visit` returns false to stop the walk.
 */
export async function walkTree(absolute: string, relative: string, options: WalkOptions, visit: (entry: WalkEntry) => boolean | void): Promise<void> {
    const queue: Array<{ absolute: string; path: string }> = [{ absolute, path: relative }];
    let visited = 0;
    while (queue.length > 0) {
        const folder = queue.shift()!;
        let entries: Dirent[];
        try {
            entries = await fs.readdir(folder.absolute, { withFileTypes: true });
        } catch {
            continue;
        }
        entries.sort((a, b) => a.name.localeCompare(b.name));
        for (const dirent of entries) {
            if (options.signal?.aborted || ++visited > options.maxEntries) {
                return;
            }
            const path = childPath(folder.path, dirent.name);
            if (options.skip(path, dirent)) {
                continue;
            }
            const entryAbsolute = nodePath.join(folder.absolute, dirent.name);
            if (visit({ path, absolute: entryAbsolute, dirent }) === false) {
                return;
            }
            if (dirent.isDirectory()) {
                queue.push({ absolute: entryAbsolute, path });
            }
        }
    }
}

/** The first path under `absolute` (a folder) for which `matches` holds, or undefined. Unbounded: used before deleting. */
export async function findInTree(absolute: string, relative: string, matches: (path: string) => boolean): Promise<string | undefined> {
    let found: string | undefined;
    await walkTree(absolute, relative, { skip: () => false, maxEntries: Number.MAX_SAFE_INTEGER }, entry => {
        if (matches(entry.path)) {
            found = entry.path;
            return false;
        }
        return true;
    });
    return found;
}
