import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import {
    checkRelativePath, pathSegments, WorkspaceError, WorkspaceErrors, type SharedPath
} from '../../common/workspace-sharing-protocol';
import type { ExclusionMatcher } from './exclusion-matcher';
import { errnoCode, toWorkspaceError } from './node-errors';

/** An existing entry, found by following every link on its path. */
export interface ResolvedEntry {
    /** The path as asked, under the root's real path (links in it not followed). */
    readonly absolute: string;
    /** Its real path (every link followed): inside the root, and not excluded. */
    readonly real: string;
}

/** An existing entry addressed as itself: a link on the last segment is the link, not its target. */
export interface ResolvedLink {
    /** The real path of the parent folder joined with the entry's name. */
    readonly entry: string;
    /** Where the entry leads (itself unless it is a link): inside the root, and not excluded. */
    readonly real: string;
}

/** Where a write, create or rename lands. */
export interface WriteTarget {
    /** The real path to create or replace: its existing part is inside the root. */
    readonly target: string;
    readonly exists: boolean;
    /** The parent folder exists (so only the last segment is new). */
    readonly parentExists: boolean;
}

/**
 * One shared folder and the confinement of every path in it. Paths are
 * checked as text first (no `..`, not absolute, no NUL), then against the
 * exclusions, then on disk: the real path of whatever exists must stay under
 * the root's real path and must not be excluded either (a link to `.env`
 * does not serve `.env`). For new files, the deepest existing ancestor is
 * the one resolved, so a link to a folder outside cannot be written through.
 *
 * What this cannot prevent: a local process of the host swapping a folder
 * for a link between the check and the use. Guests cannot create links.
 */
export class SharedRoot {
    private constructor(
        readonly name: string,
        /** The root's real path (links resolved) when it was shared. */
        readonly realPath: string,
        private readonly exclusions: ExclusionMatcher
    ) { }

    /** Resolves the folder's real path; fails when it is missing or not a folder. */
    static async open(name: string, folder: string, exclusions: ExclusionMatcher): Promise<SharedRoot> {
        let realPath: string;
        try {
            realPath = await fs.realpath(folder);
        } catch (error) {
            throw errnoCode(error) === 'ENOENT'
                ? new WorkspaceError('not-found', `The folder to share, ${folder}, does not exist.`)
                : toWorkspaceError(error, { root: name, path: '' });
        }
        if (!(await fs.stat(realPath)).isDirectory()) {
            throw new WorkspaceError('not-a-directory', `${folder} is not a folder; only folders can be shared.`);
        }
        return new SharedRoot(name, realPath, exclusions);
    }

    isExcluded(relativePath: string): boolean {
        return this.exclusions.isExcluded(relativePath);
    }

    /** True when `real` is the root or lies under it. */
    contains(real: string): boolean {
        return real === this.realPath || real.startsWith(this.realPath.endsWith(nodePath.sep) ? this.realPath : this.realPath + nodePath.sep);
    }

    /** The `/`-separated path of `real` relative to the root. */
    relativeOf(real: string): string {
        return nodePath.relative(this.realPath, real).split(nodePath.sep).join('/');
    }

    /** Text and exclusion checks; returns the path's segments. */
    checkPath(path: string): string[] {
        const problem = checkRelativePath(path);
        if (problem !== undefined) {
            throw WorkspaceErrors.invalidPath(path, problem);
        }
        if (this.isExcluded(path)) {
            throw WorkspaceErrors.excluded(this.at(path));
        }
        return pathSegments(path);
    }

    /** An existing file or folder, links followed (stat, read, list). */
    async resolveExisting(path: string): Promise<ResolvedEntry> {
        const absolute = nodePath.join(this.realPath, ...this.checkPath(path));
        const real = await this.realpathInside(absolute, path);
        return { absolute, real };
    }

    /** An existing entry itself (delete, rename source); never the root. */
    async resolveLink(path: string, action: string): Promise<ResolvedLink> {
        const segments = this.checkPath(path);
        if (segments.length === 0) {
            throw new WorkspaceError('permission-denied', `The shared folder "${this.name}" itself cannot be ${action}; only the host can do that.`);
        }
        const parentReal = await this.realpathInside(nodePath.join(this.realPath, ...segments.slice(0, -1)), path);
        const entry = nodePath.join(parentReal, segments[segments.length - 1]);
        try {
            await fs.lstat(entry);
        } catch (error) {
            throw toWorkspaceError(error, this.at(path));
        }
        // A link is acted on as itself, but only links that lead inside (and not to excluded files) are served at all.
        const real = await this.realpathInside(entry, path);
        return { entry, real };
    }

    /** Where a new or replaced file or folder goes (write, create, rename destination); never the root. */
    async resolveWriteTarget(path: string, action: string): Promise<WriteTarget> {
        const segments = this.checkPath(path);
        if (segments.length === 0) {
            throw new WorkspaceError('permission-denied', `The shared folder "${this.name}" itself cannot be ${action}.`);
        }
        // The deepest ancestor (or the target itself) that exists decides where the path really leads.
        for (let depth = segments.length; depth >= 0; depth--) {
            const candidate = nodePath.join(this.realPath, ...segments.slice(0, depth));
            let real: string;
            try {
                real = await fs.realpath(candidate);
            } catch (error) {
                const code = errnoCode(error);
                if (code === 'ENOENT') {
                    continue;
                }
                throw toWorkspaceError(error, this.at(path));
            }
            this.assertInside(real, path);
            const missing = segments.slice(depth);
            const target = nodePath.join(real, ...missing);
            if (missing.length > 0 && !(await fs.stat(real)).isDirectory()) {
                throw new WorkspaceError('not-a-directory', `"${this.describe(segments.slice(0, depth).join('/'))}" is a file, not a folder.`);
            }
            if (this.isExcluded(this.relativeOf(target))) {
                throw WorkspaceErrors.excluded(this.at(path));
            }
            return { target, exists: missing.length === 0, parentExists: missing.length <= 1 };
        }
        throw WorkspaceErrors.notFound(this.at(''));
    }

    at(path: string): SharedPath {
        return { root: this.name, path };
    }

    private describe(path: string): string {
        return path === '' ? this.name : `${this.name}/${path}`;
    }

    private async realpathInside(absolute: string, asked: string): Promise<string> {
        let real: string;
        try {
            real = await fs.realpath(absolute);
        } catch (error) {
            throw toWorkspaceError(error, this.at(asked));
        }
        this.assertInside(real, asked);
        return real;
    }

    private assertInside(real: string, asked: string): void {
        if (!this.contains(real)) {
            throw WorkspaceErrors.outside(this.at(asked));
        }
        if (this.isExcluded(this.relativeOf(real))) {
            throw WorkspaceErrors.excluded(this.at(asked));
        }
    }
}
